import { ArchiveRefusedError, ArchiveUnavailableError } from "../archive-errors";

/** What was being asked when the archive failed, which decides whether a failed write may still have happened. */
export interface RequestKind {
  /** A POST or PUT that creates or changes something in the archive. */
  readonly write: boolean;
  /** Said in messages: `POST /arkiv/noark/sak`. */
  readonly description: string;
}

/**
 * Answers that say nothing against the content: the archive is failing, busy, or slow (5xx, 429, 408), or it
 * does not accept Flyt's credentials (401, 403), which is a configuration problem that may be fixed while the
 * submission waits. Every other 4xx is the archive refusing what was sent.
 */
export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408 || status === 401 || status === 403;
}

/**
 * An archive's error answer as a Flyt error: transient ones as unavailable (429 with its Retry-After), any
 * other 4xx as refused, with the archive's own words. `uncertain` marks a write the archive may have carried
 * out anyway: an error from a status URL comes after the archive accepted the write.
 */
export function classifyErrorAnswer(
  answer: { readonly status: number; readonly body: string; readonly retryAfter: string | null },
  request: RequestKind & { readonly afterAccepted?: boolean },
  nowMs: number,
): ArchiveUnavailableError | ArchiveRefusedError {
  const text = archiveMessage(answer.body) ?? `HTTP ${answer.status}`;
  if (isTransientStatus(answer.status)) {
    const retryAfterMs = retryAfterToMs(answer.retryAfter, nowMs);
    // A gateway that timed out (504) or got a broken answer (502) may have passed the write on already.
    const gatewayLostWrite = request.write && (answer.status === 502 || answer.status === 504);
    return new ArchiveUnavailableError(`${request.description} answered ${answer.status}: ${text}`, {
      uncertain: request.afterAccepted === true || gatewayLostWrite,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  return new ArchiveRefusedError(text, { status: answer.status });
}

/**
 * A request that got no answer. A timeout or a connection lost while a write was under way leaves the write
 * uncertain; a connection that was never made (refused, unknown host) cannot have delivered it.
 */
export function classifyNoAnswer(error: unknown, request: RequestKind): ArchiveUnavailableError {
  const timedOut = isTimeout(error);
  const neverConnected = !timedOut && neverReachedServer(error);
  const reason = timedOut ? "did not answer in time" : "could not be reached";
  return new ArchiveUnavailableError(`${request.description} ${reason}`, {
    uncertain: request.write && !neverConnected,
    cause: error,
  });
}

/**
 * The archive's own words from an error body: FINT's event response and error response carry `message` (and
 * validation `problems` with field and message); anything else is used as text when it is short enough.
 */
export function archiveMessage(body: string): string | undefined {
  const trimmed = body.trim();
  if (trimmed.length === 0) return undefined;
  try {
    const parsed = JSON.parse(trimmed) as {
      message?: unknown;
      problems?: { field?: unknown; message?: unknown }[];
    };
    const parts: string[] = [];
    if (typeof parsed.message === "string" && parsed.message.length > 0) parts.push(parsed.message);
    for (const problem of Array.isArray(parsed.problems) ? parsed.problems : []) {
      if (typeof problem.message !== "string") continue;
      parts.push(
        typeof problem.field === "string" ? `${problem.field}: ${problem.message}` : problem.message,
      );
    }
    if (parts.length > 0) return parts.join("; ");
  } catch {
    // Not JSON: the text itself is the message.
  }
  return trimmed.length <= 2000 ? trimmed : `${trimmed.slice(0, 2000)}…`;
}

/** `Retry-After` in seconds or as an HTTP date, as milliseconds from now; undefined when absent or unreadable. */
export function retryAfterToMs(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === "TimeoutError" || name === "AbortError";
}

const NOT_CONNECTED_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/** fetch wraps the socket's error in `cause` (sometimes twice, in an AggregateError for several addresses). */
function neverReachedServer(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    const { code, errors } = current as { code?: unknown; errors?: unknown };
    if (typeof code === "string" && NOT_CONNECTED_CODES.has(code)) return true;
    if (Array.isArray(errors) && errors.length > 0 && errors.every(neverReachedServer)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The consumer's words for a filter its grammar cannot parse (`OData Filter is not valid`). */
const FILTER_NOT_PARSED = /\bfilter\b.*\b(not valid|invalid|not be parsed|cannot parse|could not parse)\b/i;

/**
 * A search FINT's classic consumer or the archive's adapter cannot take, which fails again every time. The
 * consumer rejects a filter it cannot parse by throwing IllegalArgumentException("OData Filter is not valid")
 * (fint-consumer-arkiv-noark `SakController.getSakByOdataFilter`), which its `FintControllerAdvice` does not
 * handle: Spring Boot's default error body answers it, 500 with the exception and its message (Spring Boot
 * 1.5.18, fint-buildscripts v1.6.0 `dependencies.gradle`; its `DefaultErrorAttributes` include both). The
 * adapter fails a property or operator it does not support as an ERROR event, answered 500 with its message
 * (fint-p360-rpc-arkiv-adapter `IllegalODataFilter`, fint-sikri-arkiv-adapter `IllegalOdataFilter`). Any other
 * 500 — Spring's for another exception, or its body without a message (as newer Spring Boot hides it), an
 * adapter that did not answer — stays a passing trouble. The core consumer answers such a filter 400 (refused
 * like any 4xx), so its 500 is passing too.
 */
export function refusedSearchMessage(
  answer: { readonly status: number; readonly body: string },
  consumer: "classic" | "core",
): string | undefined {
  if (consumer !== "classic" || answer.status !== 500) return undefined;
  let parsed: { error?: unknown; status?: unknown; message?: unknown; responseStatus?: unknown };
  try {
    parsed = JSON.parse(answer.body) as typeof parsed;
  } catch {
    return undefined;
  }
  const message = typeof parsed.message === "string" ? parsed.message.split("\n")[0]?.trim() : undefined;
  if (!message) return undefined;
  const springError =
    typeof parsed.error === "string" && parsed.status === 500 && parsed.responseStatus === undefined;
  if (springError) return FILTER_NOT_PARSED.test(message) ? message : undefined;
  if (parsed.responseStatus === "ERROR" && /odata/i.test(message)) return message;
  return undefined;
}
