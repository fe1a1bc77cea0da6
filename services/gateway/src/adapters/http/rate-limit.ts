import type { Context, Middleware, Next } from "koa";
import type { Administrator, Caller } from "../../domain/caller";
import { Problem } from "./problem";

export interface RateLimitOptions {
  /** Requests a client may send at once after a quiet spell. */
  readonly burst: number;
  /** Requests per second it may sustain. */
  readonly perSecond: number;
  /**
   * Request body bytes a client may send: a body is let through while the client owes nothing, and then
   * charged in full (so one body of any size within the limits always goes), later ones wait until the debt is
   * paid at `perSecond`. One client sending large bodies back to back cannot take the gateway's time from others.
   */
  readonly bodyBytes?: { readonly burst: number; readonly perSecond: number };
  readonly now?: () => number;
}

/** The authenticated client a request counts against: a source system's (the API's) by default. */
export type RateLimitedClient = (ctx: Context) => string;

export const sourceSystemClient: RateLimitedClient = (ctx) => (ctx.state.caller as Caller).clientId;
export const adminClient: RateLimitedClient = (ctx) => (ctx.state.administrator as Administrator).clientId;

/** Where a body reader records how many bytes it took, for a body that did not declare its length. */
export const BODY_BYTES_READ = "bodyBytesRead";

interface Bucket {
  tokens: number;
  at: number;
}

/** A token bucket refilled to `burst` at `perSecond`, read at `at`. */
function refilled(bucket: Bucket, limit: { burst: number; perSecond: number }, at: number): Bucket {
  bucket.tokens = Math.min(limit.burst, bucket.tokens + ((at - bucket.at) / 1000) * limit.perSecond);
  bucket.at = at;
  return bucket;
}

/**
 * A token bucket per client, in this gateway instance's memory: bursts up to `burst`, then `perSecond`, and
 * the same for body bytes where `bodyBytes` is set. Past either: 429 with `Retry-After`, the seconds until a
 * request will be let through again. Runs after authentication, so a client is counted by its verified
 * identity; each use of it keeps buckets of its own.
 */
export function rateLimit(options: RateLimitOptions, clientOf = sourceSystemClient): Middleware {
  const now = options.now ?? Date.now;
  const requests = new Map<string, Bucket>();
  const bodies = new Map<string, Bucket>();
  return async function rateLimit(ctx: Context, next: Next) {
    const clientId = clientOf(ctx);
    const at = now();
    const bucket = refilled(requests.get(clientId) ?? { tokens: options.burst, at }, options, at);
    requests.set(clientId, bucket);
    if (bucket.tokens < 1) throw tooMany((1 - bucket.tokens) / options.perSecond);

    const bytesLimit = options.bodyBytes;
    const bytes =
      bytesLimit && refilled(bodies.get(clientId) ?? { tokens: bytesLimit.burst, at }, bytesLimit, at);
    if (bytes && bytesLimit) {
      bodies.set(clientId, bytes);
      if (bytes.tokens < 0) throw tooMany(-bytes.tokens / bytesLimit.perSecond);
    }
    bucket.tokens -= 1;
    if (!bytes) return next();
    // Charged before the body is read where its length is declared, after it where not.
    const declared = Number(ctx.get("content-length") || 0);
    bytes.tokens -= declared;
    try {
      await next();
    } finally {
      const read = Number(ctx.state[BODY_BYTES_READ] ?? 0);
      if (read > declared) bytes.tokens -= read - declared;
    }
  };
}

function tooMany(waitSeconds: number): Problem {
  const retryAfter = Math.max(1, Math.ceil(waitSeconds));
  return new Problem(429, "rate-limited", "Too many requests", `Slow down: try again in ${retryAfter} s.`, {
    headers: { "Retry-After": String(retryAfter) },
  });
}
