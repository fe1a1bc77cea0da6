import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyCallback } from "@flyt/local-infra";
import type { ReceivedCallback } from "./domain/observations";

/**
 * The source systems' callback endpoints, one path per source application (`/callbacks/<id>`): it records every
 * callback with whether its signature verified under the secret that application registered, and answers 204.
 * It can be taken down (connections refused) and brought back on the same port.
 */
export class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  readonly #secrets = new Map<string, string>();
  #server: Server | undefined;
  #port = 0;

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const application = req.url?.split("/")[2] ?? "";
        const body = Buffer.concat(chunks).toString("utf8");
        const headers = {
          id: String(req.headers["webhook-id"] ?? ""),
          timestamp: String(req.headers["webhook-timestamp"] ?? ""),
          signature: String(req.headers["webhook-signature"] ?? ""),
        };
        const secret = this.#secrets.get(application);
        this.received.push({
          at: Date.now(),
          webhookId: headers.id,
          signatureVerified:
            secret !== undefined && verifyCallback(secret, headers, body, Math.floor(Date.now() / 1_000)),
          body: JSON.parse(body) as ReceivedCallback["body"],
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.#port, "127.0.0.1", resolve);
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Where a source application's callbacks go. */
  urlOf(application: string): string {
    return `http://127.0.0.1:${this.#port}/callbacks/${application}`;
  }

  /** The secret the gateway answered the application's registration with. */
  useSecret(application: string, secret: string): void {
    this.#secrets.set(application, secret);
  }

  /** Down: open connections cut, new ones refused, until `start()` again. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
