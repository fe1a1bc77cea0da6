import { randomUUID } from "node:crypto";
import { newSigningKey, type RunningAuthorizationServer, startAuthorizationServer } from "@flyt/oauth-server";
import { createDatabase } from "@flyt/postgres";
import {
  DestinationChecks,
  migrateRegistry,
  registryStores,
  seedDemoConfigurations,
  seedDemoCounty,
} from "@flyt/registry";
import { migrateStatusReadModel } from "@flyt/status-read-model";
import { createTestDatabase } from "@flyt/testing";
import { importJWK, type JWK, SignJWT } from "jose";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "./app";
import { listen, testAppDependencies } from "./app.fixtures";

const AUDIENCE = "urn:flyt:gateway:test";
const admin = { clientId: "flyt-platform-admin", clientSecret: "admin-secret", roles: ["flyt.admin"] };
const reader = { clientId: "flyt-dashboard", clientSecret: "reader-secret", roles: ["flyt.reader"] };
const sourceSystem = { clientId: "demo-egrunnerverv-test", clientSecret: "source-secret" };
const integration = "/admin/v1/tenants/demo/integrations/egrunnerverv-sak";

/** A valid configuration of the demo county (its simulated archive). */
const configuration = {
  destinationId: "demo-simulator",
  archiveDefaults: { arkivdel: "EIENDOM", administrativEnhet: "SAMFERDSEL", journalstatus: "J" },
  fixedFields: ["arkivdel"],
  caseMode: { mode: "BY_SEARCH_OR_NEW", searchCriteria: ["arkivdel", "tittel"] },
  caseAccess: { scope: "ARCHIVE_SECTIONS", arkivdeler: ["EIENDOM"] },
  documentRules: {
    allowedMimeTypes: ["application/pdf"],
    maxFileBytes: 10_485_760,
    exactlyOneMainDocument: true,
  },
  valueConversions: { journalstatus: { ferdig: "J" } },
};

const checksAskedFor: Parameters<
  NonNullable<Parameters<typeof testAppDependencies>[0]["destinationCheckRequests"]>
>[0][] = [];
let signingKey: JWK;
let oauth: RunningAuthorizationServer;
let otherAudience: RunningAuthorizationServer;
let db: Knex;
let dropDatabase: () => Promise<void>;
let server: Awaited<ReturnType<typeof listen>>;
let base: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  signingKey = await newSigningKey();
  oauth = await startAuthorizationServer({
    audience: AUDIENCE,
    clients: [admin, reader, sourceSystem],
    signingKey,
  });
  // Same keys and role, another gateway's audience: a real token this gateway must still refuse.
  otherAudience = await startAuthorizationServer({
    audience: "urn:flyt:gateway:production",
    clients: [admin],
    signingKey,
  });
  const database = await createTestDatabase();
  dropDatabase = database.drop;
  db = createDatabase({ url: database.url, applicationName: "flyt.gateway-test" });
  await migrateRegistry(db);
  await migrateStatusReadModel(db);
  const stores = registryStores(db);
  await seedDemoCounty(stores.registry);
  await seedDemoConfigurations(stores.configurations);
  await stores.registry.addTenant({
    id: "vestland",
    name: "Vestland fylkeskommune",
    organisationNumber: null,
  });
  await stores.registry.addDestination({
    id: "vestland-elements",
    tenantId: "vestland",
    name: "Elements",
    driver: "FINT",
  });

  server = await listen(
    createApp(
      testAppDependencies({
        db,
        oauth,
        audience: AUDIENCE,
        // These tests submit nothing: the admin API never publishes.
        publish: () => Promise.reject(new Error("the admin API publishes nothing")),
        destinationCheckRequests: async (check) => {
          checksAskedFor.push(check);
        },
      }),
    ),
  );
  base = server.base;
  for (const client of [admin, reader, sourceSystem]) tokens[client.clientId] = await oauth.tokenFor(client);
});

afterAll(async () => {
  await server.close();
  await Promise.all([oauth.stop(), otherAudience.stop()]);
  await db.destroy();
  await dropDatabase();
});

async function call(method: string, path: string, options: { token?: string | null; body?: unknown } = {}) {
  const token = options.token === undefined ? tokens[admin.clientId] : options.token;
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
}

