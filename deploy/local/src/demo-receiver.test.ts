import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it, onTestFinished } from "vitest";
import { startDemoReceiver, verifyCallback } from "./demo-receiver";

const secret = `whsec_${randomBytes(32).toString("base64")}`;
const sign = (key: string, id: string, timestamp: string, body: string) =>
  `v1,${createHmac("sha256", Buffer.from(key.slice(6), "base64"))
    .update(`${id}.${timestamp}.${body}`)
    .digest("base64")}`;

describe("the demo receiver", () => {
  it("verifies Standard Webhooks signatures, either of two during a rotation, and only recent ones", () => {
    const now = 1_790_000_000;
    const body = '{"type":"submission.archived"}';
    const other = `whsec_${randomBytes(32).toString("base64")}`;
    const headers = {
      id: "msg_1",
      timestamp: String(now),
      signature: `${sign(other, "msg_1", String(now), body)} ${sign(secret, "msg_1", String(now), body)}`,
    };
    expect(verifyCallback(secret, headers, body, now)).toBe(true);
    expect(verifyCallback(secret, headers, `${body} `, now)).toBe(false);
    expect(verifyCallback(secret, { ...headers, id: "msg_2" }, body, now)).toBe(false);
    expect(verifyCallback(secret, headers, body, now + 301)).toBe(false);
  });

  it("prints what it verified and refuses what it did not", async () => {
    const lines: string[] = [];
    const receiver = await startDemoReceiver({ port: 0, print: (line) => lines.push(line) });
    onTestFinished(() => receiver.close());
    receiver.useSecret(secret);
    const body = JSON.stringify({
      type: "submission.archived",
      id: "sub_1",
      status: "ARCHIVED",
      caseNumber: "2026/1",
    });
    const timestamp = String(Math.floor(Date.now() / 1_000));
    const post = (signature: string) =>
      fetch(receiver.url, {
        method: "POST",
        headers: { "webhook-id": "msg_9", "webhook-timestamp": timestamp, "webhook-signature": signature },
        body,
      }).then((res) => res.status);
    expect(await post(sign(secret, "msg_9", timestamp, body))).toBe(204);
    expect(await post("v1,AAAA")).toBe(401);
    expect(lines).toEqual([
      "[demo receiver] verified callback msg_9: submission.archived sub_1 ARCHIVED 2026/1",
      "[demo receiver] refused a callback (msg_9): signature not verified",
    ]);
  });
});
