import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

/** One callback as a receiver saw it. */
export interface Received {
  readonly path: string;
  readonly webhookId: string;
  readonly timestamp: string;
  readonly signature: string;
  readonly body: string;
  readonly arrivedAt: number;
  /** Which of the receiver's secrets verified it (standardwebhooks, an independent implementation of the spec). */
  readonly verifiedWith: readonly string[];
}

/** How a path answers: a status and headers, or never (a hanging endpoint). */
export type Answer = { readonly status: number; readonly headers?: Record<string, string> } | "hang";

/**
 * A test receiver on loopback: every request is verified with the secrets it knows for its path, recorded, and
 * answered as `answer` says (per path, per arrival). Counts requests in flight per path.
 */
export async function startReceiver() {
  const received: Received[] = [];
  const secrets = new Map<string, string[]>();
  const answers = new Map<string, (arrival: number) => Answer>();
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  const hanging: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? "/";
    const now = (inFlight.get(path) ?? 0) + 1;
    inFlight.set(path, now);
    maxInFlight.set(path, Math.max(maxInFlight.get(path) ?? 0, now));
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = {
        "webhook-id": String(req.headers["webhook-id"]),
        "webhook-timestamp": String(req.headers["webhook-timestamp"]),
        "webhook-signature": String(req.headers["webhook-signature"]),
      };
      const verifiedWith = (secrets.get(path) ?? []).filter((secret) => {
        try {
          new Webhook(secret).verify(body, headers);
          return true;
        } catch {
          return false;
        }
      });
      received.push({
        path,
        webhookId: headers["webhook-id"],
        timestamp: headers["webhook-timestamp"],
        signature: headers["webhook-signature"],
        body,
        arrivedAt: Date.now(),
        verifiedWith,
      });
      const arrival = received.filter((entry) => entry.path === path).length;
      const answer = answers.get(path)?.(arrival) ?? { status: 200 };
      const done = () => inFlight.set(path, (inFlight.get(path) ?? 1) - 1);
      if (answer === "hang") {
        hanging.push(res);
        res.on("close", done);
        return;
      }
      res.writeHead(answer.status, answer.headers).end(done);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    received,
    /** Received on a path, in order of arrival. */
    at: (path: string) => received.filter((entry) => entry.path === path),
    /** The secrets a path's callbacks are verified with, and how it answers. */
    expect(path: string, options: { secrets: string[]; answer?: (arrival: number) => Answer }) {
      secrets.set(path, options.secrets);
      if (options.answer) answers.set(path, options.answer);
    },
    maxInFlight: (path: string) => maxInFlight.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
