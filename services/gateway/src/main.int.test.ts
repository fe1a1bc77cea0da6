import { createKafka, createTopicsAndWait } from "@flyt/kafka";
import { createLogger } from "@flyt/logging";
import { type RunningAuthorizationServer, startAuthorizationServer } from "@flyt/oauth-server";
import { createDatabase } from "@flyt/postgres";
import { migrateRegistry, RegistryStore, seedDemoCounty } from "@flyt/registry";
import {
  describeServiceLifecycle,
  type ServiceProcess,
  startServiceProcess,
  testInfra,
  uniqueName,
} from "@flyt/testing";
import { topicCatalogue } from "@flyt/topics";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The authorization server is only asked for keys when a request carries a token; none does here.
describeServiceLifecycle("gateway", {
  OPS_PORT: "0",
  FLYT_ENVIRONMENT: "test",
  OAUTH_ISSUER: "http://127.0.0.1:9/issuer",
  OAUTH_AUDIENCE: "urn:flyt:gateway:test",
  OAUTH_JWKS_URI: "http://127.0.0.1:9/issuer/jwks",
});

describe("the gateway process while Kafka is unreachable", () => {
  it("starts, is live, and names Kafka as not ready instead of exiting", async () => {
    const gateway = await startServiceProcess("gateway", {
      OPS_PORT: "0",
      FLYT_ENVIRONMENT: "test",
      OAUTH_ISSUER: "http://127.0.0.1:9/issuer",
      OAUTH_AUDIENCE: "urn:flyt:gateway:test",
      OAUTH_JWKS_URI: "http://127.0.0.1:9/issuer/jwks",
      KAFKA_BROKERS: "127.0.0.1:1",
    });
    try {
      expect((await fetch(`${gateway.baseUrl}/livez`)).status).toBe(200);
      const ready = await fetch(`${gateway.baseUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect(
        ((await ready.json()) as { checks: Record<string, { status: string }> }).checks.kafka?.status,
      ).toBe("down");
    } finally {
      expect(await gateway.stop()).toBe(0);
    }
  });
});

describe("the gateway process against the real stack (the contract's responses, again)", () => {
  const registered = { clientId: "demo-egrunnerverv-test", clientSecret: "process-test-secret" };
  const stranger = { clientId: "not-in-the-registry", clientSecret: "process-test-secret" };
  let oauth: RunningAuthorizationServer;
  let gateway: ServiceProcess;
  let token: string;

  beforeAll(async () => {
    const infra = testInfra();
    const db = createDatabase({ url: infra.databaseUrl, applicationName: "flyt.test" });
    await migrateRegistry(db);
    await seedDemoCounty(new RegistryStore(db));
    await db.destroy();
    const namespace = uniqueName("gwproc");
    const admin = createKafka({
      clientId: "flyt.test",
      brokers: infra.kafkaBrokers,
      logger: createLogger({ service: "t", level: "silent" }),
    }).admin();
    await admin.connect();
    await createTopicsAndWait(admin, [
      { topic: topicCatalogue({ namespace }).submissionReceived.topic, numPartitions: 3 },
    ]);
    await admin.disconnect();

    oauth = await startAuthorizationServer({
      audience: "urn:flyt:gateway:test",
      clients: [registered, stranger],
    });
    gateway = await startServiceProcess("gateway", {
      OPS_PORT: "0",
      FLYT_ENVIRONMENT: "test",
      OAUTH_ISSUER: oauth.issuer,
      OAUTH_AUDIENCE: "urn:flyt:gateway:test",
      OAUTH_JWKS_URI: oauth.jwksUri,
      FLYT_TOPIC_NAMESPACE: namespace,
      REGISTER_SCHEMAS: "true",
      BODY_LIMIT_BYTES: "20000",
      RATE_LIMIT_BURST: "40",
      RATE_LIMIT_PER_SECOND: "1",
    });
    token = await oauth.tokenFor(registered);
  });

  afterAll(async () => {
    expect(await gateway.stop()).toBe(0);
    await oauth.stop();
  });

  const body = (sourceInstanceId: string, extra: object = {}) => ({
    integrationId: "egrunnerverv-sak",
    sourceInstanceId,
    case: { tittel: "Erverv av grunn" },
    ...extra,
  });

  async function post(
    payload: unknown,
    options: { token?: string; contentType?: string; raw?: string } = {},
  ) {
    const res = await fetch(`${gateway.baseUrl}/api/v1/cases`, {
      method: "POST",
      headers: {
        ...(options.token === "" ? {} : { authorization: `Bearer ${options.token ?? token}` }),
        "content-type": options.contentType ?? "application/json",
      },
      body: options.raw ?? JSON.stringify(payload),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  }

  it("answers every row of the response table", async () => {
    const accepted = await post(body("PROC-1"));
    expect(accepted.status).toBe(202);
    const status = await fetch(`${gateway.baseUrl}${accepted.body.statusUrl}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(status.status).toBe(200);
    expect(((await status.json()) as { status: string }).status).toBe("RECEIVED");

    expect((await post({ case: {} })).status).toBe(400);
    expect((await post(body("PROC-2"), { token: "" })).status).toBe(401);
    expect((await post(body("PROC-2"), { token: await oauth.tokenFor(stranger) })).status).toBe(403);
    expect((await post(body("PROC-2", { integrationId: "no-such-integration" }))).status).toBe(404);
    expect((await post(body("PROC-1", { case: { tittel: "Another" } }))).status).toBe(409);
    expect(
      (await post(null, { raw: JSON.stringify(body("PROC-3", { case: { tittel: "x".repeat(30_000) } })) }))
        .status,
    ).toBe(413);
    expect((await post(null, { raw: "<sak/>", contentType: "application/xml" })).status).toBe(415);

    // Burst of 40 per client, then 1 per second: the burst runs out within a few dozen requests.
    let refused: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 60 && !refused; i += 1) {
      const answer = await post({ case: {} });
      if (answer.status === 429) refused = answer;
    }
    expect(refused?.status).toBe(429);
    expect(refused?.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
  });
});
