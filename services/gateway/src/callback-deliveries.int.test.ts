import { randomUUID } from "node:crypto";
import { CallbackEndpoints } from "@flyt/callbacks";
import { type RunningAuthorizationServer, startAuthorizationServer } from "@flyt/oauth-server";
import { createDatabase } from "@flyt/postgres";
import { migrateRegistry, RegistryStore, seedDemoCounty } from "@flyt/registry";
import { avroType, callbackRequestedV1Schema } from "@flyt/schemas";
import { createTestDatabase } from "@flyt/testing";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateGateway } from "./adapters/postgres/migrations";
import { createApp } from "./app";
import { listen, testAppDependencies } from "./app.fixtures";
import { callbackRequestedMessage } from "./domain/callback-request";
import type { DispatcherRequest } from "./handlers/callback-deliveries";

// The gateway's side of callbacks: the caller's deliveries and attempts (read from the dispatcher's tables),
// requests to the dispatcher (kept here as a list), the status resource's callback member, operators' routes.

const AUDIENCE = "urn:flyt:gateway:test";
const egrunnerverv = { clientId: "demo-egrunnerverv-test", clientSecret: "s1" };
const vigo = { clientId: "demo-vigo-test", clientSecret: "s2" };
const admin = { clientId: "flyt-platform-admin", clientSecret: "s3", roles: ["flyt.admin"] };
const owner = { tenantId: "demo", sourceApplicationId: "egrunnerverv" };

let oauth: RunningAuthorizationServer;
let db: Knex;
let drop: () => Promise<void>;
let server: Awaited<ReturnType<typeof listen>>;
const tokens: Record<string, string> = {};
const requests: DispatcherRequest[] = [];

beforeAll(async () => {
  oauth = await startAuthorizationServer({ audience: AUDIENCE, clients: [egrunnerverv, vigo, admin] });
  const database = await createTestDatabase();
  drop = database.drop;
  db = createDatabase({ url: database.url, applicationName: "flyt.gateway-test" });
  await migrateRegistry(db);
  await migrateGateway(db);
  await seedDemoCounty(new RegistryStore(db));
  server = await listen(
    createApp(
      testAppDependencies({
        db,
        oauth,
        audience: AUDIENCE,
        publish: () => Promise.reject(new Error("nothing is submitted here")),
        callbackRequests: async (request) => {
          requests.push(request);
        },
      }),
    ),
  );
  for (const client of [egrunnerverv, vigo, admin]) tokens[client.clientId] = await oauth.tokenFor(client);
});

afterAll(async () => {
  await server.close();
  await oauth.stop();
  await db.destroy();
  await drop();
});

