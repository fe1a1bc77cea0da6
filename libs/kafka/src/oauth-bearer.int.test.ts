import { type RunningAuthorizationServer, startAuthorizationServer } from "@flyt/oauth-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientCredentialsTokens, TokenRequestError } from "./oauth-bearer";

// Against a real OAuth 2.0 authorization server (the local one, oidc-provider): tokens for SASL/OAUTHBEARER.

const client = { clientId: "flyt.kafka-test", clientSecret: "kafka s3cret/with+odd=chars" };
let oauth: RunningAuthorizationServer;

beforeAll(async () => {
  oauth = await startAuthorizationServer({
    audience: "urn:flyt:kafka:test",
    clients: [client],
    accessTokenTtlSeconds: 600,
  });
});
afterAll(() => oauth.stop());

const settings = () => ({ tokenEndpoint: oauth.tokenEndpoint, ...client });

describe("clientCredentialsTokens", () => {
  it("gets a JWT for the client, and reuses it until shortly before it expires", async () => {
    let clock = 1_000_000;
    const tokens = clientCredentialsTokens(settings(), { now: () => clock });
    const first = await tokens();
    const claims = JSON.parse(Buffer.from(first.value.split(".")[1] ?? "", "base64url").toString()) as {
      sub: string;
      aud: string;
    };
    expect(claims).toMatchObject({ sub: client.clientId, aud: "urn:flyt:kafka:test" });
    clock += 539_000; // a 600 s token is renewed a minute early
    expect(await tokens()).toBe(first);
    clock += 1_000;
    expect((await tokens()).value).not.toBe(first.value);
  });

  it("keeps serving a token that is still valid while its renewal fails, and fails once it has expired", async () => {
    let clock = 1_000_000;
    let endpoint = oauth.tokenEndpoint;
    const tokens = clientCredentialsTokens(
      {
        get tokenEndpoint() {
          return endpoint;
        },
        clientId: client.clientId,
        clientSecret: client.clientSecret,
      },
      { now: () => clock, timeoutMs: 2_000 },
    );
    const first = await tokens();
    // The endpoint goes away just when the token is due for renewal: connections still get the valid one.
    endpoint = "http://127.0.0.1:9/token";
    clock += 550_000;
    expect(await tokens()).toBe(first);
    clock += 60_000;
    await expect(tokens()).rejects.toThrow();
  });

  it("asks once for connections that want a token at the same time", async () => {
    const tokens = clientCredentialsTokens(settings());
    const answers = await Promise.all(Array.from({ length: 5 }, () => tokens()));
    expect(new Set(answers.map((token) => token.value)).size).toBe(1);
  });

  it("says why the token endpoint refused the client, without its secret", async () => {
    const tokens = clientCredentialsTokens({ ...settings(), clientSecret: "wrong-secret" });
    const refused = await tokens().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TokenRequestError);
    expect((refused as Error).message).toBe(
      "the token endpoint refused Kafka's client flyt.kafka-test: 401 invalid_client",
    );
  });
});