/** A token with the admin role, signed with the issuer's own key, with the claims a test chooses. */
async function minted(claims: { exp: number; iat: number }) {
  return new SignJWT({ client_id: admin.clientId, roles: ["flyt.admin"] })
    .setProtectedHeader({ alg: "RS256", kid: signingKey.kid as string, typ: "at+jwt" })
    .setIssuer(oauth.issuer)
    .setAudience(AUDIENCE)
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .sign(await importJWK(signingKey, "RS256"));
}

const seconds = (offset: number) => Math.floor(Date.now() / 1000) + offset;

describe("admin API authentication", () => {
  it("lets a token with the admin role in", async () => {
    expect((await call("GET", "/admin/v1/tenants/demo/integrations")).status).toBe(200);
  });

  const refused: [string, number, string, () => Promise<string | null>][] = [
    ["no token", 401, "unauthenticated", async () => null],
    ["a source system's token", 403, "admin-role-required", async () => tokens[sourceSystem.clientId] ?? ""],
    ["a token with another role", 403, "admin-role-required", async () => tokens[reader.clientId] ?? ""],
    [
      "an expired admin token",
      401,
      "invalid-token",
      () => minted({ iat: seconds(-900), exp: seconds(-300) }),
    ],
    ["an admin token for another audience", 401, "invalid-token", () => otherAudience.tokenFor(admin)],
    ["a token that is not a JWT", 401, "invalid-token", async () => "not-a-jwt"],
  ];

  it.each(refused)("refuses %s: %i problem+json", async (_name, status, code, token) => {
    const result = await call("GET", "/admin/v1/tenants/demo/integrations", { token: await token() });
    expect(result.status).toBe(status);
    expect(result.headers.get("content-type")).toContain("application/problem+json");
    expect(result.body).toMatchObject({ type: `urn:flyt:problem:${code}`, status });
  });

  it("gives an admin token nothing on the source-system API", async () => {
    const result = await call("GET", "/api/v1/submissions?integrationId=egrunnerverv-sak&sourceInstanceId=x");
    expect(result.status).toBe(403);
    expect(result.body.type).toBe("urn:flyt:problem:client-not-registered");
  });
});

