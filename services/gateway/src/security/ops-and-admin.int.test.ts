import { hostname } from "node:os";
import { type RunningAuthorizationServer, startAuthorizationServer } from "@flyt/oauth-server";
import { PUBLIC_ADDRESSES_ONLY } from "@flyt/outbound-guard";
import { createDatabase } from "@flyt/postgres";
import { migrateRegistry, RegistryStore, seedDemoCounty } from "@flyt/registry";
import { createTestDatabase, type ServiceProcess, startServiceProcess } from "@flyt/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Attacks over HTTP on the gateway as it runs (its build, its own process), each a finding that must stay fixed:
// operational endpoints on the public port, an admin client flooding the admin API, and the callback URL check
// telling a caller what internal names resolve to.

const AUDIENCE = "urn:flyt:gateway:test";
const flooder = { clientId: "flyt-admin-script", clientSecret: "flooder-secret", roles: ["flyt.admin"] };
const colleague = {
  clientId: "flyt-platform-admin",
  clientSecret: "colleague-secret",
  roles: ["flyt.admin"],
};
const sourceSystem = { clientId: "demo-egrunnerverv-test", clientSecret: "source-secret" };
const ADMIN_BURST = 5;

let oauth: RunningAuthorizationServer;
let gateway: ServiceProcess;
let dropDatabase: () => Promise<void>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const database = await createTestDatabase();
  dropDatabase = database.drop;
  const db = createDatabase({ url: database.url, applicationName: "flyt.gateway-security-test" });
  await migrateRegistry(db);
  await seedDemoCounty(new RegistryStore(db));
  await db.destroy();
  oauth = await startAuthorizationServer({ audience: AUDIENCE, clients: [flooder, colleague, sourceSystem] });
  gateway = await startServiceProcess("gateway", {
    OPS_PORT: "0",
    DATABASE_URL: database.url,
    FLYT_ENVIRONMENT: "test",
    OAUTH_ISSUER: oauth.issuer,
    OAUTH_AUDIENCE: AUDIENCE,
    OAUTH_JWKS_URI: oauth.jwksUri,
    // A burst, then one request every 100 s: a flood runs dry at once and does not refill during the test.
    ADMIN_RATE_LIMIT_BURST: String(ADMIN_BURST),
    ADMIN_RATE_LIMIT_PER_SECOND: "0.01",
  });
  for (const client of [flooder, colleague, sourceSystem])
    tokens[client.clientId] = await oauth.tokenFor(client);
  // Its tables are migrated in the background at start-up; the admin API needs them.
  await untilReady(gateway.opsBaseUrl);
});

afterAll(async () => {
  expect(await gateway?.stop()).toBe(0);
  await oauth?.stop();
  await dropDatabase?.();
});

async function untilReady(base: string): Promise<void> {
  for (let tries = 0; tries < 300; tries += 1) {
    const res = await fetch(`${base}/readyz`);
    await res.arrayBuffer();
    if (res.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${base} never became ready`);
}

describe("operational endpoints", () => {
  it("are not on the API port: /metrics there is a 404 problem, naming nothing", async () => {
    const metrics = await fetch(`${gateway.baseUrl}/metrics`);
    expect(metrics.status).toBe(404);
    expect(metrics.headers.get("content-type")).toContain("application/problem+json");
    expect(await metrics.text()).not.toMatch(/process_resident_memory_bytes|http_request/);
  });

  it("leave the API port only /livez and an up-or-down /readyz", async () => {
    expect((await fetch(`${gateway.baseUrl}/livez`)).status).toBe(200);
    const ready = (await (await fetch(`${gateway.baseUrl}/readyz`)).json()) as {
      checks: Record<string, object>;
    };
    for (const check of Object.values(ready.checks)) expect(Object.keys(check)).toEqual(["status"]);
  });

  it("are on the ops port: /metrics with the gateway's metrics, and readiness", async () => {
    expect(gateway.opsBaseUrl).not.toBe(gateway.baseUrl);
    const metrics = await fetch(`${gateway.opsBaseUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^process_resident_memory_bytes\{service="gateway"\} \d+/m);
    expect((await fetch(`${gateway.opsBaseUrl}/readyz`)).status).toBe(200);
  });
});

describe("the admin API under a flood", () => {
  const integrations = (token: string) =>
    fetch(`${gateway.baseUrl}/admin/v1/tenants/demo/integrations`, {
      headers: { authorization: `Bearer ${token}` },
    });

  it("answers one admin client 429 with Retry-After past its burst, while another admin client gets through", async () => {
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < ADMIN_BURST * 3; i += 1) {
      const res = await integrations(tokens[flooder.clientId] as string);
      statuses.push(res.status);
      if (res.status === 429) refused ??= res;
      else await res.arrayBuffer();
    }
    expect(statuses.slice(0, ADMIN_BURST)).toEqual(Array(ADMIN_BURST).fill(200));
    expect(statuses.slice(ADMIN_BURST)).toEqual(Array(ADMIN_BURST * 2).fill(429));
    expect(refused?.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    expect(refused?.headers.get("content-type")).toContain("application/problem+json");
    expect(await refused?.json()).toMatchObject({ type: "urn:flyt:problem:rate-limited", status: 429 });

    const other = await integrations(tokens[colleague.clientId] as string);
    expect(other.status).toBe(200);
  });
});

describe("callback registration", () => {
  const register = async (url: string) => {
    const res = await fetch(`${gateway.baseUrl}/api/v1/callback`, {
      method: "PUT",
      headers: {
        authorization: `Bearer ${tokens[sourceSystem.clientId]}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ url }),
    });
    return { status: res.status, text: await res.text() };
  };

  it("refuses internal names without saying what they resolve to, or whether they resolve at all", async () => {
    // localhost and this machine's own name resolve to loopback or a private address here; the last one to none.
    const urls = ["https://localhost/cb", `https://${hostname()}/cb`, "https://no-such-host.invalid/cb"];
    const refusals = await Promise.all(urls.map(register));
    for (const refusal of refusals) {
      expect(refusal.status).toBe(400);
      expect(refusal.text).not.toMatch(
        /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|resolve[sd]? to|does not resolve/,
      );
      expect(JSON.parse(refusal.text)).toMatchObject({
        type: "urn:flyt:problem:callback-url-refused",
        detail: PUBLIC_ADDRESSES_ONLY,
      });
    }
    // One answer for all three: which of them exists inside is not told.
    expect(new Set(refusals.map((refusal) => refusal.text.replace(/"instance":"[^"]*"/, ""))).size).toBe(1);
    // The operators' log has the whole reason (its line reaches this process a moment after the answer).
    await expect
      .poll(() => gateway.records)
      .toContainEqual(
        expect.objectContaining({
          msg: "callback URL refused",
          refused: expect.stringMatching(
            /^localhost resolves to a private or reserved address \(.*(127\.0\.0\.1|::1)/,
          ),
        }),
      );
  });
});
