import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { newSigningKey, type RunningAuthorizationServer, startAuthorizationServer } from "@flyt/oauth-server";
import { importJWK, type JWK, SignJWT } from "jose";
import Koa from "koa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessTokenVerifier } from "./access-token";
import { Problem } from "./problem";

// The verifier against the local OAuth server, its key set fetched through a proxy that counts the fetches.

const AUDIENCE = "urn:flyt:gateway:test";
const client = { clientId: "vestland-egrunnerverv-test", clientSecret: "secret-1" };
let issuer: RunningAuthorizationServer;
let proxy: Server;
let jwksFetches = 0;
/** While set, the proxy answers 503 instead of the issuer's key set. */
let issuerDown = false;
let clock = Date.now();
let gateway: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  issuer = await startAuthorizationServer({ audience: AUDIENCE, clients: [client] });
  const upstream = new URL(issuer.jwksUri);
  proxy = createServer((_request, res) => {
    jwksFetches += 1;
    if (issuerDown) {
      res.writeHead(503).end();
      return;
    }
    httpRequest(upstream, { headers: { accept: "application/json" } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    }).end();
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const verify = accessTokenVerifier({
    issuer: issuer.issuer,
    audience: AUDIENCE,
    jwksUri: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/jwks`,
    // Only the verifier's own clock moves: tokens are minted with real time.
    now: () => clock,
  });
  const app = new Koa();
  app.use(async (ctx) => {
    try {
      ctx.body = { clientId: (await verify(ctx)).clientId };
    } catch (error) {
      ctx.status = error instanceof Problem ? error.status : 500;
      ctx.body = { detail: (error as Error).message, problem: (error as Problem).detail };
    }
  });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  gateway = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});

afterAll(async () => {
  await gateway.close();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await issuer.stop();
});

const call = async (token: string) =>
  (await fetch(gateway.url, { headers: { authorization: `Bearer ${token}` } })).status;

/** A token of the right issuer and audience, signed with a key the issuer never published. */
async function withUnknownKid(): Promise<string> {
  const key: JWK = await newSigningKey();
  return new SignJWT({ client_id: client.clientId })
    .setProtectedHeader({ alg: "RS256", kid: key.kid as string })
    .setIssuer(issuer.issuer)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(await importJWK(key, "RS256"));
}

describe("accessTokenVerifier and the issuer's keys", () => {
  it("fetches the key set once for a flood of unknown kids, and still lets real tokens in", async () => {
    expect(await call(await issuer.tokenFor(client))).toBe(200);
    const afterFirst = jwksFetches;
    expect(afterFirst).toBeGreaterThan(0);
    const flood = await Promise.all(Array.from({ length: 20 }, withUnknownKid));
    for (const token of flood) expect(await call(token)).toBe(401);
    expect(jwksFetches - afterFirst).toBeLessThanOrEqual(1);
    expect(await call(await issuer.tokenFor(client))).toBe(200);
  });

  it("refreshes stale keys with one fetch however many tokens arrive at once, and never for fresh ones", async () => {
    const tokens = await Promise.all(Array.from({ length: 20 }, () => issuer.tokenFor(client)));
    clock += 11 * 60_000;
    const before = jwksFetches;
    expect(await Promise.all(tokens.map(call))).toEqual(Array(20).fill(200));
    expect(jwksFetches).toBe(before + 1);
    expect(await call(tokens[0] as string)).toBe(200);
    expect(jwksFetches).toBe(before + 1);
  });

  it("keeps using the keys it has while the issuer cannot be reached for a refresh", async () => {
    const token = await issuer.tokenFor(client);
    clock += 11 * 60_000;
    issuerDown = true;
    try {
      const before = jwksFetches;
      expect(await call(token)).toBe(200);
      expect(jwksFetches).toBe(before + 1);
    } finally {
      issuerDown = false;
    }
  });
});
