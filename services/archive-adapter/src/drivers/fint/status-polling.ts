import { ArchiveRefusedError, ArchiveUnavailableError, WriteInProgressError } from "../archive-errors";
import { isTransientStatus } from "./failure-classification";
import { answerError, type FintAnswer } from "./fint-http";

/** The status URL is gone (410: FINT keeps it for a while only): whether the write happened, only a lookup tells. */
export class WriteStatusGoneError extends ArchiveUnavailableError {
  constructor(description: string) {
    super(`${description}: the archive no longer knows its status (410)`, { uncertain: true });
  }
}

/** How a write's status URL is polled: backoff from `initialMs` doubling up to `maxMs`, for `totalMs` at most. */
export interface PollSettings {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly totalMs: number;
}

export interface PollDependencies {
  /** One GET of the status URL (throws `ArchiveUnavailableError` when it gets no answer). */
  readonly get: (url: string) => Promise<FintAnswer>;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * Polls a write's status URL until the archive says it is done, and answers that final answer: 201 Created
 * (or 303 See Other, which FINT's classic consumer answers unless configured to say 201; the core consumer says
 * 201 only) with the created resource's `Location`. 202 means not yet; 409 that the archive refused the change
 * as conflicting with what it holds (fint-consumer-arkiv-noark `StatusCache`). An error the archive reports for
 * the write (FINT's rejected or failed event) is classified like any other answer, as after the write was accepted
 * (a refusal marked `afterAccepted`: the archive may have written it anyway); passing troubles (no answer, 429,
 * 5xx from a gateway in front) are polled through. When the bound runs out, or the status is gone (410: FINT
 * keeps it for a while only), nobody can tell whether the write happened: unavailable and uncertain.
 *
 * The bound is `totalMs` plus at most one request's own timeout.
 */
export async function awaitCompletion(
  statusUrl: string,
  description: string,
  poll: PollSettings,
  deps: PollDependencies,
  options: {
    /** Answer the archive's verdict on a failed write (FINT's failed or rejected event) instead of throwing it. */
    readonly verdictAsAnswer?: boolean;
  } = {},
): Promise<FintAnswer> {
  const startedAt = deps.now();
  let delayMs = poll.initialMs;
  let lastTrouble = "it was still processing";
  // Whether the status URL last answered that the write is in the works: the archive is up, only busy with it.
  let processing = true;
  for (;;) {
    const remainingMs = poll.totalMs - (deps.now() - startedAt);
    if (remainingMs <= 0) {
      const message = `${description} did not complete within ${poll.totalMs} ms (${lastTrouble}); it may have happened`;
      throw processing
        ? new WriteInProgressError(message, { uncertain: true })
        : new ArchiveUnavailableError(message, { uncertain: true });
    }
    await deps.sleep(Math.min(delayMs, remainingMs));
    delayMs = Math.min(delayMs * 2, poll.maxMs);

    let answer: FintAnswer;
    try {
      answer = await deps.get(statusUrl);
    } catch (error) {
      if (!(error instanceof ArchiveUnavailableError)) throw error;
      lastTrouble = error.message;
      processing = false;
      continue;
    }
    if (answer.status === 201 || answer.status === 303) return answer;
    if (answer.status === 202) {
      lastTrouble = "it was still processing";
      processing = true;
      continue;
    }
    if (answer.status === 410) throw new WriteStatusGoneError(description);
    if (answer.status === 409) {
      // FINT's CONFLICT event: the archive did not make the change, and answers what it holds instead (its body
      // is that resource, whose content is not Flyt's to pass on).
      if (options.verdictAsAnswer) return answer;
      throw new ArchiveRefusedError(
        `${description}: the archive reported a conflict with what it holds (409)`,
        { status: 409, afterAccepted: true },
      );
    }
    if (isTransientStatus(answer.status) && !isArchiveVerdict(answer)) {
      lastTrouble = `its status URL answered ${answer.status}`;
      processing = false;
      continue;
    }
    if (options.verdictAsAnswer) return answer;
    const error = answerError(answer, { write: true, description, afterAccepted: true }, deps.now());
    throw error instanceof ArchiveRefusedError
      ? new ArchiveRefusedError(error.archiveMessage, { status: answer.status, afterAccepted: true })
      : error;
  }
}

/**
 * A 500 that carries FINT's event response is the archive's verdict on the write (the adapter behind FINT
 * failed it); a bare 5xx or 429 is whatever stands in front of FINT being busy, and worth polling through.
 */
function isArchiveVerdict(answer: FintAnswer): boolean {
  if (answer.status !== 500) return false;
  try {
    const parsed = JSON.parse(answer.body) as { message?: unknown; responseStatus?: unknown };
    return typeof parsed.message === "string" || typeof parsed.responseStatus === "string";
  } catch {
    return false;
  }
}
