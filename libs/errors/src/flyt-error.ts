/**
 * The base of every error Flyt throws on purpose. `retriable` tells the consumer runner (and any caller)
 * whether trying again can help; `cause` keeps what went wrong underneath. Expected outcomes (a rejected
 * submission, an archive that refused a case) are returned as values, not thrown.
 */
export class FlytError extends Error {
  readonly retriable: boolean;

  constructor(message: string, options: { retriable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable;
  }
}

/** Worth retrying later: a dependency was unavailable, slow or overloaded. */
export class TransientError extends FlytError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, retriable: true });
  }
}

/** Retrying cannot help: the input or the state is wrong. */
export class PermanentError extends FlytError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, retriable: false });
  }
}

/**
 * Whether an error is worth retrying. An error that says so itself (ours, or a library's such as kafkajs'
 * with its own `retriable`) is taken at its word; any other counts as retriable: foreign errors are usually
 * transient, and a retry policy bounds the cost of being wrong.
 */
export function isRetriable(error: unknown): boolean {
  const retriable = (error as { retriable?: unknown } | null)?.retriable;
  return typeof retriable === "boolean" ? retriable : true;
}

/** Runs `work` until it succeeds or fails with an error that is not retriable, at most `attempts` times. */
export async function retryWhileRetriable<T>(
  work: () => Promise<T>,
  options: { attempts?: number; delayMs?: number } = {},
): Promise<T> {
  const attempts = options.attempts ?? 20;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isRetriable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 250));
    }
  }
}

/** Node's codes of a connection that could not be made or was lost, DNS included. */
const CONNECTION_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
]);

/**
 * Postgres SQLSTATEs of a server that cannot serve now rather than a statement it refuses: of class 08 only the
 * codes of a connection that could not be made or was lost (08000 connection exception, 08001 cannot establish,
 * 08003 connection does not exist, 08004 establishment rejected, 08006 connection failure, 08007 transaction
 * resolution unknown), not 08P01 (protocol violation: e.g. more than 65,535 bind parameters, the same every
 * time); 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 57P05 idle session timeout, 53300
 * too many connections. (57P04, database dropped, does not come back by retrying.)
 */
const UNAVAILABLE_SQLSTATES = new Set([
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "08007",
  "57P01",
  "57P02",
  "57P03",
  "57P05",
  "53300",
]);

/**
 * What node-postgres, its pool and knex's pool say without any code when the connection is lost or none can be
 * had: a server that restarts or is terminated mid-query ends the socket, and the query fails with only this
 * (knex puts the statement and " - " before it). Whole messages, so that a value quoted in another error's
 * message does not match.
 */
const CONNECTION_LOST_MESSAGES =
  /(?:^|\s-\s)(?:Connection terminated(?: unexpectedly| due to connection timeout)?|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable)$|^Knex: Timeout acquiring a connection\./;

/**
 * kafkajs' errors of a broker it cannot reach or that did not answer. `KafkaJSNumberOfRetriesExceeded` calls
 * itself not retriable (its own retries are spent) but is what a broker that stays away ends in.
 */
const KAFKA_CONNECTION_ERRORS = new Set([
  "KafkaJSConnectionError",
  "KafkaJSConnectionClosedError",
  "KafkaJSRequestTimeoutError",
  "KafkaJSBrokerNotFound",
  "KafkaJSNumberOfRetriesExceeded",
  "KafkaJSMetadataNotLoaded",
  "KafkaJSLockTimeout",
  "KafkaJSTimeout",
]);

/**
 * A dependency (Postgres, Kafka, the schema registry, DNS) could not be reached or did not answer in time, as
 * opposed to refusing what was asked. The one rule of it: the causes of an error are searched too, since
 * libraries wrap what went wrong underneath (kafkajs' retries, fetch's "fetch failed", Node's AggregateError
 * of every address tried).
 */
export function isConnectionError(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== "object" || depth > 5) return false;
  const { code, message, name, retriable, status, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    name?: unknown;
    retriable?: unknown;
    status?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === "string" && (CONNECTION_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code))) {
    return true;
  }
  // Only an error with no code of its own is read by its message: one with a SQLSTATE said what it is.
  if (code === undefined && typeof message === "string" && CONNECTION_LOST_MESSAGES.test(message))
    return true;
  if (typeof name === "string" && name.startsWith("KafkaJS")) {
    // A broker that answered "not now" (leader moving, too few replicas in sync) says so with `retriable`.
    if (KAFKA_CONNECTION_ERRORS.has(name) || retriable === true) return true;
  }
  // The schema registry's client library throws its HTTP answer; a 5xx is the registry failing, not refusing.
  if (name === "ResponseError" && typeof status === "number" && status >= 500) return true;
  if (Array.isArray(errors) && errors.some((inner) => isConnectionError(inner, depth + 1))) return true;
  return cause !== error && isConnectionError(cause, depth + 1);
}

/**
 * Whether a failure means "unavailable, try again shortly" (an HTTP 503 with Retry-After) rather than a fault of
 * ours: our own errors are taken at their word (`retriable`), any other is if it is a connection failure.
 */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof FlytError) return error.retriable;
  return isConnectionError(error);
}