async function call(
  method: string,
  path: string,
  options: { client?: { clientId: string }; body?: unknown } = {},
) {
  const res = await fetch(`${server.base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${tokens[(options.client ?? egrunnerverv).clientId]}`,
      ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    location: res.headers.get("location"),
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

/** A delivery as the dispatcher writes it, with its attempts. */
async function delivered(
  fields: Record<string, unknown> = {},
  attempts: { status_code: number | null }[] = [],
) {
  const id = randomUUID();
  await db("callback_deliveries").insert({
    id,
    kind: "submission",
    tenant_id: "demo",
    source_application_id: "egrunnerverv",
    submission_id: "sub_01ARYZ6S41TSV4RRFFQ69G5FAV",
    run: 1,
    event_type: "submission.archived",
    body: "{}",
    occurred_at: hoursAgo(1),
    state: "retrying",
    attempts: attempts.length,
    ...fields,
  });
  for (const [index, attempt] of attempts.entries()) {
    await db("callback_attempts").insert({
      delivery_id: id,
      attempt: index + 1,
      at: hoursAgo(1),
      duration_ms: 12,
      status_code: attempt.status_code,
      error: attempt.status_code === 200 ? null : `answered ${attempt.status_code}`,
      url: "https://fagsystem.example/cb",
    });
  }
  return id;
}

describe("the source system's callback deliveries", () => {
  it("lists the caller's own deliveries with every attempt; another source application's is 404", async () => {
    await new CallbackEndpoints(db).register(owner, "https://fagsystem.example/cb", "whsec_x");
    const id = await delivered({ last_status_code: 503 }, [{ status_code: 503 }]);
    const listed = await call("GET", "/api/v1/callback/deliveries?state=retrying");
    expect(listed.status).toBe(200);
    expect(listed.body.deliveries).toContainEqual(
      expect.objectContaining({
        id,
        type: "submission.archived",
        state: "retrying",
        attempts: 1,
        attemptLog: [
          expect.objectContaining({ attempt: 1, statusCode: 503, error: "answered 503", durationMs: 12 }),
        ],
      }),
    );
    expect((await call("GET", `/api/v1/callback/deliveries/${id}`)).body).toMatchObject({
      id,
      lastStatusCode: 503,
    });
    expect((await call("GET", `/api/v1/callback/deliveries/${id}`, { client: vigo })).status).toBe(404);
    expect((await call("POST", `/api/v1/callback/deliveries/${id}/resend`, { client: vigo })).status).toBe(
      404,
    );
    expect(requests.filter((request) => request.action === "RESEND")).toHaveLength(0);
  });

  it("names every bad query parameter at once, as a problem", async () => {
    const refused = await call("GET", "/api/v1/callback/deliveries?state=lost&limit=0&cursor=nope");
    expect(refused.status).toBe(400);
    expect(refused.type).toContain("application/problem+json");
    expect((refused.body.errors as { pointer: string }[]).map((error) => error.pointer)).toEqual([
      "/state",
      "/limit",
      "/cursor",
    ]);
  });

  it("asks the dispatcher to resend, to replay what was parked since a time, and to ping", async () => {
    const id = await delivered({ state: "parked", parked_at: new Date() });
    requests.length = 0;
    expect(await call("POST", `/api/v1/callback/deliveries/${id}/resend`)).toMatchObject({
      status: 202,
      body: { deliveryId: id },
    });
    expect(
      await call("POST", "/api/v1/callback/replay", { body: { since: "2026-11-23T00:00:00Z" } }),
    ).toMatchObject({
      status: 202,
      body: { since: "2026-11-23T00:00:00.000Z" },
    });
    const ping = await call("POST", "/api/v1/callback/ping");
    expect(ping.status).toBe(202);
    expect(ping.location).toBe(`/api/v1/callback/deliveries/${ping.body.deliveryId}`);
    expect(requests).toEqual([
      { action: "RESEND", owner, deliveryId: id, requestedBy: egrunnerverv.clientId },
      {
        action: "REPLAY",
        owner,
        since: new Date("2026-11-23T00:00:00Z"),
        requestedBy: egrunnerverv.clientId,
      },
      { action: "PING", owner, deliveryId: ping.body.deliveryId, requestedBy: egrunnerverv.clientId },
    ]);
    // Without an endpoint there is nothing to ping or replay to.
    expect((await call("POST", "/api/v1/callback/ping", { client: vigo })).status).toBe(404);
  });

  it("refuses a replay without a usable since, with a pointer", async () => {
    for (const body of [{}, { since: "yesterday" }, { since: "2026-11-23" }]) {
      const refused = await call("POST", "/api/v1/callback/replay", { body });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ pointer: "/since" })]);
    }
  });

  it("shows the callback's state in a terminal status resource", async () => {
    const id = "sub_01ARYZ6S41TSV4RRFFQ69G5FAW";
    await db("intake_submissions").insert({
      id,
      tenant_id: "demo",
      source_application_id: "egrunnerverv",
      integration_id: "egrunnerverv-sak",
      source_instance_id: "GRV-CB-1",
      kind: "CASE",
      body_hash: "x",
      state: "accepted",
    });
    await db("submission_status").insert({
      submission_id: id,
      tenant_id: "demo",
      source_application_id: "egrunnerverv",
      integration_id: "egrunnerverv-sak",
      source_instance_id: "GRV-CB-1",
      kind: "CASE",
      run: 1,
      status: "ARCHIVED",
      case_number: "2026/9",
      status_event_id: `${id}-archived`,
      created_at: hoursAgo(2),
      updated_at: hoursAgo(1),
    });
    expect((await call("GET", `/api/v1/submissions/${id}`)).body.callback).toBeNull();
    const next = new Date(Date.now() + 60_000);
    await delivered(
      { submission_id: id, last_status_code: 500, last_attempt_at: hoursAgo(1), next_attempt_at: next },
      [{ status_code: 500 }],
    );
    const status = await call("GET", `/api/v1/submissions/${id}`);
    expect(status.body).toMatchObject({
      status: "ARCHIVED",
      caseNumber: "2026/9",
      callback: {
        state: "retrying",
        attempts: 1,
        lastStatusCode: 500,
        lastAttemptAt: expect.any(String),
        nextAttemptAt: next.toISOString(),
      },
    });
  });
});

