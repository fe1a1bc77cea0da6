import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Lookup, PUBLIC_ADDRESSES_ONLY } from "@flyt/outbound-guard";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { WebhookClient, type WebhookClientOptions } from "./webhook-client";

// Real sockets on loopback: receivers that count what reaches them, so "refused" means no request was made.

interface Receiver {
  readonly url: string;
  readonly port: number;
  readonly requests: { readonly host: string | undefined; readonly body: string }[];
  close(): Promise<void>;
}

const open: Server[] = [];
async function receiver(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<Receiver> {
  const requests: { host: string | undefined; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      requests.push({ host: req.headers.host, body });
      answer(req, res);
    });
  });
  open.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/cb`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const clients: WebhookClient[] = [];
function client(options: Partial<WebhookClientOptions> = {}): WebhookClient {
  const made = new WebhookClient({
    policy: { allowHttp: true, allowlist: ["127.0.0.1"] },
    connectTimeoutMs: 1_000,
    timeoutMs: 2_000,
    responseBodyLimitBytes: 4_096,
    maxSockets: 64,
    maxFreeSocketsPerHost: 4,
    ...options,
  });
  clients.push(made);
  return made;
}

/** Names resolved without DNS; records every name asked. */
function names(table: Record<string, string>): Lookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup = async (hostname: string) => {
    asked.push(hostname);
    const address = table[hostname];
    if (!address) throw new Error("ENOTFOUND");
    return [{ address, family: address.includes(":") ? 6 : 4 }];
  };
  return Object.assign(lookup, { asked });
}

const ok = (_req: IncomingMessage, res: ServerResponse) => res.writeHead(204).end();
const post = (made: WebhookClient, url: string) => made.post(url, { "webhook-id": "msg_1" }, '{"a":1}');

afterEach(() => {
  for (const made of clients.splice(0)) made.close();
});
afterAll(async () => {
  for (const server of open) server.closeAllConnections();
});

describe("the webhook client's SSRF guard", () => {
  it("refuses loopback, private, link-local (metadata) and IPv6 loopback addresses without a request", async () => {
    const target = await receiver(ok);
    const strict = client({ policy: { allowHttp: true, allowlist: [] } });
    for (const url of [
      target.url,
      `http://[::1]:${target.port}/cb`,
      "http://10.0.0.1/cb",
      "http://169.254.169.254/latest/meta-data",
      "http://100.64.0.1/cb",
      "http://224.0.0.1/cb",
      `http://[::ffff:127.0.0.1]:${target.port}/cb`,
    ]) {
      const { result } = await post(strict, url);
      expect({ url, result }).toEqual({
        url,
        result: {
          kind: "refused",
          reason: PUBLIC_ADDRESSES_ONLY,
          detail: expect.stringMatching(/private or reserved/),
        },
      });
    }
    expect(target.requests).toHaveLength(0);
    await target.close();
  });

  it("refuses a name that resolves to a private address, and http where it is not allowed", async () => {
    const lookup = names({ "intranet.example": "10.1.2.3", "fagsystem.example": "93.184.215.14" });
    const strict = client({ policy: { allowHttp: false, allowlist: [] }, lookup });
    // What it resolved to is for the log (detail); the attempt log the source system reads gets the reason.
    expect((await post(strict, "https://intranet.example/cb")).result).toEqual({
      kind: "refused",
      reason: PUBLIC_ADDRESSES_ONLY,
      detail: expect.stringContaining("10.1.2.3"),
    });
    expect((await post(strict, "http://fagsystem.example/cb")).result).toEqual({
      kind: "refused",
      reason: "only https",
      detail: "only https",
    });
  });

  it("does not follow a redirect, not even to an address it would refuse: a 3xx is the answer", async () => {
    const inside = await receiver(ok);
    const redirecting = await receiver((_req, res) =>
      res.writeHead(302, { location: `http://localhost:${inside.port}/cb` }).end(),
    );
    const { result } = await post(client(), redirecting.url);
    expect(result).toMatchObject({ kind: "answered", statusCode: 302 });
    expect(redirecting.requests).toHaveLength(1);
    expect(inside.requests).toHaveLength(0);
    await inside.close();
    await redirecting.close();
  });

  it("connects to the address it checked, once resolved, keeping the name for Host", async () => {
    const target = await receiver(ok);
    const lookup = names({ "receiver.test": "127.0.0.1" });
    const made = client({ policy: { allowHttp: true, allowlist: ["127.0.0.0/8"] }, lookup });
    const { result } = await post(made, `http://receiver.test:${target.port}/cb`);
    expect(result).toMatchObject({ kind: "answered", statusCode: 204 });
    expect(lookup.asked).toEqual(["receiver.test"]); // the connection did not resolve the name again
    expect(target.requests).toEqual([{ host: `receiver.test:${target.port}`, body: '{"a":1}' }]);
    await target.close();
  });
});

describe("the webhook client's limits", () => {
  it("gives up on an endpoint that never answers after the total timeout", async () => {
    const silent = await receiver(() => {});
    const { result } = await post(client({ timeoutMs: 300 }), silent.url);
    expect(result).toEqual({ kind: "failed", error: "no answer within 300 ms" });
    await silent.close();
  });

  it("reads at most the configured bytes of an answer", async () => {
    const chatty = await receiver((_req, res) => {
      res.writeHead(500, { "retry-after": "7" });
      res.end("x".repeat(1_000_000));
    });
    const outcome = await post(client({ responseBodyLimitBytes: 1_024 }), chatty.url);
    expect(outcome.result).toEqual({ kind: "answered", statusCode: 500, retryAfter: "7" });
    expect(outcome.responseBody).toHaveLength(1_024);
    await chatty.close();
  });

  it("says so when nothing listens", async () => {
    const gone = await receiver(ok);
    await gone.close();
    const { result } = await post(client(), gone.url);
    expect(result).toMatchObject({ kind: "failed", error: expect.stringContaining("ECONNREFUSED") });
  });
});
