import { PermanentError } from "@flyt/errors";
import type { FileReference } from "@flyt/schemas";
import type { ArchiveDriver } from "../archive-driver";
import { type ClientCredentials, createTokenSource } from "./client-credentials-token";
import { createNoark5Cases } from "./noark5-cases";
import { checkNoark5 } from "./noark5-check";
import { createNoark5Client } from "./noark5-client";
import { createFileUploads, DEFAULT_UPLOAD, type UploadSettings } from "./noark5-file-upload";
import { createNoark5JournalPosts, type DocumentToArchive } from "./noark5-journal-posts";
import {
  type BusinessMetadataFields,
  DEFAULT_BUSINESS_METADATA_FIELDS,
  DEFAULT_SCREENING,
  isCompleted,
  type ScreeningSettings,
  toArchivedCase,
  toArchivedJournalPost,
} from "./noark5-mapping";
import { createNoark5Navigator } from "./noark5-navigator";
import { discoverTokenEndpoint, type TokenEndpoint } from "./oidc-discovery";
import { createStagedFiles, isStagedRef, sha256Hex } from "./staged-files";
import { inMemoryUploadSessions, type UploadSessions } from "./upload-sessions";

export interface Noark5DriverOptions {
  /** The API root, the one URL the driver is told: everything else is found from its links. */
  readonly baseUrl: string;
  /** The client's credentials; its token URL overrides what the archive's OpenID configuration names. */
  readonly oauth: ClientCredentials;
  /** Deadline of each request (an upload included), after which it counts as unanswered. */
  readonly requestTimeoutMs: number;
  readonly fetch?: typeof fetch;
  /** The arkivdel (by title) of a case that names none. */
  readonly defaultArkivdel?: string;
  /** The virksomhetsspesifikkeMetadata fields Flyt writes; see BusinessMetadataFields. */
  readonly businessMetadataFields?: BusinessMetadataFields;
  /** How this archive takes screening, and which skjermingMetadata codes go with it; see ScreeningSettings. */
  readonly screening?: ScreeningSettings;
  /** Chunk size and Content-Range form of chunked uploads; see UploadSettings. */
  readonly upload?: UploadSettings;
  /**
   * Where chunked uploads in progress are kept, so one cut off goes on where the archive acknowledged (kept in
   * Postgres by the adapter, so a restart resumes too); in this process only without it.
   */
  readonly uploadSessions?: UploadSessions;
  /**
   * A file's content, when what `uploadFile` staged is gone (the process restarted in between). Without it,
   * such a journal post fails permanently.
   */
  readonly contentOf?: (file: FileReference) => Promise<Buffer>;
  /** How long an uploaded file waits for its journal post. */
  readonly stagedFileTtlMs?: number;
  readonly now?: () => number;
}

const DEFAULT_STAGED_FILE_TTL_MS = 6 * 60 * 60 * 1000;

/**
 * The Noark 5 tjenestegrensesnitt driver: REST with HATEOAS from one root, `application/vnd.noark5+json`,
 * OAuth 2.0 client credentials at the token endpoint the archive's OpenID configuration names (or one configured). A case is a saksmappe (its number the mappeID, `2026/123`), a journal post a
 * journalpost with its dokumentbeskrivelser, dokumentobjekter and files (`2026/123-4`). Lookups are OData
 * `$filter` searches; Flyt's external ids are business-specific metadata on the saksmappe and journalpost.
 */
