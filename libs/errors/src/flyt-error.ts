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

const CONNECTION_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "57P01", // Postgres: admin shutdown
  "57P03", // Postgres: cannot connect now
  "08001", // Postgres: unable to connect
  "08006", // Postgres: connection failure
]);

/** A dependency could not be reached (as opposed to refusing what was asked). */
export function isConnectionError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === "string" && CONNECTION_ERROR_CODES.has(code)) return true;
  return typeof message === "string" && /Knex: Timeout acquiring a connection/.test(message);
}
