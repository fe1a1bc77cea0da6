import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** How far a callback's `webhook-timestamp` may be from now (Standard Webhooks' replay protection). */
const TOLERANCE_SECONDS = 5 * 60;

/**
 * Whether a callback is signed with `secret` per Standard Webhooks: one of the space-separated `v1,<base64>`
 * signatures is the HMAC-SHA256 of `id.timestamp.body` keyed with the secret's bytes after `whsec_`, and the
 * timestamp is recent.
 */
export function verifyCallback(
  secret: string,
  headers: { readonly id: string; readonly timestamp: string; readonly signature: string },
  body: string,
  nowSeconds: number,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > TOLERANCE_SECONDS) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${headers.id}.${headers.timestamp}.${body}`).digest();
  return headers.signature.split(" ").some((candidate) => {
    const [version, signature = ""] = candidate.split(",");
    const given = Buffer.from(signature, "base64");
    return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export interface DemoReceiver {
  readonly url: string;
  /** The secret callbacks are verified with (the one the gateway answered at registration). */
  useSecret(secret: string): void;
  close(): Promise<void>;
}

/**
 * The local run's stand-in for a source system's callback endpoint: on loopback, it verifies each callback's
 * signature and prints it (204), or prints that it refused it (401).
 */
export async function startDemoReceiver(options: {
  readonly port: number;
  readonly print: (line: string) => void;
}): Promise<DemoReceiver> {
  let secret: string | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = {
        id: String(req.headers["webhook-id"] ?? ""),
        timestamp: String(req.headers["webhook-timestamp"] ?? ""),
        signature: String(req.headers["webhook-signature"] ?? ""),
      };
      if (!secret || !verifyCallback(secret, headers, body, Math.floor(Date.now() / 1_000))) {
        options.print(
          `[demo receiver] refused a callback (${headers.id || "no webhook-id"}): signature not verified`,
        );
        res.writeHead(401).end();
        return;
      }
      const event = JSON.parse(body) as Record<string, unknown>;
      const facts = [event.type, event.id, event.status, event.caseNumber].filter(Boolean).join(" ");
      options.print(`[demo receiver] verified callback ${headers.id}: ${facts}`);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/flyt-callback`,
    useSecret: (value) => {
      secret = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Registers `url` as the callback endpoint of the client's source application, as a source system would. */
export async function registerDemoCallback(options: {
  readonly gatewayUrl: string;
  readonly token: string;
  readonly url: string;
}): Promise<string> {
  const res = await fetch(`${options.gatewayUrl}/api/v1/callback`, {
    method: "PUT",
    headers: { authorization: `Bearer ${options.token}`, "content-type": "application/json" },
    body: JSON.stringify({ url: options.url }),
  });
  const body = (await res.json()) as { secret?: string; detail?: string };
  if (res.status !== 200 || !body.secret) {
    throw new Error(`registering the demo callback failed: ${res.status} ${body.detail ?? ""}`);
  }
  return body.secret;
}
