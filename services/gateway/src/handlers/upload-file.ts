import type { Readable } from "node:stream";
import type { FileStore } from "@flyt/file-store";
import type { FileReference } from "@flyt/schemas";
import { allowedMimeTypes } from "../contract/schemas";
import type { Caller } from "../domain/caller";
import { sanitizeFilename } from "../domain/filename";

export interface UploadDependencies {
  readonly files: FileStore;
  readonly newFileId: () => string;
  readonly limitBytes: number;
}

export type UploadOutcome =
  | { readonly outcome: "stored"; readonly file: FileReference }
  | { readonly outcome: "unsupported-type"; readonly mimeType: string }
  | { readonly outcome: "missing-filename" }
  | { readonly outcome: "too-large"; readonly limitBytes: number }
  | { readonly outcome: "empty" };

/**
 * `POST /api/v1/files`: a document's content, streamed to the file store (hashed and counted on the way, never
 * held whole in memory), for journal posts to refer to by `fileId`.
 */
export async function uploadFile(
  deps: UploadDependencies,
  request: {
    readonly caller: Caller;
    readonly mimeType: string;
    readonly filename: string | undefined;
    /** Content-Length, when the client sent one: too large is refused before a byte is read. */
    readonly declaredBytes: number | undefined;
    readonly content: Readable;
  },
): Promise<UploadOutcome> {
  if (!(allowedMimeTypes as readonly string[]).includes(request.mimeType)) {
    return { outcome: "unsupported-type", mimeType: request.mimeType };
  }
  if (request.declaredBytes !== undefined && request.declaredBytes > deps.limitBytes) {
    return { outcome: "too-large", limitBytes: deps.limitBytes };
  }
  const filename = request.filename === undefined ? undefined : sanitizeFilename(request.filename);
  if (!filename) return { outcome: "missing-filename" };
  const stored = await deps.files.store(
    { owner: request.caller, id: deps.newFileId(), filename, mimeType: request.mimeType },
    request.content,
    deps.limitBytes,
  );
  return stored.outcome === "stored" ? { outcome: "stored", file: stored.reference } : stored;
}
