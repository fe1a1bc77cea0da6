import { createDatabase } from "@flyt/postgres";
import { createTestDatabase } from "@flyt/testing";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoClients, demoIntegrations, demoSourceApplications, seedDemoCounty } from "./demo-county";
import { migrateRegistry, rollbackRegistry } from "./migrate";
import { RegistryStore } from "./registry-store";

let db: Knex;
let drop: () => Promise<void>;
let store: RegistryStore;

beforeAll(async () => {
  const database = await createTestDatabase();
  drop = database.drop;
  db = createDatabase({ url: database.url, applicationName: "flyt.test" });
  await migrateRegistry(db);
  store = new RegistryStore(db);
});
afterAll(async () => {
  await db.destroy();
  await drop();
});

describe("registry migrations", () => {
  it("apply once, and roll back and forward again", async () => {
    expect(await migrateRegistry(db)).toEqual([]);
    const scratch = await createTestDatabase();
    const other = createDatabase({ url: scratch.url, applicationName: "flyt.test" });
    try {
      expect(await migrateRegistry(other)).toEqual([
        "001-registries",
        "002-destination-of-same-tenant",
        "003-integration-configurations",
      ]);
      await rollbackRegistry(other);
      expect(await other.schema.hasTable("integrations")).toBe(false);
      expect(await migrateRegistry(other)).toEqual([
        "001-registries",
        "002-destination-of-same-tenant",
        "003-integration-configurations",
      ]);
    } finally {
      await other.destroy();
      await scratch.drop();
    }
  });
});

describe("demo county seed", () => {
  it("adds every source application, client and integration of domain.md once", async () => {
    const first = await seedDemoCounty(store);
    expect(first.created).toBe(
      2 + demoSourceApplications.length + demoClients.length + demoIntegrations.length,
    );
    expect(await seedDemoCounty(store)).toEqual({ created: 0 });

    const integrations = await store.integrations("demo");
    expect(integrations).toHaveLength(25);
    expect(integrations.filter((integration) => integration.sourceApplicationId === "vigo")).toHaveLength(15);
    expect(await store.integration("demo", "egrunnerverv-sak")).toEqual({
      tenantId: "demo",
      integrationId: "egrunnerverv-sak",
      sourceApplicationId: "egrunnerverv",
      name: "Arkivsak",
      state: "ACTIVE",
      destinationId: "demo-simulator",
    });
    expect((await store.integration("demo", "isy-graving-gravetillatelse"))?.state).toBe("IN_DEVELOPMENT");
  });
});

describe("RegistryStore", () => {
  it("maps a client to exactly one tenant, source application and environment", async () => {
    await store.addTenant({
      id: "vestland",
      name: "Vestland fylkeskommune",
      organisationNumber: "821311632",
    });
    await store.addSourceApplication({ id: "digisak", name: "Digisak", vendor: null });
    expect(
      await store.addClient({
        clientId: "vestland-digisak-prod",
        tenantId: "vestland",
        sourceApplicationId: "digisak",
        environment: "production",
        description: null,
      }),
    ).toEqual({ outcome: "created" });
    expect(await store.clientById("vestland-digisak-prod")).toEqual({
      clientId: "vestland-digisak-prod",
      tenantId: "vestland",
      sourceApplicationId: "digisak",
      environment: "production",
      description: null,
      revokedAt: null,
    });
    expect(await store.clientById("nobody")).toBeUndefined();
  });

  it("answers expected refusals as values", async () => {
    expect(await store.addTenant({ id: "vestland", name: "again", organisationNumber: null })).toEqual({
      outcome: "exists",
    });
    expect(
      await store.addIntegration({
        tenantId: "no-such-tenant",
        integrationId: "x-y",
        sourceApplicationId: "digisak",
        name: "x",
        state: "ACTIVE",
        destinationId: null,
      }),
    ).toMatchObject({ outcome: "unknown-reference" });
    expect(await store.addTenant({ id: "Not A Slug", name: "x", organisationNumber: null })).toMatchObject({
      outcome: "invalid",
    });
  });

  it("refuses an integration that archives into another tenant's destination", async () => {
    await store.addDestination({
      id: "vestland-elements",
      tenantId: "vestland",
      name: "Elements",
      driver: "FINT",
    });
    const intoDemo = await store.addIntegration({
      tenantId: "vestland",
      integrationId: "digisak-tilskudd",
      sourceApplicationId: "digisak",
      name: "Tilskudd",
      state: "ACTIVE",
      destinationId: "demo-simulator",
    });
    expect(intoDemo).toMatchObject({ outcome: "unknown-reference" });
    const intoOwn = await store.addIntegration({
      tenantId: "vestland",
      integrationId: "digisak-tilskudd",
      sourceApplicationId: "digisak",
      name: "Tilskudd",
      state: "ACTIVE",
      destinationId: "vestland-elements",
    });
    expect(intoOwn).toEqual({ outcome: "created" });
  });

  it("keeps integration ids unique per tenant, and changes state", async () => {
    const integration = {
      tenantId: "vestland",
      integrationId: "digisak-fartoyvern",
      sourceApplicationId: "digisak",
      name: "Fartøyvern",
      state: "PILOT" as const,
      destinationId: null,
    };
    expect(await store.addIntegration(integration)).toEqual({ outcome: "created" });
    expect(await store.addIntegration({ ...integration, name: "other" })).toEqual({ outcome: "exists" });
    expect(await store.setIntegrationState("vestland", "digisak-fartoyvern", "DEACTIVATED")).toBe(true);
    expect((await store.integration("vestland", "digisak-fartoyvern"))?.state).toBe("DEACTIVATED");
    expect(await store.setIntegrationState("vestland", "nope", "ACTIVE")).toBe(false);
  });
});
