import type { Dokument, Journalpost } from "@flyt/schemas";
import { findLink } from "./links";
import { type FileUploads, MAX_FRESH_UPLOADS, uploadKeepsFailing } from "./noark5-file-upload";
import {
  type BusinessMetadataFields,
  codeOf,
  completedPatch,
  dokumentbeskrivelseBody,
  dokumentobjektBody,
  internalCorrespondentBody,
  isCompleted,
  journalpostBody,
  korrespondansepartBody,
  type ScreeningSettings,
} from "./noark5-mapping";
import type { Located, Noark5Navigator } from "./noark5-navigator";
import { REL } from "./noark5-relations";
import { addScreeningMetadata } from "./noark5-screening";
import { equals } from "./odata-filter";
import type { StagedFile } from "./staged-files";

/** A document of the journal post with the bytes that go with it. */
export interface DocumentToArchive {
  readonly dokument: Dokument;
  readonly file: StagedFile;
}

/** Journal posts of a saksmappe: finding them, and writing one with its correspondents, documents and files. */
export interface Noark5JournalPosts {
  /** The journal post of this saksmappe created with this external id, finished or not. */
  find(saksmappe: Located, externalId: string): Promise<Located | undefined>;
  /**
   * Creates the journal post (saksmappe → journalpost → dokumentbeskrivelse → dokumentobjekt → fil), or finishes
   * one an earlier attempt left unfinished, adding only what it lacks. Returns it finished.
   */
  createOrFinish(
    saksmappe: Located,
    post: Journalpost,
    documents: readonly DocumentToArchive[],
    externalId: string,
  ): Promise<Located>;
}

