import type { Context, Middleware, Next } from "koa";
import type { Administrator, Caller } from "../../domain/caller";
import { Problem } from "./problem";

export interface RateLimitOptions {
  /** Requests a client may send at once after a quiet spell. */
  readonly burst: number;
  /** Requests per second it may sustain. */
  readonly perSecond: number;
  /**
   * JSON body bytes a client may send (they are what costs the gateway's time: scanning, parsing, validating):
   * a body is let through while the client has bytes left, so one body of any size within `maxBody` always goes,
   * and later ones wait until what it read is paid for at `perSecond`. One client sending large bodies back to
   * back, or many at once, cannot take the gateway's time from others.
   */
  readonly bodyBytes?: ByteBudget;
  /** The same for other bodies (uploads, streamed into the file store), with a budget of their own. */
  readonly uploadBytes?: ByteBudget;
  readonly now?: () => number;
}

export interface ByteBudget {
  readonly burst: number;
  readonly perSecond: number;
  /** The largest body a request may have: what is held back while one is read. */
  readonly maxBody: number;
}

/** The authenticated client a request counts against: a source system's (the API's) by default. */
export type RateLimitedClient = (ctx: Context) => string;

export const sourceSystemClient: RateLimitedClient = (ctx) => (ctx.state.caller as Caller).clientId;
export const adminClient: RateLimitedClient = (ctx) => (ctx.state.administrator as Administrator).clientId;

/** Where a body reader records how many bytes of the body it has taken so far. */
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
  const uploads = new Map<string, Bucket>();
  return async function rateLimit(ctx: Context, next: Next) {
    const clientId = clientOf(ctx);
    const at = now();
    const bucket = refilled(requests.get(clientId) ?? { tokens: options.burst, at }, options, at);
    requests.set(clientId, bucket);
    if (bucket.tokens < 1) throw tooMany((1 - bucket.tokens) / options.perSecond);

    const hasBody = ctx.get("content-length") !== "" || ctx.get("transfer-encoding") !== "";
    const json = hasBody && ctx.is("application/json") !== false;
    const limit = !hasBody ? undefined : json ? options.bodyBytes : options.uploadBytes;
    if (!limit) {
      bucket.tokens -= 1;
      return next();
    }
    const budgets = json ? bodies : uploads;
    const bytes = refilled(budgets.get(clientId) ?? { tokens: limit.burst, at }, limit, at);
    budgets.set(clientId, bytes);
    if (bytes.tokens <= 0) throw tooMany((1 - bytes.tokens) / limit.perSecond);
    bucket.tokens -= 1;
    // The most this body can cost is held back while it is read (so many bodies at once cannot all start on one
    // client's few bytes left), then what it did not read is given back: a refused or abandoned body costs what
    // was read of it. A compressed body may unpack to the limit whatever it declares.
    const declared = ctx.get("content-length") ? Number(ctx.get("content-length")) : Number.NaN;
    const compressed = (ctx.get("content-encoding") || "identity").toLowerCase() !== "identity";
    const reserved =
      !compressed && Number.isSafeInteger(declared) && declared >= 0
        ? Math.min(declared, limit.maxBody)
        : limit.maxBody;
    bytes.tokens -= reserved;
    try {
      await next();
    } finally {
      bytes.tokens += reserved - Math.min(Number(ctx.state[BODY_BYTES_READ] ?? 0), limit.maxBody);
    }
  };
}

function tooMany(waitSeconds: number): Problem {
  const retryAfter = Math.max(1, Math.ceil(waitSeconds));
  return new Problem(429, "rate-limited", "Too many requests", `Slow down: try again in ${retryAfter} s.`, {
    headers: { "Retry-After": String(retryAfter) },
  });
}
