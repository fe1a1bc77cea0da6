import { randomBytes } from "node:crypto";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { signWebhook } from "./standard-webhooks";

const secret = () => `whsec_${randomBytes(32).toString("base64")}`;
const body = JSON.stringify({ type: "submission.archived", id: "sub_1", caseNumber: "2026/1" });

// The standardwebhooks package is an independent implementation of the spec: what it accepts, receivers accept.
describe("signWebhook", () => {
  it("signs so that a Standard Webhooks receiver verifies it", () => {
    const key = secret();
    const headers = signWebhook({ id: "msg_1", timestamp: new Date(), body, secrets: [key] });
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(key).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it("signs with both secrets during a rotation, so a receiver with either verifies it", () => {
    const [current, previous] = [secret(), secret()];
    const headers = signWebhook({ id: "msg_2", timestamp: new Date(), body, secrets: [current, previous] });
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(() => new Webhook(current).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(previous).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(secret()).verify(body, { ...headers })).toThrow(WebhookVerificationError);
  });

  it("covers the id, the timestamp and every byte of the body", () => {
    const key = secret();
    const headers = signWebhook({ id: "msg_3", timestamp: new Date(), body, secrets: [key] });
    const verify =
      (changed: Record<string, string>, text = body) =>
      () =>
        new Webhook(key).verify(text, { ...headers, ...changed });
    expect(verify({ "webhook-id": "msg_4" })).toThrow(WebhookVerificationError);
    expect(verify({ "webhook-timestamp": String(Number(headers["webhook-timestamp"]) - 1) })).toThrow();
    expect(verify({}, body.replace("2026/1", "2026/2"))).toThrow(WebhookVerificationError);
  });

  it("puts the timestamp in whole seconds", () => {
    const headers = signWebhook({
      id: "m",
      timestamp: new Date(1_790_000_000_999),
      body: "{}",
      secrets: [secret()],
    });
    expect(headers["webhook-timestamp"]).toBe("1790000000");
  });
});
