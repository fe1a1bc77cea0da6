import { PermanentError, TransientError } from "@flyt/errors";

/**
 * The archive could not be reached or did not answer in time, or answered 5xx or 429: trying again later may
 * succeed. `uncertain` when the write may have happened anyway (a timeout after the request was sent), so the
 * adapter looks for it by external id before writing again.
 */
export class ArchiveUnavailableError extends TransientError {
  readonly uncertain: boolean;
  /** From the archive's Retry-After, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    options: { uncertain?: boolean; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.uncertain = options.uncertain ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * The archive took a write and is still working on it, or may still be handed it (FINT's status window): it
 * answers, so this is no sign of an archive that is down (a circuit breaker does not count it), but the
 * submission must wait before it goes on.
 */
export class WriteInProgressError extends ArchiveUnavailableError {}

/** The archive refused the content (4xx with its validation text): sending the same again will fail again. */
export class ArchiveRefusedError extends PermanentError {
  /** The archive's own words, kept for the archivist. */
  readonly archiveMessage: string;
  readonly status: number | undefined;
  /**
   * The archive had taken the write when it refused it (FINT: REJECTED or CONFLICT at the status URL of a write
   * answered 202). It may have written it all the same (Public 360's adapter answers REJECTED when reading back a
   * case it has just made fails), so the write is looked for before the refusal is believed.
   */
  readonly afterAccepted: boolean;

  constructor(
    archiveMessage: string,
    options: { status?: number; cause?: unknown; afterAccepted?: boolean } = {},
  ) {
    super(
      `the archive refused: ${archiveMessage}`,
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.archiveMessage = archiveMessage;
    this.status = options.status;
    this.afterAccepted = options.afterAccepted ?? false;
  }
}

/**
 * A write sent earlier without a known result that the driver cannot tell apart in the archive (several look
 * like it, or nothing it could be searched by): guessing could file into a case that is not the submission's,
 * so an archivist must decide.
 */
export class UnrecognisedWriteError extends PermanentError {}
