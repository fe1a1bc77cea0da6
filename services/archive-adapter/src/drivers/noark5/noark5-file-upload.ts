import { ArchiveRefusedError, ArchiveUnavailableError } from "../archive-errors";
import { linkUrl, type Noark5Object } from "./links";
import type { ContentRangeForm, FileToSend, Noark5Client } from "./noark5-client";
import type { Located, Noark5Navigator } from "./noark5-navigator";
import { REL } from "./noark5-relations";
import type { StagedFile } from "./staged-files";
import type { UploadSession, UploadSessions } from "./upload-sessions";

/** How files go to this archive. */
export interface UploadSettings {
  /** Bytes per chunk of a chunked upload. */
  readonly chunkBytes: number;
  /** How a chunk's Content-Range is written (see ContentRangeForm). */
  readonly contentRange: ContentRangeForm;
  /**
   * A chunked upload the archive acknowledged nothing of for this long is not gone on with but started over: the
   * standard says nothing of how long a server keeps a session, and one it dropped may answer anything.
   */
  readonly sessionMaxAgeMs?: number;
  /** Failed attempts in a row to go on with a session (5xx, no answer) after which the upload starts over. */
  readonly sessionMaxFailures?: number;
}

export const DEFAULT_UPLOAD = {
  chunkBytes: 8 * 1024 * 1024,
  contentRange: "v1.1",
  sessionMaxAgeMs: 60 * 60_000,
  sessionMaxFailures: 3,
} as const satisfies Required<UploadSettings>;

/** Answers in a row that acknowledge nothing new before a chunked upload is given up on (for this attempt). */
const MAX_STALLED_CHUNKS = 3;

/**
 * Above this a whole upload is "too big" when `admin/system` does not say: "Hvis feltet mangler skal det antas å
 * være 157286400 (150 MiB)" (post-1.1, HEAD 06-konsepter_og_prinsipper.rst:176–179; v1.1 says "over 150MB" for
 * chunks, 06…rst:1440).
 */
export const DEFAULT_BULKGRENSE = 157_286_400;

/**
 * What became of a file sent to a dokumentobjekt: `stored`, or `start-over` when the dokumentobjekt holds a
 * failed upload (422, "the client deletes the leftovers", 06-konsepter_og_prinsipper.rst:1478–1483) or an
 * upload the archive no longer knows how to go on with: it must be deleted and the file sent to a new one.
 */
export type UploadOutcome = "stored" | "start-over";

export interface FileUploads {
  /** Sends the file to a new dokumentobjekt: whole, or in chunks when it is above the archive's bulkgrense. */
  send(objekt: Located, file: StagedFile): Promise<UploadOutcome>;
  /**
   * Goes on with an upload to this dokumentobjekt an earlier attempt began in chunks, from the last chunk the
   * archive acknowledged; `start-over` when there is none to go on with: nothing kept, a session the archive
   * acknowledged nothing of for `sessionMaxAgeMs`, one it refuses (any 4xx: what a server answers for a session
   * it forgot is not in the standard), or one it failed (5xx, no answer) `sessionMaxFailures` times in a row.
   */
  resume(objekt: Located, file: StagedFile): Promise<UploadOutcome>;
  /** Deletes a dokumentobjekt whose upload failed, and what was kept of it. */
  discard(objekt: Located): Promise<void>;
  /**
   * Whether the dokumentobjekt holds the whole file, by its size (`unknown` when the archive does not say, as
   * after any upload); once it does, what was kept of its upload is done with.
   */
  holdsWhole(objekt: Located, file: StagedFile): Promise<"whole" | "none" | "short" | "unknown">;
}

