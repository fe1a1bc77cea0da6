import { ArchiveRefusedError, ArchiveUnavailableError } from "../archive-errors";

/** What was asked, as far as classifying its failure needs it. */
export interface AttemptedRequest {
  readonly method: string;
  /** For messages: what the request was for (`ny-journalpost`, `token`, ...). */
  readonly purpose: string;
}

/** An answer that was not a success. */
export interface FailedAnswer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly bodyText: string;
}

/** Statuses that say "not now" rather than "not this": the same request may succeed later. */
const TRANSIENT_CLIENT_STATUSES = new Set([408, 425, 429]);
/** "ikke implementert": the archive lacks the function, which waiting will not change. */
const NOT_IMPLEMENTED = 501;
/** Longest archive text kept on an error: enough for a validation message, bounded for logs and events. */
const MAX_MESSAGE_CHARS = 2000;

function isWrite(method: string): boolean {
  return method !== "GET" && method !== "HEAD";
}

/** Retry-After in milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * The archive's own words from an error body: the standard's `{"feil": {"kode": 400, "beskrivelse": "..."}}`
 * (`beskrivelse` optional, 06-konsepter_og_prinsipper.rst:1607–1641 at tag versjon-1.1), the reference server's
 * `{"status", "message", "developerMessage", "stackTrace"}` (Nikita webapp/util/error/ApiError.java; its message,
 * never its stack trace), else whatever text it sent, else the status.
 */
export function archiveMessage(status: number, bodyText: string): string {
  let message = bodyText.trim();
  try {
    const parsed = JSON.parse(bodyText) as { feil?: { beskrivelse?: unknown }; message?: unknown };
    if (typeof parsed.feil?.beskrivelse === "string") message = parsed.feil.beskrivelse;
    else if (typeof parsed.message === "string") message = parsed.message;
    else if (typeof parsed.feil === "object" && parsed.feil !== null) message = "";
  } catch {
    // Not JSON: the text as it came.
  }
  message = message.trim();
  if (message === "") message = `HTTP ${status}`;
  return message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS)}…` : message;
}

/**
 * 5xx (but 501), 408, 425 and 429 may succeed later; other 4xx will not. A write answered 5xx may have been carried out
 * anyway (a proxy's 502/504 after the archive wrote, a 500 after a partial commit), so it is uncertain, except
 * 503, which a server sends for work it did not take on.
 */
export function classifyAnswer(
  answer: FailedAnswer,
  request: AttemptedRequest,
  nowMs: number,
): ArchiveUnavailableError | ArchiveRefusedError {
  const message = archiveMessage(answer.status, answer.bodyText);
  const transient =
    (answer.status >= 500 && answer.status !== NOT_IMPLEMENTED) ||
    TRANSIENT_CLIENT_STATUSES.has(answer.status);
  if (transient) {
    const retryAfterMs = parseRetryAfterMs(answer.retryAfter, nowMs);
    const uncertain = isWrite(request.method) && answer.status >= 500 && answer.status !== 503;
    return new ArchiveUnavailableError(
      `the archive answered ${answer.status} to ${request.purpose}: ${message}`,
      retryAfterMs === undefined ? { uncertain } : { uncertain, retryAfterMs },
    );
  }
  return new ArchiveRefusedError(message, { status: answer.status });
}

/** Error codes of a connection that never reached the archive: nothing can have been written. */
const NOT_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * A request that got no answer: a timeout, a reset, a refused connection. A write is uncertain unless the
 * connection was never made; a timeout on a write especially, since the archive may still be working on it.
 */
export function classifyTransportError(error: unknown, request: AttemptedRequest): ArchiveUnavailableError {
  const code = errorCode(error);
  const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
  const connected = !(code && NOT_CONNECTED.has(code));
  const what = timedOut ? "did not answer in time" : `could not be reached (${code ?? "network error"})`;
  return new ArchiveUnavailableError(`the archive ${what} for ${request.purpose}`, {
    uncertain: isWrite(request.method) && connected,
    cause: error,
  });
}

/**
 * A login endpoint (the open root, the OpenID configuration, the token endpoint) that answered something other
 * than JSON: in practice a proxy's or load balancer's HTML error page in front of a provider that is down or
 * being restarted, sent with any status, 200 included. It says nothing about Flyt's client, so it is tried again
 * later, with the start of what came, so an operator can tell a proxy page from a wrong URL.
 */
export function notJsonAnswer(purpose: string, status: number, bodyText: string): ArchiveUnavailableError {
  const start = bodyText.replace(/\s+/g, " ").trim().slice(0, 120);
  return new ArchiveUnavailableError(
    `${purpose} answered ${status} with something not JSON${start ? ` (${start}${bodyText.length > 120 ? "…" : ""})` : ""}: a proxy's error page, or not the address of a login endpoint`,
  );
}
