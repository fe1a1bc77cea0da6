import type { Arkivsak, FileReference, Journalpost } from "@flyt/schemas";
import type {
  ArchiveDriver,
  ArchivedCase,
  ArchivedJournalPost,
  ArchiveFileRef,
  WriteAccepted,
} from "../archive-driver";
import { ArchiveUnavailableError } from "../archive-errors";
import { caseFilter, externalIdFilter } from "./case-filter";
import { attachmentDisposition } from "./content-disposition";
import {
  createFintHttp,
  expectStatus,
  type FintAnswer,
  type FintRequest,
  resolveLocation,
} from "./fint-http";
import type { FintCollection, SakResource } from "./fint-resources";
import { addedJournalPost, journalPostWithExternalId, toJournalpostResource } from "./journalpost-mapping";
import { toArchivedCase, toSakResource } from "./sak-mapping";
import { awaitCompletion, type PollSettings, WriteStatusGoneError } from "./status-polling";
import { createTokenCache, type OAuthOptions } from "./token-cache";

export interface FintDriverOptions {
  /** The FINT environment, e.g. `https://api.felleskomponent.no`; paths such as `/arkiv/noark/sak` go after it. */
  readonly baseUrl: string;
  readonly oauth: OAuthOptions;
  /** For each single request (a write's status polls each have their own). */
  readonly requestTimeoutMs: number;
  readonly poll: PollSettings;
  readonly fetch?: typeof fetch;
  /** The clock for token lifetimes and Retry-After dates (milliseconds since the epoch). */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * The ArchiveDriver for a county's archive behind FINT arkiv. Every write is asynchronous there: it answers
 * 202 with a status URL, which is polled until 201 with the Location of what was created, which is then read.
 * Reads and searches answer at once.
 */
export function createFintDriver(options: FintDriverOptions): ArchiveDriver {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const http = createFintHttp({
    fetch: fetchImpl,
    tokens: createTokenCache({
      oauth: options.oauth,
      fetch: fetchImpl,
      now,
      requestTimeoutMs: options.requestTimeoutMs,
    }),
    requestTimeoutMs: options.requestTimeoutMs,
  });

  const sakByNumberUrl = (caseNumber: string) =>
    `${baseUrl}/arkiv/noark/sak/mappeid/${caseNumber.split("/").map(encodeURIComponent).join("/")}`;

  /** Sends a write and follows it to the end: the URL of what it created (or changed). */
  async function write(request: FintRequest, accepted?: WriteAccepted): Promise<string> {
    const answer = expectStatus(await http.send(request), [202], request, now());
    const statusUrl = resolveLocation(answer, baseUrl, request);
    await accepted?.(statusUrl);
    return follow(statusUrl, request);
  }

  /** Polls a write's status URL to the end: the URL of what it created (or changed). */
  async function follow(statusUrl: string, request: Pick<FintRequest, "description">): Promise<string> {
    const done = await awaitCompletion(statusUrl, request.description, options.poll, pollDeps(request));
    return resolveLocation(done, baseUrl, { ...request, write: true });
  }

  const pollDeps = (request: Pick<FintRequest, "description">) => ({
    get: (url: string) =>
      http.send({ method: "GET", url, write: false, description: `${request.description} status` }),
    now,
    sleep,
  });

  /**
   * What a write taken earlier made, read from its end. Undefined when it made nothing: the archive failed or
   * refused it, or no longer knows its status (410); then only a lookup by external id can tell, and the write
   * may be sent again.
   */
  async function finish<T>(
    statusUrl: string,
    description: string,
    read: (location: string) => Promise<T>,
  ): Promise<T | undefined> {
    let done: Awaited<ReturnType<typeof awaitCompletion>>;
    try {
      done = await awaitCompletion(statusUrl, description, options.poll, pollDeps({ description }), {
        verdictAsAnswer: true,
      });
    } catch (error) {
      if (error instanceof WriteStatusGoneError) return undefined;
      throw error;
    }
    if (done.status !== 201 && done.status !== 303) return undefined;
    return read(resolveLocation(done, baseUrl, { description, write: true }));
  }

  /** Reads what a write created. It exists by now, so any failure here leaves the caller uncertain. */
  async function readCreated(url: string, description: string): Promise<SakResource> {
    let answer: FintAnswer;
    try {
      answer = await http.send({ method: "GET", url, write: false, description });
    } catch (error) {
      throw new ArchiveUnavailableError(`${description}: the write was done, but reading it back failed`, {
        uncertain: true,
        cause: error,
      });
    }
    if (answer.status !== 200) {
      throw new ArchiveUnavailableError(`${description} answered ${answer.status} after the write was done`, {
        uncertain: true,
      });
    }
    return parseJson<SakResource>(answer, description, { afterWrite: true });
  }

  async function readCase(caseNumber: string): Promise<SakResource | undefined> {
    const request = { method: "GET", url: sakByNumberUrl(caseNumber), write: false } as const;
    const description = `GET case ${caseNumber}`;
    const answer = await http.send({ ...request, description });
    if (answer.status === 404) return undefined;
    expectStatus(answer, [200], { write: false, description }, now());
    return parseJson<SakResource>(answer, description, { afterWrite: false });
  }

  async function querySaker(filter: string): Promise<SakResource[]> {
    const description = "POST /arkiv/noark/sak/$query";
    const answer = await http.send({
      method: "POST",
      url: `${baseUrl}/arkiv/noark/sak/$query`,
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: filter,
      write: false,
      description,
    });
    // FINT answers 404 when nothing matched, as its own Flyt gateway reads it.
    if (answer.status === 404) return [];
    expectStatus(answer, [200], { write: false, description }, now());
    const collection = parseJson<FintCollection<SakResource>>(answer, description, { afterWrite: false });
    return [...(collection._embedded?._entries ?? [])];
  }

  return {
    async caseByExternalId(externalId: string): Promise<ArchivedCase | undefined> {
      const [found] = await querySaker(externalIdFilter(externalId));
      return found && toArchivedCase(found, { afterWrite: false });
    },

    async caseByNumber(caseNumber: string): Promise<ArchivedCase | undefined> {
      // Anything else is no FINT case number (and must not become a path of its own).
      if (!/^\d{4}\/\d+$/.test(caseNumber)) return undefined;
      const sak = await readCase(caseNumber);
      return sak && toArchivedCase(sak, { afterWrite: false });
    },

    async searchCases(criteria: Readonly<Record<string, string>>): Promise<ArchivedCase[]> {
      const found = await querySaker(caseFilter(criteria));
      return found.map((sak) => toArchivedCase(sak, { afterWrite: false }));
    },

    async createCase(
      arkivsak: Arkivsak,
      externalId: string,
      accepted?: WriteAccepted,
    ): Promise<ArchivedCase> {
      const description = "POST /arkiv/noark/sak";
      const created = await write(
        {
          method: "POST",
          url: `${baseUrl}/arkiv/noark/sak`,
          headers: { "content-type": "application/json" },
          body: JSON.stringify(toSakResource(arkivsak, externalId, baseUrl)),
          write: true,
          description,
        },
        accepted,
      );
      return toArchivedCase(await readCreated(created, "GET the created case"), { afterWrite: true });
    },

    finishCaseCreate(statusUrl: string): Promise<ArchivedCase | undefined> {
      return finish(statusUrl, "POST /arkiv/noark/sak (taken earlier)", async (location) =>
        toArchivedCase(await readCreated(location, "GET the created case"), { afterWrite: true }),
      );
    },

    finishJournalPost(
      archivedCase: ArchivedCase,
      statusUrl: string,
      externalId: string,
    ): Promise<ArchivedJournalPost | undefined> {
      const description = `PUT journal post to case ${archivedCase.caseNumber} (taken earlier)`;
      return finish(statusUrl, description, async (location) =>
        addedJournalPost(
          await readCreated(location, `GET case ${archivedCase.caseNumber} with the new journal post`),
          archivedCase,
          externalId,
        ),
      );
    },

    async uploadFile(file: FileReference, content: Buffer): Promise<ArchiveFileRef> {
      // The created dokumentfil's Location is what a journal post's document links to; it is not read back,
      // which would download the whole file again.
      return write({
        method: "POST",
        url: `${baseUrl}/arkiv/noark/dokumentfil`,
        headers: {
          "content-type": file.mimeType,
          "content-disposition": attachmentDisposition(file.filename),
        },
        body: content,
        write: true,
        description: "POST /arkiv/noark/dokumentfil",
      });
    },

    async journalPostByExternalId(
      archivedCase: ArchivedCase,
      externalId: string,
    ): Promise<ArchivedJournalPost | undefined> {
      const sak = await readCase(archivedCase.caseNumber);
      return sak && journalPostWithExternalId(sak, archivedCase, externalId);
    },

    async addJournalPost(
      archivedCase: ArchivedCase,
      post: Journalpost,
      files: ReadonlyMap<string, ArchiveFileRef>,
      externalId: string,
      accepted?: WriteAccepted,
    ): Promise<ArchivedJournalPost> {
      const journalpost = toJournalpostResource(post, files, externalId, baseUrl);
      const updated = await write(
        {
          method: "PUT",
          url: sakByNumberUrl(archivedCase.caseNumber),
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ journalpost: [journalpost] }),
          write: true,
          description: `PUT journal post to case ${archivedCase.caseNumber}`,
        },
        accepted,
      );
      const sak = await readCreated(updated, `GET case ${archivedCase.caseNumber} with the new journal post`);
      return addedJournalPost(sak, archivedCase, externalId);
    },
  };
}

function parseJson<T>(answer: FintAnswer, description: string, options: { readonly afterWrite: boolean }): T {
  try {
    return JSON.parse(answer.body) as T;
  } catch (error) {
    throw new ArchiveUnavailableError(`${description} answered something other than JSON`, {
      uncertain: options.afterWrite,
      cause: error,
    });
  }
}