export function createFileUploads(options: {
  readonly navigator: Noark5Navigator;
  readonly client: Noark5Client;
  readonly sessions: UploadSessions;
  readonly settings: UploadSettings;
  readonly now: () => number;
}): FileUploads {
  const { navigator, client, sessions, now } = options;
  const settings = { ...DEFAULT_UPLOAD, ...options.settings };
  let limit: Promise<number> | undefined;

  /**
   * The archive's `bulkgrense` (post-1.1: largest whole upload in bytes, 0 for no limit), read once from
   * `admin/system`; the default when it has no such link or field.
   */
  function bulkgrense(): Promise<number> {
    limit ??= (async () => {
      const system = await navigator.optionalEntryPoint(REL.adminSystem).catch((error: unknown) => {
        // A server may keep admin/system from this client (06…rst:197–199): then the default holds.
        if (error instanceof ArchiveRefusedError) return undefined;
        throw error;
      });
      const value = system?.body.bulkgrense;
      return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : DEFAULT_BULKGRENSE;
    })().catch((error: unknown) => {
      limit = undefined;
      throw error;
    });
    return limit;
  }

  function filUrl(objekt: Located): string {
    return linkUrl(navigator.link(objekt, REL.fil, "the dokumentobjekt"), {}, objekt.url);
  }

  const toSend = (file: StagedFile): FileToSend => ({
    content: file.content,
    mimeType: file.file.mimeType,
    filename: file.file.filename,
  });
  const purposeOf = (file: StagedFile) => `the file ${file.file.filename}`;
  const isUploadFailure = (error: unknown) => error instanceof ArchiveRefusedError && error.status === 422;

  /**
   * Chunks from `received` on, each acknowledged before the next, each starting where the archive says it has
   * got to (its `Range`, which may be short of what was sent: Google's resumable upload, the standard's model,
   * lets a server keep part of a chunk). What the archive acknowledged is kept. Once the archive says the file is
   * complete, it is checked to be there, whole.
   */
  async function sendChunks(
    fil: string,
    file: StagedFile,
    sessionUrl: string,
    received: number,
  ): Promise<void> {
    const total = file.content.length;
    let at = received;
    let url = sessionUrl;
    for (let stalled = 0; ; ) {
      const length = Math.min(settings.chunkBytes, total - at);
      const answer = await client.putChunk(
        url,
        { file: toSend(file), from: at, length, form: settings.contentRange },
        purposeOf(file),
      );
      if (answer.done) {
        // The session is kept until the file is checked: a check that fails (503) is made again next attempt.
        await verifyStored(fil, file, answer.answer.body);
        await sessions.forget(fil);
        return;
      }
      if (answer.received > total) {
        throw new ArchiveRefusedError(
          `the archive acknowledged ${answer.received} of ${total} bytes of ${purposeOf(file)}`,
        );
      }
      stalled = answer.received > at ? 0 : stalled + 1;
      if (stalled >= MAX_STALLED_CHUNKS) {
        throw new ArchiveUnavailableError(
          `the archive acknowledged nothing new of ${purposeOf(file)} ${stalled} times in a row (at ${answer.received} of ${total} bytes)`,
        );
      }
      at = answer.received;
      url = answer.next;
      await sessions.save(fil, session(url, at, file));
    }
  }

  const session = (sessionUrl: string, received: number, file: StagedFile) => ({
    sessionUrl,
    received,
    totalBytes: file.content.length,
    sha256: file.sha256,
    acknowledgedAt: now(),
    failures: 0,
  });

  /**
   * The archive said the upload is complete: its dokumentobjekt must say the size sent (when the answer carries
   * it, `filstoerrelse`), and its file must be there with that many bytes (a server checks the size against
   * X-Upload-Content-Length itself, 06-konsepter_og_prinsipper.rst:1400–1418 at tag versjon-1.1, but one that
   * answered the last chunk without its dokumentobjekt or Range has shown nothing). Otherwise the upload failed
   * as a 422 does: the dokumentobjekt is deleted and the file sent again.
   */
  async function verifyStored(fil: string, file: StagedFile, answered: Noark5Object): Promise<void> {
    const total = file.content.length;
    const said = Number(answered.filstoerrelse ?? Number.NaN);
    const stored = await client.storedBytes(fil, purposeOf(file));
    const problem =
      answered.filstoerrelse !== undefined && said !== total
        ? `its dokumentobjekt says ${answered.filstoerrelse} bytes`
        : stored === "none"
          ? "it has no file"
          : stored !== undefined && stored !== total
            ? `its file has ${stored} bytes`
            : undefined;
    if (problem !== undefined) {
      throw new ArchiveRefusedError(
        `the archive said the chunked upload of ${purposeOf(file)} (${total} bytes) was complete, but ${problem}`,
        { status: 422 },
      );
    }
  }

  async function sendInChunks(fil: string, file: StagedFile): Promise<void> {
    const sessionUrl = await client.startUploadSession(fil, toSend(file), purposeOf(file));
    await sessions.save(fil, session(sessionUrl, 0, file));
    await sendChunks(fil, file, sessionUrl, 0);
  }

  /**
   * Goes on with a session; a failure that may pass (5xx, no answer) is counted against it, and the session is
   * given up once it failed `sessionMaxFailures` times in a row: a server that forgot a session may answer 5xx
   * for ever.
   */
  async function goOn(fil: string, file: StagedFile, kept: UploadSession): Promise<UploadOutcome> {
    try {
      await sendChunks(fil, file, kept.sessionUrl, kept.received);
      return "stored";
    } catch (error) {
      // Any refusal: the archive does not know this session (any more), or holds other bytes than we think.
      if (error instanceof ArchiveRefusedError) return "start-over";
      if (!(error instanceof ArchiveUnavailableError)) throw error;
      const latest = await sessions.get(fil);
      if (!latest) throw error;
      const failures = latest.failures + 1;
      if (failures >= settings.sessionMaxFailures) return "start-over";
      await sessions.save(fil, { ...latest, failures });
      throw error;
    }
  }

  async function sendWhole(fil: string, file: StagedFile): Promise<"stored" | "too-big"> {
    try {
      await client.upload(fil, toSend(file), purposeOf(file));
      return "stored";
    } catch (error) {
      // Post-1.1: a server that finds the file too big for one request answers 403 and wants it in chunks
      // (HEAD 06-konsepter_og_prinsipper.rst:1443–1449).
      if (error instanceof ArchiveRefusedError && error.status === 403) return "too-big";
      throw error;
    }
  }

  return {
    async send(objekt, file) {
      const fil = filUrl(objekt);
      const threshold = await bulkgrense();
      try {
        const whole = threshold === 0 || file.content.length <= threshold;
        if (whole && (await sendWhole(fil, file)) === "stored") return "stored";
        await sendInChunks(fil, file);
        return "stored";
      } catch (error) {
        if (!isUploadFailure(error)) throw error;
        return "start-over";
      }
    },
    async resume(objekt, file) {
      const fil = filUrl(objekt);
      const kept = await sessions.get(fil);
      if (!kept || kept.sha256 !== file.sha256 || kept.totalBytes !== file.content.length) {
        return "start-over";
      }
      const stale = now() - kept.acknowledgedAt > settings.sessionMaxAgeMs;
      if (stale || kept.failures >= settings.sessionMaxFailures) return "start-over";
      return goOn(fil, file, kept);
    },
    async holdsWhole(objekt, file) {
      const fil = filUrl(objekt);
      const stored = await client.storedBytes(fil, purposeOf(file));
      if (stored === "none") return "none";
      if (stored !== undefined && stored !== file.content.length) return "short";
      await sessions.forget(fil);
      return stored === undefined ? "unknown" : "whole";
    },
    async discard(objekt) {
      const self = navigator.link(objekt, "self", "the dokumentobjekt");
      await client.delete(
        linkUrl(self, {}, objekt.url),
        objekt.etag,
        "the dokumentobjekt of a failed upload",
      );
      await sessions.forget(filUrl(objekt));
    },
  };
}

/** Two fresh starts, then the failure is the archive's to clear: tried again later, nothing left behind. */
export const MAX_FRESH_UPLOADS = 2;

export function uploadKeepsFailing(filename: string): ArchiveUnavailableError {
  return new ArchiveUnavailableError(
    `the archive failed to store the file ${filename} (422) ${MAX_FRESH_UPLOADS} times; its leftovers were deleted`,
  );
}
