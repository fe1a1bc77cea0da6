import { createHash } from "node:crypto";
import type { Context } from "koa";
import type { Caller } from "../../domain/caller";
import { writeCanonicalJson } from "../../domain/ids";
import type { IdempotencyStore } from "../postgres/idempotency-store";
import { Problem } from "./problem";

/**
 * Runs `handle` under the request's `Idempotency-Key`, if it has one (draft-ietf-httpapi-idempotency-key-
 * header), scoped to the client: the same key with the same request answers the stored response; with
 * another request 422; while the first is still running 409. Only successful answers are stored: after an
 * error the key is free again, so a retry runs the request again.
 */
export async function withIdempotencyKey(
  ctx: Context,
  store: Pick<IdempotencyStore, "claim" | "complete" | "release">,
  request: { readonly body: unknown },
  handle: () => Promise<void>,
): Promise<void> {
  const key = ctx.get("idempotency-key");
  if (!key) return handle();
  if (key.length > 255) {
    throw new Problem(
      400,
      "invalid-idempotency-key",
      "Invalid Idempotency-Key",
      "An Idempotency-Key is at most 255 characters.",
    );
  }
  const { clientId } = ctx.state.caller as Caller;
  const hash = createHash("sha256");
  writeCanonicalJson({ method: ctx.method, path: ctx.path, body: request.body }, (piece) =>
    hash.update(piece),
  );
  const requestHash = hash.digest("hex");
  const claim = await store.claim(clientId, key, requestHash);
  switch (claim.outcome) {
    case "reused-with-another-request":
      throw new Problem(
        422,
        "idempotency-key-reused",
        "Idempotency-Key reused",
        "This Idempotency-Key was used with another request.",
      );
    case "in-flight":
      throw new Problem(
        409,
        "idempotency-key-in-flight",
        "Request in flight",
        "A request with this Idempotency-Key is still being processed; repeat it shortly.",
        {
          headers: { "Retry-After": "1" },
        },
      );
    case "replay":
      ctx.status = claim.response.status;
      for (const [name, value] of Object.entries(claim.response.headers)) ctx.set(name, value);
      ctx.body = claim.response.body;
      return;
    case "claimed":
      try {
        await handle();
      } catch (error) {
        await store.release(clientId, key);
        throw error;
      }
      await store.complete(clientId, key, {
        status: ctx.status,
        headers: ctx.response.get("location") ? { Location: ctx.response.get("location") } : {},
        body: ctx.body,
      });
  }
}
