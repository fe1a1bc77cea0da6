import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { HttpProblem } from "./http-problem";

/**
 * File uploads as the standard describes them (06-konsepter_og_prinsipper.rst:1346–1583 at tag versjon-1.1;
 * later text on HEAD 2a078e1, 2025-04-12, marked "post-1.1").
 *
 * - A whole file: `POST` to the `…/arkivstruktur/fil/` href with Content-Type and Content-Length → 201 and the
 *   dokumentobjekt (1421–1435).
 * - What was given at creation is checked once the file is in: mimeType = Content-Type (or X-Upload-Content-Type),
 *   filstoerrelse = Content-Length (or X-Upload-Content-Length), sjekksum; a mismatch is 400 (1400–1418).
 * - A file already there is never overwritten: the dokumentobjekt must be deleted first (1471–1476); Nikita
 *   answers "There is already a file associated with ..." with 400 (webapp/service/impl/DocumentObjectService.java
 *   :853, StorageException).
 * - Post-1.1: a server that finds a whole upload too big answers 403 so the client uses chunks; the limit is
 *   `bulkgrense` in `admin/system`, 157286400 when absent, 0 for none (HEAD 06…rst:1443–1449, 176–179).
 * - Chunks: `POST` with Content-Length 0, X-Upload-Content-Type and X-Upload-Content-Length → 200 and a session
 *   URI in Location; `PUT` to it with Content-Range → 200 and Range (what the server has), the last → 201 and
 *   the dokumentobjekt (1438–1470, example 1486–1556). v1.1 writes the headers with the unit (`Content-Range:
 *   bytes 0-524287/2000000`, `Range: bytes 0-524287`) and keeps the session URI; post-1.1 (HEAD 06…rst:1451–1499, example 1501ff)
 *   drops the unit (`0-524287/2000000`) and gives a new Location with each answer. The fake takes either form of
 *   Content-Range and answers in the form of its `chunkProtocol`; in `2025` only the newest Location is valid.
 * - What a server answers to a chunk that does not continue where the last ended, or to a session it no longer
 *   knows, is not in the standard (UNVERIFIED): the fake answers 400 to a gap or overlap and `unknownSessionStatus`
 *   (400 unless a test says) to an unknown session.
 * - The file's name: the standard has no header for it (no Content-Disposition anywhere); it is `filnavn` on the
 *   dokumentobjekt. Nikita reads `X-File-Name` (DocumentObjectService.java:190) — the fake does too, when the
 *   dokumentobjekt has no `filnavn`.
 */
export type ChunkProtocol = "v1.1" | "2025";

/**
 * How a server may answer chunks beyond the standard's two forms, each UNVERIFIED against a Noark 5 server (none
 * found that implements chunks) but what Google's resumable upload does, which the standard names as its model
 * (06-konsepter_og_prinsipper.rst:1441–1443 at tag versjon-1.1): a Range in RFC 9110's request form
 * (`bytes=0-524287`), part of a chunk kept ("the server may not have received all the bytes", and the client goes
 * on from the Range), and the last chunk answered 200 without Range or body.
 */
export interface ChunkQuirks {
  readonly rangeWithEquals?: boolean;
  /** Keeps at most this many bytes of each chunk, and says so in its Range. */
  readonly keepsAtMostBytes?: number;
  readonly bareLastAnswer?: boolean;
}

export interface StoredFile {
  readonly content: Buffer;
  readonly mimeType: string;
  readonly filename: string;
}

/** The dokumentobjekt's fields the upload is checked against, and what it gets once the file is in. */
export interface UploadTarget {
  fields: Record<string, unknown>;
  file?: StoredFile;
  version: number;
}

interface Session {
  readonly target: UploadTarget;
  readonly mimeType: string;
  readonly total: number;
  readonly parts: Buffer[];
  received: number;
  /** The session URI query value the next PUT must use. */
  ref: string;
  chunks: number;
}

