import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLogger } from "@flyt/logging";
import { newSigningKey, type RunningAuthorizationServer, startAuthorizationServer } from "@flyt/oauth-server";
import { createDatabase } from "@flyt/postgres";
import { migrateRegistry, RegistryStore } from "@flyt/registry";
import { createTestDatabase } from "@flyt/testing";
import { exportSPKI, importJWK, type JWK, SignJWT } from "jose";
import type { Knex } from "knex";
import Koa from "koa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessTokenVerifier } from "./access-token";
import { authenticate } from "./authenticate";
import { problemDetails } from "./problem";
import { rateLimit } from "./rate-limit";

const TEST_AUDIENCE = "urn:flyt:gateway:test";
const registered = { clientId: "vestland-egrunnerverv-test", clientSecret: "secret-1" };
const unregistered = { clientId: "stranger-test", clientSecret: "secret-2" };
const productionClient = { clientId: "vestland-egrunnerverv-prod", clientSecret: "secret-3" };

let signingKey: JWK;
let testIssuer: RunningAuthorizationServer;
let productionIssuer: RunningAuthorizationServer;
let db: Knex;
let dropDatabase: () => Promise<void>;
let gateway: { url: string; close: () => Promise<void> };
let limited: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  signingKey = await newSigningKey();
  testIssuer = await startAuthorizationServer({
    audience: TEST_AUDIENCE,
    clients: [registered, unregistered, productionClient],
    signingKey,
  });
  productionIssuer = await startAuthorizationServer({
    audience: "urn:flyt:gateway:production",
    clients: [registered],
  });

  const database = await createTestDatabase();
  dropDatabase = database.drop;
  db = createDatabase({ url: database.url, applicationName: "flyt.test" });
  await migrateRegistry(db);
  const store = new RegistryStore(db);
  await store.addTenant({ id: "vestland", name: "Vestland fylkeskommune", organisationNumber: null });
  await store.addSourceApplication({ id: "egrunnerverv", name: "eGrunnerverv", vendor: null });
  for (const [clientId, environment] of [
    [registered.clientId, "test"],
    [productionClient.clientId, "production"],
  ] as const) {
    await store.addClient({
      clientId,
      tenantId: "vestland",
      sourceApplicationId: "egrunnerverv",
      environment,
      description: null,
    });
  }

  const options = {
    verifyToken: accessTokenVerifier({
      issuer: testIssuer.issuer,
      audience: TEST_AUDIENCE,
      jwksUri: testIssuer.jwksUri,
    }),
    environment: "test" as const,
    clients: store,
  };
  gateway = await serve((app) => app.use(authenticate(options)));
  limited = await serve((app) => app.use(authenticate(options)).use(rateLimit({ burst: 3, perSecond: 1 })));
});

afterAll(async () => {
  await Promise.all([gateway.close(), limited.close(), testIssuer.stop(), productionIssuer.stop()]);
  await db.destroy();
  await dropDatabase();
});