export function createNoark5JournalPosts(options: {
  readonly navigator: Noark5Navigator;
  readonly fields: BusinessMetadataFields;
  readonly screening: ScreeningSettings;
  readonly uploads: FileUploads;
}): Noark5JournalPosts {
  const { navigator, fields, screening, uploads } = options;

  /** A saksmappe lists its journal posts under sakarkiv's relation; a plain mappe under registrering. */
  function journalPostList(saksmappe: Located): string {
    return findLink(saksmappe.body, REL.journalpost) ? REL.journalpost : REL.registrering;
  }

  async function addCorrespondents(
    journalpost: Located,
    post: Journalpost,
    resuming: boolean,
  ): Promise<void> {
    const existing = resuming
      ? await navigator.list(
          journalpost,
          REL.korrespondansepart,
          undefined,
          "correspondents of the journalpost",
        )
      : [];
    // Matched on type and name (or case officer), which is what tells one correspondent from another here.
    const keys = new Set(
      existing.map(
        (part) =>
          `${codeOf(part.body, "korrespondanseparttype")}\u0000${String(part.body.navn ?? part.body.saksbehandler ?? "")}`,
      ),
    );
    const has = (type: string, name: string | null | undefined) => keys.has(`${type}\u0000${name ?? ""}`);

    for (const part of post.korrespondansepart) {
      const { kind, body } = korrespondansepartBody(part);
      if (has(codeOf(body, "korrespondanseparttype") ?? "", part.navn)) continue;
      const rel = kind === "enhet" ? REL.nyKorrespondansepartenhet : REL.nyKorrespondansepartperson;
      await navigator.create(journalpost, rel, body, "ny-korrespondansepart");
    }
    const internal = internalCorrespondentBody(post);
    if (internal && !has(codeOf(internal, "korrespondanseparttype") ?? "", post.saksbehandler)) {
      await navigator.create(
        journalpost,
        REL.nyKorrespondansepartintern,
        internal,
        "ny-korrespondansepartintern",
      );
    }
  }

  function newObjectBody(file: StagedFile) {
    return dokumentobjektBody({
      filename: file.file.filename,
      mimeType: file.file.mimeType,
      sha256: file.sha256,
      sizeBytes: file.content.length,
    });
  }

  function newObject(beskrivelse: Located, file: StagedFile): Promise<Located> {
    return navigator.create(beskrivelse, REL.nyDokumentobjekt, newObjectBody(file), "ny-dokumentobjekt");
  }

  /**
   * The file to a new dokumentobjekt of the description; when the archive fails the upload (422), the
   * dokumentobjekt is deleted, as the standard has the client do, and the file sent to a new one.
   */
  async function storeInNewObject(beskrivelse: Located, file: StagedFile): Promise<void> {
    let objekt = await newObject(beskrivelse, file);
    for (let attempt = 1; ; attempt += 1) {
      if ((await uploads.send(objekt, file)) === "stored") return;
      await uploads.discard(objekt);
      if (attempt >= MAX_FRESH_UPLOADS) throw uploadKeepsFailing(file.file.filename);
      objekt = await newObject(beskrivelse, file);
    }
  }

  /** A document written from scratch: its description, its object, its file. */
  async function addDocument(journalpost: Located, { dokument, file }: DocumentToArchive): Promise<void> {
    const beskrivelse = await navigator.create(
      journalpost,
      REL.nyDokumentbeskrivelse,
      dokumentbeskrivelseBody(dokument),
      "ny-dokumentbeskrivelse",
    );
    await storeInNewObject(beskrivelse, file);
  }

  /**
   * A document an earlier attempt began: its object and file, if they did not get there. A file is taken as
   * there only by its size (an upload the archive called complete may not have been checked yet); a
   * dokumentobjekt without its file goes on with the chunked upload begun to it, and one with a short file, or
   * whose upload cannot go on, is deleted and made again: a file is never sent over a half-made upload.
   */
  async function finishDocument(beskrivelse: Located, file: StagedFile): Promise<void> {
    const [objekt] = await navigator.list(beskrivelse, REL.dokumentobjekt, undefined, "dokumentobjekt");
    if (!objekt) return storeInNewObject(beskrivelse, file);
    const held = await uploads.holdsWhole(objekt, file);
    if (held === "whole" || held === "unknown") return;
    if (held === "none" && (await uploads.resume(objekt, file)) === "stored") return;
    await uploads.discard(objekt);
    await storeInNewObject(beskrivelse, file);
  }

  async function addDocuments(
    journalpost: Located,
    documents: readonly DocumentToArchive[],
    resuming: boolean,
  ): Promise<void> {
    const unmatched = resuming
      ? await navigator.list(journalpost, REL.dokumentbeskrivelse, undefined, "documents of the journalpost")
      : [];
    for (const document of documents) {
      // A description an earlier attempt made has the same title and role; each is used for one document.
      const index = unmatched.findIndex(
        (candidate) =>
          candidate.body.tittel === document.dokument.tittel &&
          codeOf(candidate.body, "tilknyttetRegistreringSom") === document.dokument.tilknyttetRegistreringSom,
      );
      const begun = index >= 0 ? unmatched.splice(index, 1)[0] : undefined;
      if (begun) await finishDocument(begun, document.file);
      else await addDocument(journalpost, document);
    }
  }

  const journalPosts: Noark5JournalPosts = {
    async find(saksmappe, externalId) {
      const [found] = await navigator.list(
        saksmappe,
        journalPostList(saksmappe),
        equals(fields.externalId, externalId),
        "journalpost by external id",
      );
      return found;
    },
    async createOrFinish(saksmappe, post, documents, externalId) {
      const unfinished = await journalPosts.find(saksmappe, externalId);
      if (unfinished && isCompleted(unfinished.body, fields)) return unfinished;
      const journalpost =
        unfinished ??
        (await navigator.create(
          saksmappe,
          REL.nyJournalpost,
          journalpostBody(post, externalId, fields, screening),
          "ny-journalpost",
        ));
      const resuming = unfinished !== undefined;
      await addScreeningMetadata(
        navigator,
        journalpost,
        post.skjerming,
        screening.journalpost,
        screening,
        resuming,
      );
      await addCorrespondents(journalpost, post, resuming);
      await addDocuments(journalpost, documents, resuming);
      return navigator.patch(journalpost, completedPatch(fields), "the journalpost");
    },
  };
  return journalPosts;
}
