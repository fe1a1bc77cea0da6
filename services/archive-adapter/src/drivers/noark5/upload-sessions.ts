/**
 * Chunked uploads begun and not finished, kept so an upload the process did not see through (a timeout, a
 * crash) goes on from the last chunk the archive acknowledged rather than from the start. The standard describes
 * no way to ask an archive how far an upload got (06-konsepter_og_prinsipper.rst:1438–1470 at tag versjon-1.1;
 * nor post-1.1): only its `Range` answer to each chunk says, so that is what is kept. Keyed by the
 * dokumentobjekt's `fil` URL, which is the archive's own and does not change.
 */
export interface UploadSession {
  /** Where the next chunk goes: the session URI, or the newest Location the archive gave. */
  readonly sessionUrl: string;
  /** Bytes the archive acknowledged having (the next chunk starts here). */
  readonly received: number;
  /** The file this session is for: its size and SHA-256 (a different file never resumes it). */
  readonly totalBytes: number;
  readonly sha256: string;
  /** When the archive last acknowledged a chunk (or gave the session): a session idle too long has expired there. */
  readonly acknowledgedAt: number;
  /** Attempts to go on with it that failed since then: a session the archive forgot may fail so for ever. */
  readonly failures: number;
}

export interface UploadSessions {
  get(filUrl: string): Promise<UploadSession | undefined>;
  save(filUrl: string, session: UploadSession): Promise<void>;
  forget(filUrl: string): Promise<void>;
}

/** Sessions in this process only: enough to resume after a timeout, not after a restart. */
export function inMemoryUploadSessions(): UploadSessions {
  const sessions = new Map<string, UploadSession>();
  return {
    async get(filUrl) {
      return sessions.get(filUrl);
    },
    async save(filUrl, session) {
      sessions.set(filUrl, session);
    },
    async forget(filUrl) {
      sessions.delete(filUrl);
    },
  };
}
