import type { Context, Middleware, Next } from "koa";
import type { Administrator, Caller } from "../../domain/caller";
import { Problem } from "./problem";

export interface RateLimitOptions {
  /** Requests a client may send at once after a quiet spell. */
  readonly burst: number;
  /** Requests per second it may sustain. */
  readonly perSecond: number;
  readonly now?: () => number;
}

/** The authenticated client a request counts against: a source system's (the API's) by default. */
export type RateLimitedClient = (ctx: Context) => string;

export const sourceSystemClient: RateLimitedClient = (ctx) => (ctx.state.caller as Caller).clientId;
export const adminClient: RateLimitedClient = (ctx) => (ctx.state.administrator as Administrator).clientId;

/**
 * A token bucket per client, in this gateway instance's memory: bursts up to `burst`, then `perSecond`.
 * Past it: 429 with `Retry-After`, the seconds until a request will be let through again. Runs after
 * authentication, so a client is counted by its verified identity; each use of it keeps buckets of its own.
 */
export function rateLimit(options: RateLimitOptions, clientOf = sourceSystemClient): Middleware {
  const now = options.now ?? Date.now;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return async function rateLimit(ctx: Context, next: Next) {
    const clientId = clientOf(ctx);
    const at = now();
    const bucket = buckets.get(clientId) ?? { tokens: options.burst, at };
    bucket.tokens = Math.min(options.burst, bucket.tokens + ((at - bucket.at) / 1000) * options.perSecond);
    bucket.at = at;
    buckets.set(clientId, bucket);
    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / options.perSecond));
      throw new Problem(
        429,
        "rate-limited",
        "Too many requests",
        `Slow down: try again in ${retryAfter} s.`,
        {
          headers: { "Retry-After": String(retryAfter) },
        },
      );
    }
    bucket.tokens -= 1;
    await next();
  };
}
