import { createHmac } from "node:crypto";

/** The Standard Webhooks headers of one attempt. */
export type WebhookHeaders = {
  readonly "webhook-id": string;
  readonly "webhook-timestamp": string;
  readonly "webhook-signature": string;
};

/** The signing key of a `whsec_<base64>` secret: the bytes after the prefix. */
function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret, "base64");
}

/**
 * Signs a webhook per the Standard Webhooks spec: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` with each
 * secret, space-separated (two during a rotation's overlap, so a receiver with either secret accepts it).
 */
export function signWebhook(message: {
  readonly id: string;
  readonly timestamp: Date;
  readonly body: string;
  readonly secrets: readonly string[];
}): WebhookHeaders {
  const seconds = String(Math.floor(message.timestamp.getTime() / 1_000));
  const content = `${message.id}.${seconds}.${message.body}`;
  const signatures = message.secrets.map(
    (secret) => `v1,${createHmac("sha256", keyOf(secret)).update(content).digest("base64")}`,
  );
  return {
    "webhook-id": message.id,
    "webhook-timestamp": seconds,
    "webhook-signature": signatures.join(" "),
  };
}