/** Our middlewares in a Koa app that answers with who the caller is. */
async function serve(compose: (app: Koa) => Koa) {
  const app = new Koa();
  app.use(problemDetails(createLogger({ service: "test", level: "silent" })));
  compose(app).use((ctx) => {
    ctx.body = ctx.state.caller;
  });
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1/submissions/sub_1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function call(token: string | undefined, url = gateway.url) {
  const res = await fetch(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

/** A token signed with the test issuer's own key, with the claims a test chooses. */
async function minted(claims: Record<string, unknown>, key: JWK = signingKey, alg = "RS256") {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ client_id: registered.clientId, ...claims })
    .setProtectedHeader({ alg, kid: key.kid as string, typ: "at+jwt" })
    .setIssuer((claims.iss as string) ?? testIssuer.issuer)
    .setAudience((claims.aud as string) ?? TEST_AUDIENCE)
    .setIssuedAt((claims.iat as number) ?? now)
    .setExpirationTime((claims.exp as number) ?? now + 300)
    .sign(await importJWK(key, alg));
}

const seconds = (offset: number) => Math.floor(Date.now() / 1000) + offset;

describe("authenticate", () => {
  it("lets a registered client in, as its tenant, source application and environment", async () => {
    const result = await call(await testIssuer.tokenFor(registered));
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      clientId: registered.clientId,
      tenantId: "vestland",
      sourceApplicationId: "egrunnerverv",
      environment: "test",
    });
  });

  it("answers a request without a token 401 with `WWW-Authenticate: Bearer` and a problem body", async () => {
    const res = await fetch(gateway.url);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await res.json()).toEqual({
      type: "urn:flyt:problem:unauthenticated",
      title: "Authentication required",
      status: 401,
      detail: "Send an access token: Authorization: Bearer <token>.",
      instance: "/api/v1/submissions/sub_1",
    });
  });

  const attacks: [string, RegExp, () => Promise<string>][] = [
    ["expired", /has expired/, () => minted({ iat: seconds(-600), exp: seconds(-120) })],
    ["not valid yet (nbf in the future)", /not valid yet/, () => minted({ nbf: seconds(120) })],
    [
      "issued in the future (iat)",
      /issued in the future/,
      () => minted({ iat: seconds(600), exp: seconds(900) }),
    ],
    [
      "from another issuer (iss)",
      /not issued for this API/,
      () => minted({ iss: "http://127.0.0.1:1/evil" }),
    ],
    [
      "for another audience (aud)",
      /not issued for this API/,
      () => minted({ aud: "urn:flyt:gateway:production" }),
    ],
    [
      "unsigned (alg: none)",
      /algorithm is not allowed|invalid algorithm|signature is required/,
      async () => {
        const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
        return `${part({ alg: "none", typ: "at+jwt" })}.${part({ iss: testIssuer.issuer, aud: TEST_AUDIENCE, client_id: registered.clientId, exp: seconds(300) })}.`;
      },
    ],
    [
      "HS256 signed with the issuer's public key",
      /algorithm is not allowed|invalid algorithm/,
      async () => {
        const { d: _private, ...publicJwk } = signingKey;
        const pem = await exportSPKI(
          (await importJWK({ ...publicJwk, alg: "RS256" }, "RS256")) as Parameters<typeof exportSPKI>[0],
        );
        return new SignJWT({ client_id: registered.clientId })
          .setProtectedHeader({ alg: "HS256", kid: signingKey.kid as string })
          .setIssuer(testIssuer.issuer)
          .setAudience(TEST_AUDIENCE)
          .setExpirationTime(seconds(300))
          .sign(new TextEncoder().encode(pem));
      },
    ],
    [
      "signed with a key the issuer does not publish (unknown kid)",
      /signing key \(kid\)/,
      async () => minted({}, await newSigningKey()),
    ],
    ["issued by the production issuer", /signing key \(kid\)/, () => productionIssuer.tokenFor(registered)],
    ["not a JWT at all", /not a well-formed JWT/, async () => "not-a-jwt"],
    [
      "without an expiry (exp)",
      /no expiry/,
      async () =>
        new SignJWT({ client_id: registered.clientId })
          .setProtectedHeader({ alg: "RS256", kid: signingKey.kid as string, typ: "at+jwt" })
          .setIssuer(testIssuer.issuer)
          .setAudience(TEST_AUDIENCE)
          .setIssuedAt()
          .sign(await importJWK(signingKey, "RS256")),
    ],
  ];

  it.each(attacks)("refuses a token %s: 401 invalid_token", async (_name, reason, token) => {
    const result = await call(await token());
    expect(result.body.detail).toMatch(reason);
    // What we expect stays ours: neither the body nor the header names our issuer or audience.
    for (const said of [JSON.stringify(result.body), result.headers.get("www-authenticate")]) {
      expect(said).not.toContain(testIssuer.issuer);
      expect(said).not.toContain(TEST_AUDIENCE);
    }
    expect(result.status).toBe(401);
    expect(result.headers.get("www-authenticate")).toMatch(/^Bearer error="invalid_token"/);
    expect(result.body).toMatchObject({ type: "urn:flyt:problem:invalid-token", status: 401 });
  });

  it("accepts a token that expired within the 60 s leeway", async () => {
    const result = await call(await minted({ iat: seconds(-300), exp: seconds(-30) }));
    expect(result.body).toEqual({
      clientId: registered.clientId,
      tenantId: "vestland",
      sourceApplicationId: "egrunnerverv",
      environment: "test",
    });
    expect(result.status).toBe(200);
  });

  it("refuses a scheme other than Bearer", async () => {
    const res = await fetch(gateway.url, { headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer error="invalid_token"/);
  });

  it("answers 403 for a valid token of a client that is not registered", async () => {
    const result = await call(await testIssuer.tokenFor(unregistered));
    expect(result.status).toBe(403);
    expect(result.body).toMatchObject({ type: "urn:flyt:problem:client-not-registered", status: 403 });
  });

  it("answers 403 for a client registered for the other environment", async () => {
    expect((await call(await testIssuer.tokenFor(productionClient))).status).toBe(403);
  });

  it("answers 403 for a revoked client", async () => {
    await db("oauth_clients").insert({
      client_id: unregistered.clientId,
      tenant_id: "vestland",
      source_application_id: "egrunnerverv",
      environment: "test",
      revoked_at: new Date(),
    });
    expect((await call(await testIssuer.tokenFor(unregistered))).status).toBe(403);
  });
});

describe("rateLimit", () => {
  it("lets a burst through, then answers 429 with Retry-After", async () => {
    const token = await testIssuer.tokenFor(registered);
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await call(token, limited.url)).status);
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await call(token, limited.url);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.body).toMatchObject({ type: "urn:flyt:problem:rate-limited", status: 429 });
  });
});
