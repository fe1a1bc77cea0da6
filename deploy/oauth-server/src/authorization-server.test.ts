import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  newSigningKey,
  type RunningAuthorizationServer,
  requestToken,
  startAuthorizationServer,
} from "./authorization-server";

const client = { clientId: "demo-egrunnerverv-test", clientSecret: "s3cret-for-tests-only" };
const admin = {
  clientId: "flyt-platform-admin",
  clientSecret: "admin-s3cret",
  roles: ["flyt.admin", "flyt.reader"],
};
let server: RunningAuthorizationServer;

beforeAll(async () => {
  server = await startAuthorizationServer({
    audience: "urn:flyt:gateway:test",
    clients: [client, admin],
    accessTokenTtlSeconds: 300,
  });
});
afterAll(() => server.stop());

describe("local authorization server", () => {
  it("publishes a discovery document naming its token endpoint, JWKS and the client credentials grant", async () => {
    const res = await fetch(`${server.issuer}/.well-known/openid-configuration`);
    const discovery = (await res.json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: server.issuer,
      token_endpoint: server.tokenEndpoint,
      jwks_uri: server.jwksUri,
    });
    expect(discovery.grant_types_supported).toContain("client_credentials");
  });

  it("issues an RS256 JWT access token for the gateway's audience to a registered client", async () => {
    const token = await server.tokenFor(client);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: "RS256", typ: "at+jwt" });
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(server.jwksUri)), {
      issuer: server.issuer,
      audience: "urn:flyt:gateway:test",
    });
    expect(payload.client_id).toBe(client.clientId);
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300);
  });

  it("puts a client's app roles into its access tokens' roles claim, and no roles claim for a client without", async () => {
    const keys = createRemoteJWKSet(new URL(server.jwksUri));
    const options = { issuer: server.issuer, audience: "urn:flyt:gateway:test" };
    const { payload } = await jwtVerify(await server.tokenFor(admin), keys, options);
    expect(payload).toMatchObject({ client_id: admin.clientId, roles: ["flyt.admin", "flyt.reader"] });
    const { payload: plain } = await jwtVerify(await server.tokenFor(client), keys, options);
    expect(plain).not.toHaveProperty("roles");
  });

  it("refuses a wrong secret and an unknown client", async () => {
    await expect(requestToken(server.tokenEndpoint, { ...client, clientSecret: "wrong" })).rejects.toThrow(
      /401 invalid_client/,
    );
    await expect(
      requestToken(server.tokenEndpoint, { clientId: "nobody", clientSecret: "x" }),
    ).rejects.toThrow(/401 invalid_client/);
  });

  it("signs with keys no other server trusts", async () => {
    const other = await startAuthorizationServer({ audience: "urn:flyt:gateway:test", clients: [client] });
    try {
      const foreign = await other.tokenFor(client);
      await expect(
        jwtVerify(foreign, createRemoteJWKSet(new URL(server.jwksUri)), {
          audience: "urn:flyt:gateway:test",
        }),
      ).rejects.toThrow();
    } finally {
      await other.stop();
    }
  });
});

describe("a given signing key", () => {
  it("is the one the server signs with and publishes", async () => {
    const key = await newSigningKey();
    const own = await startAuthorizationServer({
      audience: "urn:flyt:gateway:test",
      clients: [client],
      signingKey: key,
    });
    try {
      const jwks = (await (await fetch(own.jwksUri)).json()) as { keys: { kid: string }[] };
      expect(jwks.keys.map((published) => published.kid)).toEqual([key.kid]);
      expect(decodeProtectedHeader(await own.tokenFor(client)).kid).toBe(key.kid);
    } finally {
      await own.stop();
    }
  });
});