describe("operators' callback routes", () => {
  const base = "/admin/v1/tenants/demo";

  it("lists the tenant's disabled endpoints, re-enables one and records who did", async () => {
    const vigoOwner = { tenantId: "demo", sourceApplicationId: "vigo" };
    const endpoints = new CallbackEndpoints(db);
    await endpoints.register(vigoOwner, "https://vigo.example/cb", "whsec_v");
    await endpoints.recordHealth(
      [{ owner: vigoOwner, succeeded: false, gone: true, at: new Date() }],
      new Date(0),
    );
    const attention = await call("GET", `${base}/callback-endpoints`, { client: admin });
    expect(attention.body.endpoints).toContainEqual(
      expect.objectContaining({
        sourceApplicationId: "vigo",
        disabledReason: "gone",
        flaggedAt: expect.any(String),
      }),
    );
    const enabled = await call("POST", `${base}/source-applications/vigo/callback/enable`, { client: admin });
    expect(enabled).toMatchObject({ status: 200, body: { disabledAt: null, disabledReason: null } });
    expect(await db("audit_log").where({ source_application_id: "vigo" })).toEqual([
      expect.objectContaining({
        actor: admin.clientId,
        action: "callback.endpoint-enabled",
        tenant_id: "demo",
        details: expect.objectContaining({ disabledReason: "gone" }),
      }),
    ]);
    expect(
      (await call("GET", `${base}/callback-endpoints`, { client: admin })).body.endpoints,
    ).not.toContainEqual(expect.objectContaining({ sourceApplicationId: "vigo" }));
  });

  it("lists a source application's deliveries, resends one and replays what was parked, each audited", async () => {
    const id = await delivered({ state: "parked", parked_at: new Date() }, [{ status_code: 500 }]);
    requests.length = 0;
    const listed = await call(
      "GET",
      `${base}/source-applications/egrunnerverv/callback/deliveries?state=parked`,
      {
        client: admin,
      },
    );
    expect(listed.body.deliveries).toContainEqual(expect.objectContaining({ id, state: "parked" }));
    expect(
      (
        await call("POST", `${base}/source-applications/egrunnerverv/callback/deliveries/${id}/resend`, {
          client: admin,
        })
      ).status,
    ).toBe(202);
    expect(
      (
        await call("POST", `${base}/source-applications/egrunnerverv/callback/replay`, {
          client: admin,
          body: { since: "2026-11-01T00:00:00+01:00" },
        })
      ).status,
    ).toBe(202);
    expect(requests.map((request) => [request.action, request.requestedBy])).toEqual([
      ["RESEND", admin.clientId],
      ["REPLAY", admin.clientId],
    ]);
    expect(
      (await db("audit_log").where({ source_application_id: "egrunnerverv" }).orderBy("id")).map(
        (row) => row.action,
      ),
    ).toEqual(["callback.delivery-resent", "callback.parked-replayed"]);
    expect(
      (
        await call("POST", `${base}/source-applications/vigo/callback/deliveries/${id}/resend`, {
          client: admin,
        })
      ).status,
    ).toBe(404);
  });

  it("answers an unknown tenant, a bad body and a source system's token as problems", async () => {
    expect(
      (await call("GET", "/admin/v1/tenants/nowhere/callback-endpoints", { client: admin })).status,
    ).toBe(404);
    const refused = await call("POST", `${base}/source-applications/egrunnerverv/callback/replay`, {
      client: admin,
      body: { since: 5 },
    });
    expect(refused).toMatchObject({
      status: 422,
      body: { errors: [expect.objectContaining({ pointer: "/since" })] },
    });
    expect((await call("GET", `${base}/callback-endpoints`)).status).toBe(403);
  });
});

describe("the request message", () => {
  it("is a valid CallbackRequested, keyed by its owner", () => {
    const message = callbackRequestedMessage(
      { action: "REPLAY", owner, since: new Date("2026-11-23T00:00:00Z"), requestedBy: "kari" },
      {
        eventId: randomUUID(),
        correlationId: "c",
        traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        at: new Date(),
      },
    );
    expect(message.key).toBe("demo/egrunnerverv");
    expect(avroType(callbackRequestedV1Schema).isValid(message.value)).toBe(true);
    expect(message.value).toMatchObject({
      action: "REPLAY",
      deliveryId: null,
      since: new Date("2026-11-23T00:00:00Z"),
    });
  });
});