/** `bytes 0-524287/2000000` (v1.1) or `0-524287/2000000` (post-1.1). */
function parseContentRange(header: string | undefined): { first: number; last: number; total: number } {
  const match = /^\s*(?:bytes\s+)?(\d+)-(\d+)\/(\d+)\s*$/.exec(header ?? "");
  if (!match) throw new HttpProblem(400, `ugyldig Content-Range «${header ?? ""}»`);
  return { first: Number(match[1]), last: Number(match[2]), total: Number(match[3]) };
}

function mediaType(header: string | undefined): string {
  return (header ?? "").split(";")[0]?.trim() ?? "";
}

export function createUploads(options: {
  readonly chunkProtocol: ChunkProtocol;
  /** `admin/system`'s bulkgrense: above it a whole upload is 403 (post-1.1). 0: no limit. */
  readonly bulkgrense: number;
  readonly unknownSessionStatus: number;
  readonly quirks?: ChunkQuirks;
}) {
  const sessions = new Map<string, Session>();
  const quirks = options.quirks ?? {};
  /** Completed chunked uploads to answer as stored without keeping the file (a broken server). */
  let losing = 0;
  /** Completed chunked uploads to answer as stored while keeping only half the file (a broken server). */
  let shortening = 0;

  /** The checks the standard asks for once the file is complete, then the file is stored. */
  function complete(
    target: UploadTarget,
    content: Buffer,
    mimeType: string,
    filenameHeader: string | undefined,
  ) {
    const { mimeType: declaredType, filstoerrelse, sjekksum, filnavn } = target.fields;
    if (typeof declaredType === "string" && declaredType !== mimeType) {
      throw new HttpProblem(400, `Content-Type ${mimeType} stemmer ikke med mimeType ${declaredType}`);
    }
    if (typeof filstoerrelse === "number" && filstoerrelse !== content.length) {
      throw new HttpProblem(400, `filen er ${content.length} byte, ikke ${filstoerrelse}`);
    }
    const sha256 = createHash("sha256").update(content).digest("hex");
    if (typeof sjekksum === "string" && sjekksum.toLowerCase() !== sha256) {
      throw new HttpProblem(400, "sjekksummen stemmer ikke med filen");
    }
    const filename = typeof filnavn === "string" ? filnavn : (filenameHeader ?? "fil");
    target.file = { content, mimeType, filename };
    target.fields = {
      ...target.fields,
      filnavn: filename,
      mimeType,
      filstoerrelse: content.length,
      sjekksum: sha256,
      sjekksumAlgoritme: "SHA-256",
      // 'av/0' for a format the server does not recognise (06…rst:1413–1414).
      format: { kode: mimeType === "application/pdf" ? "fmt/95" : "av/0" },
    };
    target.version += 1;
  }

  function refuseSecondFile(target: UploadTarget): void {
    if (target.file) {
      throw new HttpProblem(
        400,
        "There is already a file associated with this dokumentobjekt; delete it first",
      );
    }
  }

  const rangeHeader = (received: number) =>
    quirks.rangeWithEquals
      ? `bytes=0-${received - 1}`
      : options.chunkProtocol === "v1.1"
        ? `bytes 0-${received - 1}`
        : `0-${received - 1}`;

  return {
    /** A POST to the fil href: a whole file, or the start of a chunked session. */
    post(
      target: UploadTarget,
      request: IncomingMessage,
      content: Buffer,
    ): { kind: "stored" } | { kind: "session"; ref: string } {
      refuseSecondFile(target);
      const announced = request.headers["x-upload-content-length"];
      if (announced !== undefined) {
        const total = Number(announced);
        if (!Number.isInteger(total) || total <= 0 || content.length !== 0) {
          throw new HttpProblem(
            400,
            "en opplastingsøkt starter med Content-Length 0 og X-Upload-Content-Length",
          );
        }
        const mimeType = mediaType(request.headers["x-upload-content-type"] as string | undefined);
        if (mimeType === "") throw new HttpProblem(400, "X-Upload-Content-Type mangler");
        const ref = randomBytes(6).toString("hex");
        sessions.set(ref, { target, mimeType, total, parts: [], received: 0, ref, chunks: 0 });
        return { kind: "session", ref };
      }
      if (content.length === 0) throw new HttpProblem(400, "tom fil");
      if (options.bulkgrense > 0 && content.length > options.bulkgrense) {
        // Post-1.1 (HEAD 06…rst:1443–1449): too big for one request; the client must use chunks.
        throw new HttpProblem(
          403,
          `filen er større enn bulkgrensen ${options.bulkgrense}; bruk bolkvis overføring`,
        );
      }
      const filename = request.headers["x-file-name"];
      complete(target, content, mediaType(request.headers["content-type"]), filename as string | undefined);
      return { kind: "stored" };
    },

    /** A PUT to a session URI: one chunk. */
    put(
      target: UploadTarget,
      ref: string | null,
      request: IncomingMessage,
      content: Buffer,
    ): { kind: "stored"; bare: boolean } | { kind: "more"; ref: string; range: string } {
      const session = ref === null ? undefined : sessions.get(ref);
      if (!session || session.target !== target || session.ref !== ref) {
        throw new HttpProblem(options.unknownSessionStatus, `ukjent opplastingsøkt ${ref ?? ""}`);
      }
      const range = parseContentRange(request.headers["content-range"]);
      if (range.total !== session.total) {
        throw new HttpProblem(400, `Content-Range sier ${range.total} byte, økten ${session.total}`);
      }
      if (range.first !== session.received || range.last < range.first || range.last >= session.total) {
        throw new HttpProblem(
          400,
          `bolken ${range.first}-${range.last} følger ikke etter ${session.received} mottatte byte`,
        );
      }
      if (content.length !== range.last - range.first + 1) {
        throw new HttpProblem(400, `Content-Length ${content.length} stemmer ikke med Content-Range`);
      }
      const kept = content.subarray(0, quirks.keepsAtMostBytes ?? content.length);
      session.parts.push(kept);
      session.received += kept.length;
      session.chunks += 1;
      if (session.received < session.total) {
        if (options.chunkProtocol === "2025") {
          sessions.delete(session.ref);
          session.ref = `${session.ref.split("-")[0]}-${session.chunks + 1}`;
          sessions.set(session.ref, session);
        }
        return { kind: "more", ref: session.ref, range: rangeHeader(session.received) };
      }
      sessions.delete(session.ref);
      if (losing > 0) {
        losing -= 1;
        return { kind: "stored", bare: quirks.bareLastAnswer === true };
      }
      if (shortening > 0) {
        shortening -= 1;
        const whole = Buffer.concat(session.parts);
        target.file = {
          content: whole.subarray(0, whole.length >> 1),
          mimeType: session.mimeType,
          filename: "fil",
        };
        target.version += 1;
        return { kind: "stored", bare: quirks.bareLastAnswer === true };
      }
      // The X-Upload-Content-* values stand for Content-Type and Content-Length (06…rst:1405–1409).
      complete(
        target,
        Buffer.concat(session.parts),
        session.mimeType,
        request.headers["x-file-name"] as string | undefined,
      );
      return { kind: "stored", bare: quirks.bareLastAnswer === true };
    },
    /** The next `count` chunked uploads are answered as complete, and their files not kept. */
    loseCompleted(count: number): void {
      losing += count;
    },
    /** The next `count` chunked uploads are answered as complete, and only half of each file kept. */
    shortenCompleted(count: number): void {
      shortening += count;
    },

    /** The dokumentobjekt was deleted: its sessions go with it. */
    forgetTarget(target: UploadTarget): void {
      for (const [ref, session] of sessions) if (session.target === target) sessions.delete(ref);
    },
    /** As a server that restarted or expired its sessions. */
    forgetAll(): void {
      sessions.clear();
    },
    get open(): number {
      return sessions.size;
    },
  };
}