export function createNoark5Driver(options: Noark5DriverOptions): ArchiveDriver {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const fields = options.businessMetadataFields ?? DEFAULT_BUSINESS_METADATA_FIELDS;
  const http = { fetch: fetchImpl, timeoutMs: options.requestTimeoutMs, now };
  const { tokenUrl } = options.oauth;
  const tokens = createTokenSource({
    credentials: options.oauth,
    endpoint: tokenUrl
      ? async (): Promise<TokenEndpoint> => ({
          url: tokenUrl,
          authMethod: "client_secret_basic",
          source: "configured",
        })
      : () => discoverTokenEndpoint(http, options.baseUrl),
    ...http,
  });
  const client = createNoark5Client({ fetch: fetchImpl, tokens, timeoutMs: options.requestTimeoutMs, now });
  const navigator = createNoark5Navigator({ client, baseUrl: options.baseUrl });
  const screening = options.screening ?? DEFAULT_SCREENING;
  const cases = createNoark5Cases({
    navigator,
    fields,
    screening,
    defaultArkivdel: options.defaultArkivdel,
  });
  const uploads = createFileUploads({
    navigator,
    client,
    sessions: options.uploadSessions ?? inMemoryUploadSessions(),
    settings: options.upload ?? DEFAULT_UPLOAD,
    now,
  });
  const journalPosts = createNoark5JournalPosts({ navigator, fields, screening, uploads });
  const staged = createStagedFiles({ ttlMs: options.stagedFileTtlMs ?? DEFAULT_STAGED_FILE_TTL_MS, now });

  /** Every document's bytes, before anything is written: a missing file must not leave half a journal post. */
  async function documentsToArchive(
    dokumenter: readonly DocumentToArchive["dokument"][],
    files: ReadonlyMap<string, string>,
  ): Promise<DocumentToArchive[]> {
    const documents: DocumentToArchive[] = [];
    for (const dokument of dokumenter) {
      const ref = files.get(dokument.file.fileId);
      if (ref === undefined || !isStagedRef(ref)) {
        throw new PermanentError(`no Noark 5 file reference for file ${dokument.file.fileId}`);
      }
      const file = staged.get(ref) ?? (await restage(dokument.file));
      documents.push({ dokument, file });
    }
    return documents;
  }

  async function restage(file: FileReference) {
    if (!options.contentOf) {
      throw new PermanentError(
        `the content of file ${file.fileId} was uploaded to a driver that no longer holds it; upload it again`,
      );
    }
    const content = await options.contentOf(file);
    return { file, content, sha256: sha256Hex(content) };
  }

  return {
    check(codes) {
      return checkNoark5(codes, {
        baseUrl: options.baseUrl,
        http,
        tokenUrlConfigured: tokenUrl !== undefined,
        tokens,
        navigator,
        fields,
        screening,
        defaultArkivdel: options.defaultArkivdel,
      });
    },
    /** The API root, with a token: the archive and its login both answer. */
    async probe() {
      await client.get(options.baseUrl, "the API root");
    },
    async caseByExternalId(externalId) {
      const found = await cases.findByExternalId(externalId);
      // A saksmappe whose parties did not all get there is not the finished case: createCase finishes it.
      return found && isCompleted(found.body, fields) ? toArchivedCase(found.body) : undefined;
    },
    async caseByNumber(caseNumber) {
      const found = await cases.byNumber(caseNumber);
      return found ? toArchivedCase(found.body) : undefined;
    },
    async arkivdelOf(archivedCase) {
      return cases.arkivdelOf(await cases.bySystemId(archivedCase.systemId));
    },
    async searchCases(criteria) {
      return (await cases.search(criteria)).map((found) => toArchivedCase(found.body));
    },
    async createCase(arkivsak, externalId) {
      return toArchivedCase((await cases.createOrFinish(arkivsak, externalId)).body);
    },
    async uploadFile(file, content) {
      const sha256 = sha256Hex(content);
      if (sha256 !== file.sha256) {
        throw new PermanentError(`file ${file.fileId}'s content does not match its recorded SHA-256`);
      }
      return staged.stage(file, content);
    },
    async journalPostByExternalId(archivedCase, externalId) {
      const saksmappe = await cases.bySystemId(archivedCase.systemId);
      const found = await journalPosts.find(saksmappe, externalId);
      // Unfinished (a document or file missing) counts as not there: addJournalPost finishes it.
      return found && isCompleted(found.body, fields)
        ? toArchivedJournalPost(found.body, archivedCase.caseNumber)
        : undefined;
    },
    async addJournalPost(archivedCase, post, files, externalId) {
      const documents = await documentsToArchive(post.dokumenter, files);
      const saksmappe = await cases.bySystemId(archivedCase.systemId);
      const journalpost = await journalPosts.createOrFinish(saksmappe, post, documents, externalId);
      for (const dokument of post.dokumenter) {
        const ref = files.get(dokument.file.fileId);
        if (ref !== undefined) staged.release(ref);
      }
      return toArchivedJournalPost(journalpost.body, archivedCase.caseNumber);
    },
  };
}
