import { describe, expect, it } from "vitest";
import { ArchiveRefusedError, ArchiveUnavailableError } from "../archive-errors";
import { createTokenSource } from "./client-credentials-token";

interface Call {
  readonly url: string;
  readonly init: RequestInit;
}

/** A token endpoint that answers from a script, one answer per call. */
function tokenEndpoint(answers: (() => Response)[]) {
  const calls: Call[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = answers.shift();
    if (!next) throw new Error("no more answers");
    return next();
  }) as unknown as typeof fetch;
  return { calls, fetchFn };
}

const token =
  (value: string, expiresIn = 300) =>
  () =>
    new Response(JSON.stringify({ access_token: value, token_type: "Bearer", expires_in: expiresIn }), {
      status: 200,
      headers: { "content-type": "application/json" },
    });

const credentials = {
  clientId: "flyt",
  clientSecret: "s3cr:t",
  scope: "n5",
};

const endpoint = async () =>
  ({ url: "https://idp.example.no/token", authMethod: "client_secret_basic", source: "configured" }) as const;

describe("client credentials token source", () => {
  it("asks with HTTP Basic and the client_credentials grant", async () => {
    const { calls, fetchFn } = tokenEndpoint([token("t1")]);
    const source = createTokenSource({
      credentials,
      endpoint,
      fetch: fetchFn,
      timeoutMs: 1000,
      now: () => 0,
    });
    expect(await source.token()).toBe("t1");
    const [call] = calls;
    const headers = call?.init.headers as Record<string, string>;
    expect(headers.authorization).toBe(`Basic ${Buffer.from("flyt:s3cr%3At").toString("base64")}`);
    expect(String(call?.init.body)).toBe("grant_type=client_credentials&scope=n5");
    expect(call?.url).toBe("https://idp.example.no/token");
  });

  it("sends id and secret as form fields where the provider takes only those", async () => {
    const { calls, fetchFn } = tokenEndpoint([token("t1")]);
    const source = createTokenSource({
      credentials,
      endpoint: async () => ({
        url: "https://idp.example.no/t",
        authMethod: "client_secret_post",
        source: "discovered",
      }),
      fetch: fetchFn,
      timeoutMs: 1000,
      now: () => 0,
    });
    expect(await source.token()).toBe("t1");
    const headers = calls[0]?.init.headers as Record<string, string>;
    expect(headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(String(calls[0]?.init.body)))).toEqual({
      grant_type: "client_credentials",
      scope: "n5",
      client_id: "flyt",
      client_secret: "s3cr:t",
    });
  });

  it("looks for the endpoint once, and again after the search failed", async () => {
    const { fetchFn } = tokenEndpoint([token("t1", 1), token("t2")]);
    let searches = 0;
    const source = createTokenSource({
      credentials,
      endpoint: async () => {
        searches += 1;
        if (searches === 1) throw new ArchiveUnavailableError("discovery down");
        return { url: "https://idp.example.no/t", authMethod: "client_secret_basic", source: "discovered" };
      },
      fetch: fetchFn,
      timeoutMs: 1000,
      now: () => 0,
    });
    await expect(source.token()).rejects.toBeInstanceOf(ArchiveUnavailableError);
    expect(await source.token()).toBe("t1");
    source.invalidate("t1");
    expect(await source.token()).toBe("t2");
    expect(searches).toBe(2);
  });

  it("keeps the token until shortly before it expires, then renews it", async () => {
    let now = 0;
    const { calls, fetchFn } = tokenEndpoint([token("t1", 300), token("t2", 300)]);
    const source = createTokenSource({
      credentials,
      endpoint,
      fetch: fetchFn,
      timeoutMs: 1000,
      now: () => now,
    });
    expect(await source.token()).toBe("t1");
    now = 200_000;
    expect(await source.token()).toBe("t1");
    now = 271_000; // a tenth of 300 s before expiry
    expect(await source.token()).toBe("t2");
    expect(calls).toHaveLength(2);
  });

  it("lets concurrent callers share one request", async () => {
    const { calls, fetchFn } = tokenEndpoint([token("t1")]);
    const source = createTokenSource({
      credentials,
      endpoint,
      fetch: fetchFn,
      timeoutMs: 1000,
      now: () => 0,
    });
    const tokens = await Promise.all([source.token(), source.token(), source.token()]);
    expect(tokens).toEqual(["t1", "t1", "t1"]);
    expect(calls).toHaveLength(1);
  });

  it("asks again once the archive rejected the token", async () => {
    const { fetchFn } = tokenEndpoint([token("t1"), token("t2")]);
    const source = createTokenSource({
      credentials,
      endpoint,
      fetch: fetchFn,
      timeoutMs: 1000,
      now: () => 0,
    });
    const first = await source.token();
    source.invalidate("some other token");
    expect(await source.token()).toBe(first);
    source.invalidate(first);
    expect(await source.token()).toBe("t2");
  });

  it("refuses permanently when the endpoint refuses the client", async () => {
    const { fetchFn } = tokenEndpoint([
      () => new Response(JSON.stringify({ error: "invalid_client" }), { status: 401 }),
    ]);
    const source = createTokenSource({
      credentials,
      endpoint,
      fetch: fetchFn,
      timeoutMs: 1000,
      now: () => 0,
    });
    await expect(source.token()).rejects.toBeInstanceOf(ArchiveRefusedError);
  });

  it("is transient when the endpoint is down, and tries again on the next call", async () => {
    const { fetchFn } = tokenEndpoint([() => new Response("busy", { status: 503 }), token("t1")]);
    const source = createTokenSource({
      credentials,
      endpoint,
      fetch: fetchFn,
      timeoutMs: 1000,
      now: () => 0,
    });
    const failure = await source.token().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ArchiveUnavailableError);
    expect((failure as ArchiveUnavailableError).uncertain).toBe(false);
    expect(await source.token()).toBe("t1");
  });

  it("is transient when a proxy answers an HTML page in the endpoint's place, whatever its status", async () => {
    const html = (status: number) => () =>
      new Response("<html><body><h1>502 Bad Gateway</h1></body></html>", {
        status,
        headers: { "content-type": "text/html" },
      });
    const { fetchFn } = tokenEndpoint([html(200), html(404), token("t1")]);
    const source = createTokenSource({
      credentials,
      endpoint,
      fetch: fetchFn,
      timeoutMs: 1000,
      now: () => 0,
    });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error = await source.token().catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(ArchiveUnavailableError);
      expect((error as Error).message).toContain("502 Bad Gateway");
    }
    expect(await source.token()).toBe("t1");
  });
});
