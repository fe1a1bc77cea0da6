import { Semaphore } from "@flyt/kafka";
import type { Context, Middleware, Next } from "koa";

/** Above this, a JSON body's reading, parsing, validating and storing cost enough to take turns. */
export const LARGE_JSON_BODY_BYTES = 1024 * 1024;

/**
 * Requests with a large JSON body (or one of unknown size: compressed or chunked) are handled one at a time
 * (`atOnce`), each from before its body is read until it is answered; the others wait with their bodies unread.
 * What a 50 MB body costs (about 150 MB while it is parsed, and its share of the event loop) is then paid for one
 * body at a time, whoever sends them: memory stays bounded, and the small requests of everyone else go between
 * its steps. Per client, the body-byte budget (rate-limit) bounds how many of these one client can line up.
 */
export function oneLargeBodyAtATime(atOnce = 1): Middleware {
  const turns = new Semaphore(atOnce);
  return async function oneLargeBodyAtATime(ctx: Context, next: Next) {
    if (!isLargeJson(ctx)) return next();
    await turns.run(() => next());
  };
}

function isLargeJson(ctx: Context): boolean {
  if (ctx.method !== "POST" && ctx.method !== "PUT") return false;
  const declared = ctx.get("content-length");
  const compressed = (ctx.get("content-encoding") || "identity").toLowerCase() !== "identity";
  const unknownSize = declared === "" && ctx.get("transfer-encoding") !== "";
  if (!compressed && !unknownSize && !(Number(declared) > LARGE_JSON_BODY_BYTES)) return false;
  return ctx.is("application/json") !== false && ctx.is("application/json") !== null;
}
