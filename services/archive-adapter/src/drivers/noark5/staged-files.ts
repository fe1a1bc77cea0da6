import { createHash, randomUUID } from "node:crypto";
import type { FileReference } from "@flyt/schemas";

/**
 * Why files wait here: the driver interface uploads a file before the journal post that uses it exists, but in
 * Noark 5 a file can only be sent to a dokumentobjekt, which needs a dokumentbeskrivelse, which needs the
 * journal post. So `uploadFile` keeps the bytes in memory and returns a reference to them; `addJournalPost`
 * creates the chain and sends each file to its dokumentobjekt's `fil` link. Entries expire, so a journal post
 * that is never added (its case refused) does not keep its files in memory for ever. A process that restarts
 * between the two loses what was staged: the driver then asks its `contentOf` option, if it has one.
 */
export interface StagedFile {
  readonly file: FileReference;
  readonly content: Buffer;
  /** Lower-case hex SHA-256 of `content`, as the archive is told to check it. */
  readonly sha256: string;
}

export interface StagedFiles {
  stage(file: FileReference, content: Buffer): string;
  /** The staged file behind a reference this driver returned, if it is still here. */
  get(ref: string): StagedFile | undefined;
  /**
   * The archive has the file: it is kept only a little longer, for another journal post of the same submission
   * that uses the same file.
   */
  release(ref: string): void;
  readonly size: number;
}

const PREFIX = "noark5-staged:";
/** How long a file the archive has is still kept (see `release`). */
const AFTER_RELEASE_MS = 10 * 60 * 1000;

export function sha256Hex(content: Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

/** Whether a reference is one `stage` made (a reference from another driver is not). */
export function isStagedRef(ref: string): boolean {
  return ref.startsWith(PREFIX);
}

export function createStagedFiles(options: {
  readonly ttlMs: number;
  readonly now: () => number;
}): StagedFiles {
  const entries = new Map<string, StagedFile & { expiresAt: number }>();

  function evictExpired(): void {
    const now = options.now();
    for (const [ref, entry] of entries) if (entry.expiresAt <= now) entries.delete(ref);
  }

  return {
    stage(file, content) {
      evictExpired();
      const ref = `${PREFIX}${randomUUID()}`;
      entries.set(ref, {
        file,
        content,
        sha256: sha256Hex(content),
        expiresAt: options.now() + options.ttlMs,
      });
      return ref;
    },
    get(ref) {
      const entry = entries.get(ref);
      if (!entry || entry.expiresAt <= options.now()) return undefined;
      return { file: entry.file, content: entry.content, sha256: entry.sha256 };
    },
    release(ref) {
      const entry = entries.get(ref);
      if (entry) entry.expiresAt = Math.min(entry.expiresAt, options.now() + AFTER_RELEASE_MS);
    },
    get size() {
      evictExpired();
      return entries.size;
    },
  };
}