describe("admin API", () => {
  it("lists a tenant's integrations with their state, source application and active version", async () => {
    const result = await call("GET", "/admin/v1/tenants/demo/integrations");
    const integrations = result.body.integrations as Record<string, unknown>[];
    expect(integrations).toHaveLength(25);
    expect(integrations).toContainEqual({
      integrationId: "isy-graving-gravetillatelse",
      name: "Gravetillatelser",
      sourceApplicationId: "isy-graving",
      state: "IN_DEVELOPMENT",
      activeVersion: 1,
    });
    const unknown = await call("GET", "/admin/v1/tenants/atlantis/integrations");
    expect(unknown.status).toBe(404);
    expect(unknown.body.type).toBe("urn:flyt:problem:unknown-tenant");
  });

  it("keeps tenants apart: another tenant's integration is not found under this tenant's path", async () => {
    for (const path of ["", "/configuration/active", "/configuration/versions/1", "/audit"]) {
      const result = await call("GET", `/admin/v1/tenants/vestland/integrations/egrunnerverv-sak${path}`);
      expect([path, result.status]).toEqual([path, 404]);
    }
    const changed = await call("PUT", "/admin/v1/tenants/vestland/integrations/egrunnerverv-sak/state", {
      body: { state: "DEACTIVATED" },
    });
    expect(changed.status).toBe(404);
    expect((await call("GET", "/admin/v1/tenants/demo/integrations/egrunnerverv-sak")).body).toMatchObject({
      state: "ACTIVE",
    });
  });

  it("drafts, completes and activates a configuration over HTTP", async () => {
    const saved = await call("PUT", `${integration}/configuration/draft`, { body: configuration });
    expect(saved).toMatchObject({ status: 200, body: configuration });
    expect((await call("GET", `${integration}/configuration/draft`)).body).toEqual(configuration);
    expect((await call("GET", integration)).body).toMatchObject({ activeVersion: 1, hasDraft: true });

    const completed = await call("POST", `${integration}/configuration/draft/complete`);
    expect(completed.status).toBe(201);
    expect(completed.body).toEqual({ version: 2 });
    expect(completed.headers.get("location")).toBe(`${integration}/configuration/versions/2`);
    expect((await call("GET", `${integration}/configuration/draft`)).status).toBe(404);

    const described = await call("GET", integration);
    expect(described.body).toMatchObject({
      integrationId: "egrunnerverv-sak",
      sourceApplicationId: "egrunnerverv",
      state: "ACTIVE",
      activeVersion: 1,
      hasDraft: false,
      versions: [
        { version: 1, completedBy: "demo-seed" },
        { version: 2, completedBy: admin.clientId },
      ],
    });

    expect(await call("PUT", `${integration}/configuration/active`, { body: { version: 2 } })).toMatchObject({
      status: 200,
      body: { version: 2 },
    });
    const active = await call("GET", `${integration}/configuration/active`);
    expect(active.body).toMatchObject({ version: 2, completedBy: admin.clientId, configuration });
    expect(Date.parse(active.body.completedAt as string)).toBeGreaterThan(Date.now() - 60_000);
    expect((await call("GET", `${integration}/configuration/versions/2`)).body).toEqual(active.body);
  });

  it("answers an invalid draft 422 with every issue at once, and saves nothing", async () => {
    const result = await call("PUT", `${integration}/configuration/draft`, {
      body: {
        ...configuration,
        archiveDefaults: { arkivdel: "", journalstaus: "J" },
        caseMode: { mode: "SOMETIMES" },
        documentRules: { ...configuration.documentRules, maxFileBytes: -1 },
      },
    });
    expect(result.status).toBe(422);
    expect(result.headers.get("content-type")).toContain("application/problem+json");
    expect(result.body).toMatchObject({ type: "urn:flyt:problem:invalid-request", status: 422 });
    const errors = result.body.errors as { code: string; pointer: string; detail: string }[];
    expect(errors.map(({ pointer, code }) => `${pointer} ${code}`).sort()).toEqual([
      "/archiveDefaults/arkivdel too-small",
      "/archiveDefaults/journalstaus unknown-field",
      "/caseMode/mode invalid-union",
      "/documentRules/maxFileBytes too-small",
    ]);
    for (const error of errors) expect(error.detail).toEqual(expect.any(String));
    expect((await call("GET", `${integration}/configuration/draft`)).status).toBe(404);
  });

  it("refuses another tenant's archive destination, pointing at /destinationId, alone or among other issues", async () => {
    const intoVestland = { ...configuration, destinationId: "vestland-elements" };
    const alone = await call("PUT", `${integration}/configuration/draft`, { body: intoVestland });
    expect(alone.status).toBe(422);
    expect(alone.body.errors).toEqual([
      {
        code: "unknown-destination",
        pointer: "/destinationId",
        detail: "demo has no archive destination vestland-elements",
      },
    ]);
    const among = await call("PUT", `${integration}/configuration/draft`, {
      body: { ...intoVestland, valueConversions: [] },
    });
    expect((among.body.errors as { pointer: string }[]).map((error) => error.pointer)).toEqual([
      "/valueConversions",
      "/destinationId",
    ]);
  });

  it("keeps a completed version immutable: no method but GET on a version", async () => {
    for (const method of ["PUT", "DELETE", "POST"]) {
      const result = await call(method, `${integration}/configuration/versions/1`, { body: configuration });
      expect(result.status).toBe(405);
      expect(result.headers.get("allow")).toBe("GET");
      expect(result.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await call("GET", `${integration}/configuration/versions/1`)).body).toMatchObject({
      version: 1,
      completedBy: "demo-seed",
    });
    expect((await call("GET", `${integration}/configuration/versions/9`)).status).toBe(404);
  });

  it("answers a missing draft, version or integration with a problem", async () => {
    const noDraft = await call("POST", `${integration}/configuration/draft/complete`);
    expect(noDraft).toMatchObject({ status: 409, body: { type: "urn:flyt:problem:no-draft" } });
    expect((await call("DELETE", `${integration}/configuration/draft`)).status).toBe(404);
    const unknownVersion = await call("PUT", `${integration}/configuration/active`, { body: { version: 9 } });
    expect(unknownVersion).toMatchObject({ status: 409, body: { type: "urn:flyt:problem:unknown-version" } });
    const badBody = await call("PUT", `${integration}/configuration/active`, { body: { version: "2" } });
    expect(badBody.status).toBe(422);
    expect(badBody.body.errors).toEqual([expect.objectContaining({ pointer: "/version" })]);

    const unknown = await call("GET", "/admin/v1/tenants/demo/integrations/no-such-integration");
    expect(unknown).toMatchObject({ status: 404, body: { type: "urn:flyt:problem:unknown-integration" } });
    expect((await call("GET", "/admin/v1/tenants/Demo/integrations")).status).toBe(404);
    expect((await call("GET", "/admin/v1/elsewhere")).body.type).toBe("urn:flyt:problem:not-found");
  });

  it("deletes a draft", async () => {
    await call("PUT", `${integration}/configuration/draft`, { body: configuration });
    expect((await call("DELETE", `${integration}/configuration/draft`)).status).toBe(204);
    expect((await call("GET", `${integration}/configuration/draft`)).status).toBe(404);
  });

  it("changes an integration's state, and refuses a state that does not exist", async () => {
    const path = "/admin/v1/tenants/demo/integrations/isy-graving-gravetillatelse";
    expect(await call("PUT", `${path}/state`, { body: { state: "PILOT" } })).toMatchObject({
      status: 200,
      body: { state: "PILOT" },
    });
    expect((await call("GET", path)).body.state).toBe("PILOT");
    const invalid = await call("PUT", `${path}/state`, { body: { state: "LIVE" } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors).toEqual([
      expect.objectContaining({ code: "invalid-value", pointer: "/state" }),
    ]);
  });

  it("records who made each change, and when, in the audit log", async () => {
    const result = await call("GET", `${integration}/audit`);
    const entries = result.body.entries as { at: string; actor: string; action: string; details: object }[];
    expect(entries.map((entry) => entry.action)).toEqual([
      "configuration.draft-deleted",
      "configuration.draft-saved",
      "configuration.version-activated",
      "configuration.draft-completed",
      "configuration.draft-saved",
    ]);
    for (const entry of entries) {
      expect(entry.actor).toBe(admin.clientId);
      expect(Date.parse(entry.at)).toBeGreaterThan(Date.now() - 60_000);
    }
    expect(entries[2]?.details).toEqual({ version: 2, previousVersion: 1 });
    expect(entries[4]?.details).toEqual({ configuration });

    const state = await call(
      "GET",
      "/admin/v1/tenants/demo/integrations/isy-graving-gravetillatelse/audit?limit=5",
    );
    expect(state.body.entries).toEqual([
      expect.objectContaining({
        actor: admin.clientId,
        action: "integration.state-changed",
        details: { from: "IN_DEVELOPMENT", to: "PILOT" },
      }),
    ]);
    expect((await call("GET", `${integration}/audit?limit=0`)).status).toBe(400);
  });

  describe("submissions for the operator console", () => {
    const at = (second: number) => new Date(Date.UTC(2026, 10, 23, 9, 0, second));
    const submissionsOf = "/admin/v1/tenants/demo/integrations/hmsreg-arkivering";

    beforeAll(async () => {
      await db("submission_status").insert(
        (["ARCHIVED", "ARCHIVED", "FAILED"] as const).map((status, i) => ({
          submission_id: `sub_console_${i}`,
          tenant_id: "demo",
          source_application_id: "hmsreg",
          integration_id: "hmsreg-arkivering",
          source_instance_id: `HMS-${i}`,
          kind: "CASE",
          run: 1,
          status,
          status_event_id: `sub_console_${i}-${status}`,
          created_at: at(i),
          updated_at: at(i),
        })),
      );
    });

    it("lists an integration's submissions newest first, page by page, and counts them per status", async () => {
      const first = await call("GET", `${submissionsOf}/submissions?limit=2`);
      expect(first.status).toBe(200);
      expect(first.body.submissions).toEqual([
        expect.objectContaining({
          id: "sub_console_2",
          status: "FAILED",
          sourceInstanceId: "HMS-2",
          kind: "case",
          run: 1,
          errors: [],
        }),
        expect.objectContaining({ id: "sub_console_1", status: "ARCHIVED" }),
      ]);
      const rest = await call("GET", `${submissionsOf}/submissions?limit=2&cursor=${first.body.next}`);
      expect(rest.body).toEqual({ submissions: [expect.objectContaining({ id: "sub_console_0" })] });
      const failed = await call("GET", `${submissionsOf}/submissions?status=FAILED`);
      expect((failed.body.submissions as unknown[]).length).toBe(1);

      const counts = await call(
        "GET",
        `${submissionsOf}/submission-counts?from=2026-11-23T09:00:00Z&to=2026-11-23T10:00:00Z`,
      );
      expect(counts.body).toEqual({
        from: "2026-11-23T09:00:00.000Z",
        to: "2026-11-23T10:00:00.000Z",
        counts: { ARCHIVED: 2, FAILED: 1 },
      });
    });

    it("names every bad parameter at once, and keeps other tenants' submissions out of reach", async () => {
      const bad = await call(
        "GET",
        `${submissionsOf}/submissions?status=DONE&from=yesterday&limit=0&cursor=x`,
      );
      expect(bad.status).toBe(400);
      for (const name of ["status", "from", "limit", "cursor"]) expect(bad.body.detail).toContain(name);
      expect((await call("GET", `${submissionsOf}/submission-counts?from=2026-11-23T09:00:00Z`)).status).toBe(
        400,
      );
      const elsewhere = "/admin/v1/tenants/vestland/integrations/hmsreg-arkivering/submissions";
      expect((await call("GET", elsewhere)).status).toBe(404);
      expect(
        (await call("GET", `${submissionsOf}/submissions`, { token: tokens[sourceSystem.clientId] ?? null }))
          .status,
      ).toBe(403);
    });
  });
});

describe("archive destinations and their connection checks", () => {
  const checks = `/admin/v1/tenants/demo/destinations/demo-simulator/checks`;

  it("asks the destination's archive adapter for a check, audited, and answers its report once it is recorded", async () => {
    const asked = await call("POST", checks);
    expect(asked.status).toBe(202);
    const checkId = asked.body.checkId as string;
    expect(asked.headers.get("location")).toBe(`${checks}/${checkId}`);
    expect(checksAskedFor.at(-1)).toEqual({
      checkId,
      destination: { id: "demo-simulator", tenantId: "demo", name: expect.any(String), driver: "SIMULATOR" },
      requestedBy: admin.clientId,
    });
    const [audited] = await db("audit_log").where({ destination_id: "demo-simulator" }).orderBy("id", "desc");
    expect(audited).toMatchObject({
      actor: admin.clientId,
      action: "destination.check-requested",
      details: { checkId },
    });

    const pending = await call("GET", `${checks}/${checkId}`);
    expect(pending).toMatchObject({ status: 200, body: { checkId, status: "pending" } });
    expect(pending.headers.get("retry-after")).toBe("2");

    // As the archive adapter records it.
    await new DestinationChecks(db).record({
      checkId,
      tenantId: "demo",
      destinationId: "demo-simulator",
      requestedBy: admin.clientId,
      requestedAt: new Date(),
      passed: false,
      steps: [{ step: "codes", ok: false, detail: "1 code the archive does not know." }],
      unknownCodes: [
        { field: "arkivdel", value: "ELEVV", usedBy: ["vigo-ny-soker"], why: "No such arkivdel." },
      ],
    });
    expect((await call("GET", `${checks}/${checkId}`)).body).toMatchObject({
      checkId,
      status: "failed",
      unknownCodes: [{ field: "arkivdel", value: "ELEVV" }],
    });
    expect((await call("GET", checks)).body.checks).toEqual([expect.objectContaining({ checkId })]);
    const listed = await call("GET", "/admin/v1/tenants/demo/destinations");
    expect(listed.body.destinations).toEqual([
      expect.objectContaining({
        id: "demo-simulator",
        driver: "SIMULATOR",
        lastCheck: expect.objectContaining({ checkId, passed: false }),
      }),
    ]);
  });

  it("reads a check no archive adapter reported on within two minutes as expired, saying what to do; an id never asked for as unknown", async () => {
    const checkId = randomUUID();
    // Asked for three minutes ago, while the archive adapter was down.
    await new DestinationChecks(db).requested({
      checkId,
      tenantId: "demo",
      destinationId: "demo-simulator",
      requestedBy: admin.clientId,
      requestedAt: new Date(Date.now() - 180_000),
    });
    const expired = await call("GET", `${checks}/${checkId}`);
    expect(expired).toMatchObject({
      status: 200,
      body: { checkId, status: "expired", detail: expect.stringContaining("ask for a new check") },
    });
    expect(expired.headers.get("retry-after")).toBeNull();
    expect(await call("GET", `${checks}/${randomUUID()}`)).toMatchObject({
      status: 404,
      body: { type: "urn:flyt:problem:unknown-check" },
    });
  });

  it("keeps tenants apart: another tenant's destination is unknown here, and asks for nothing", async () => {
    const before = checksAskedFor.length;
    const foreign = await call("POST", "/admin/v1/tenants/demo/destinations/vestland-elements/checks");
    expect(foreign).toMatchObject({ status: 404, body: { type: "urn:flyt:problem:unknown-destination" } });
    expect((await call("GET", "/admin/v1/tenants/demo/destinations/vestland-elements/checks")).status).toBe(
      404,
    );
    expect(checksAskedFor).toHaveLength(before);
  });
});
