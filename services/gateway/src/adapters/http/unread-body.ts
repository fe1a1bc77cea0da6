import type { IncomingMessage } from "node:http";
import type { Context, Middleware, Next } from "koa";

export interface UnreadBodyOptions {
  /** At most this many more bytes of a body are read (and dropped) so that its client can read the answer. */
  readonly drainBytes: number;
  /** For at most this long. */
  readonly drainMs: number;
  /**
   * At most this many connections are drained at once; past it a connection is closed as soon as its answer is
   * written, so that many refused clients cannot hold a socket for `drainMs` each.
   */
  readonly maxDraining: number;
}

export const UNREAD_BODY_DEFAULTS: UnreadBodyOptions = {
  drainBytes: 8 * 1024 * 1024,
  drainMs: 10_000,
  maxDraining: 64,
};

/**
 * An answer given before the request's body was read to its end (a 413 for a body over the limit, a 401 or 429
 * before reading it, any error) closes the connection: what is left of the body cannot be told from a next
 * request. Why the rest is read (and dropped) before answering, up to a bound: a socket closed with bytes still
 * arriving is reset, and the reset both fails a client that is still sending (EPIPE) and throws away the
 * answer it has not read yet. Most clients (curl, fetch) read the answer only once they have sent the body.
 * A body larger than the bound, or one that arrives while `maxDraining` others are drained, still ends in a
 * reset: such a client is not owed the bytes.
 */
export function closeAfterUnreadBody(options: UnreadBodyOptions = UNREAD_BODY_DEFAULTS): Middleware {
  let draining = 0;
  return async function closeAfterUnreadBody(ctx: Context, next: Next) {
    try {
      await next();
    } finally {
      if (!ctx.req.complete && !ctx.req.destroyed) {
        ctx.set("Connection", "close");
        if (draining < options.maxDraining) {
          draining += 1;
          try {
            await drained(ctx.req, options);
          } finally {
            draining -= 1;
          }
        }
      }
    }
  };
}

/** Reads what remains of `req` and drops it: resolves at its end, when it fails, or past the bounds. */
function drained(req: IncomingMessage, options: UnreadBodyOptions): Promise<void> {
  // A reader that stopped (past the size limit) may have left the body piped into a decompressor: not any more.
  req.unpipe();
  return new Promise((resolve) => {
    let bytes = 0;
    const done = () => {
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", done);
      req.off("error", done);
      req.off("close", done);
      req.pause();
      resolve();
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > options.drainBytes) done();
    };
    const timer = setTimeout(done, options.drainMs);
    req.on("data", onData);
    req.on("end", done);
    req.on("error", done);
    req.on("close", done);
    req.resume();
  });
}
