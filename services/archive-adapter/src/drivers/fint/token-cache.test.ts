import { describe, expect, it } from "vitest";
import { ArchiveUnavailableError } from "../archive-errors";
import { createTokenCache, type OAuthOptions } from "./token-cache";

const passwordGrant: OAuthOptions = {
  tokenUrl: "https://idp.example/nidp/oauth/nam/token",
  clientId: "client:id",
  clientSecret: "s3cret",
  username: "flyt",
  password: "pw æ",
  scope: "fint-client",
};

/** A token endpoint that hands out numbered tokens and records what it was asked. */
function tokenEndpoint(answer: (call: number) => Response = (call) => tokenAnswer(`token-${call}`, 3600)) {
  const requests: { url: string; headers: Headers; form: URLSearchParams }[] = [];
  const fetchFake = (async (url: string | URL | Request, init?: RequestInit) => {
    requests.push({
      url: String(url),
      headers: new Headers(init?.headers),
      form: new URLSearchParams(String(init?.body)),
    });
    return answer(requests.length);
  }) as typeof fetch;
  return { requests, fetch: fetchFake };
}

function tokenAnswer(token: string, expiresIn: number): Response {
  return Response.json({ access_token: token, token_type: "bearer", expires_in: expiresIn });
}

describe("createTokenCache", () => {
  it("asks with the password grant and Basic client authentication, as FINT does", async () => {
    const endpoint = tokenEndpoint();
    const tokens = createTokenCache({
      oauth: passwordGrant,
      fetch: endpoint.fetch,
      now: () => 0,
      requestTimeoutMs: 1000,
    });
    expect(await tokens.accessToken()).toBe("token-1");
    const [request] = endpoint.requests;
    expect(request?.url).toBe(passwordGrant.tokenUrl);
    expect(Object.fromEntries(request?.form ?? [])).toEqual({
      grant_type: "password",
      username: "flyt",
      password: "pw æ",
      scope: "fint-client",
    });
    const basic = Buffer.from(String(request?.headers.get("authorization")).slice(6), "base64").toString();
    expect(basic).toBe("client%3Aid:s3cret");
  });

  it("uses client credentials when no user is given", async () => {
    const endpoint = tokenEndpoint();
    const { username: _u, password: _p, ...clientOnly } = passwordGrant;
    const tokens = createTokenCache({
      oauth: clientOnly,
      fetch: endpoint.fetch,
      now: () => 0,
      requestTimeoutMs: 1000,
    });
    await tokens.accessToken();
    expect(endpoint.requests[0]?.form.get("grant_type")).toBe("client_credentials");
    expect(endpoint.requests[0]?.form.has("username")).toBe(false);
  });

  it("keeps the token until shortly before it expires, then renews it", async () => {
    const endpoint = tokenEndpoint();
    let now = 0;
    const tokens = createTokenCache({
      oauth: passwordGrant,
      fetch: endpoint.fetch,
      now: () => now,
      requestTimeoutMs: 1000,
    });
    expect(await tokens.accessToken()).toBe("token-1");
    now = 3_539_000; // 61 s before expiry: still good
    expect(await tokens.accessToken()).toBe("token-1");
    now = 3_541_000; // within the last minute: renewed
    expect(await tokens.accessToken()).toBe("token-2");
    expect(endpoint.requests).toHaveLength(2);
  });

  it("fetches one token for many callers at once", async () => {
    const endpoint = tokenEndpoint();
    const tokens = createTokenCache({
      oauth: passwordGrant,
      fetch: endpoint.fetch,
      now: () => 0,
      requestTimeoutMs: 1000,
    });
    const all = await Promise.all([tokens.accessToken(), tokens.accessToken(), tokens.accessToken()]);
    expect(all).toEqual(["token-1", "token-1", "token-1"]);
    expect(endpoint.requests).toHaveLength(1);
  });

  it("renews after the archive rejected the token, but not twice for one rejection", async () => {
    const endpoint = tokenEndpoint();
    const tokens = createTokenCache({
      oauth: passwordGrant,
      fetch: endpoint.fetch,
      now: () => 0,
      requestTimeoutMs: 1000,
    });
    const first = await tokens.accessToken();
    tokens.invalidate(first);
    expect(await tokens.accessToken()).toBe("token-2");
    tokens.invalidate(first); // a late 401 for the old token leaves the new one alone
    expect(await tokens.accessToken()).toBe("token-2");
  });

  it("reports a failing token endpoint as the archive being unavailable, without the secret", async () => {
    const endpoint = tokenEndpoint(() => Response.json({ error: "invalid_client" }, { status: 401 }));
    const tokens = createTokenCache({
      oauth: passwordGrant,
      fetch: endpoint.fetch,
      now: () => 0,
      requestTimeoutMs: 1000,
    });
    const error = await tokens.accessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveUnavailableError);
    expect(String((error as Error).message)).not.toContain("s3cret");
  });
});
