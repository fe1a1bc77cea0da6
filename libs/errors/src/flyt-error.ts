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
 * Whether an error is worth retrying. Errors that are not ours (a driver's connection error, a timeout from a
 * library) count as retriable: they are usually transient, and a retry policy bounds the cost of being wrong.
 */
export function isRetriable(error: unknown): boolean {
  return error instanceof FlytError ? error.retriable : true;
}
