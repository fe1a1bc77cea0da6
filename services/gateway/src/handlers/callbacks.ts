import { randomBytes } from "node:crypto";
import type { CallbackEndpoint, CallbackEndpoints, Owner } from "@flyt/callbacks";
import { type Logger, loggableUrl } from "@flyt/logging";
import type { OutboundCheck } from "@flyt/outbound-guard";

export interface CallbackDependencies {
  readonly store: Pick<CallbackEndpoints, "register" | "find" | "remove" | "rotate">;
  /** The SSRF guard with the deployment's policy (https only, allowlist). */
  readonly checkUrl: (url: string) => Promise<OutboundCheck>;
  /** How long the previous secret keeps signing after a rotation. */
  readonly secretOverlapMs: number;
  readonly now: () => Date;
  /** Where a refusal's whole reason goes (what the host resolved to): the caller is told only what to fix. */
  readonly logger: Logger;
}

export type RegisterOutcome =
  | { readonly outcome: "registered"; readonly url: string; readonly secret: string }
  | { readonly outcome: "invalid"; readonly detail: string }
  | { readonly outcome: "refused-url"; readonly reason: string };

/** A Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes. Answered once, never again. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** `PUT /api/v1/callback`: registers (or replaces) the caller's endpoint, if the guard lets Flyt call it. */
export async function registerCallback(
  deps: CallbackDependencies,
  owner: Owner,
  body: unknown,
): Promise<RegisterOutcome> {
  const url = (body as { url?: unknown } | null)?.url;
  if (typeof url !== "string" || url.length === 0 || url.length > 2_000) {
    return { outcome: "invalid", detail: "url is required: the https URL Flyt posts results to." };
  }
  const check = await deps.checkUrl(url);
  if (check.outcome === "refused") {
    deps.logger.info({ owner, url: loggableUrl(url), refused: check.detail }, "callback URL refused");
    return { outcome: "refused-url", reason: check.reason };
  }
  const secret = newWebhookSecret();
  await deps.store.register(owner, check.url.toString(), secret);
  return { outcome: "registered", url: check.url.toString(), secret };
}

/** `POST /api/v1/callback/rotate-secret`: a new secret, with the old one still signing for the overlap. */
export async function rotateCallbackSecret(
  deps: CallbackDependencies,
  owner: Owner,
): Promise<{ readonly endpoint: CallbackEndpoint; readonly secret: string } | undefined> {
  const secret = newWebhookSecret();
  const endpoint = await deps.store.rotate(
    owner,
    secret,
    new Date(deps.now().getTime() + deps.secretOverlapMs),
  );
  return endpoint && { endpoint, secret };
}
