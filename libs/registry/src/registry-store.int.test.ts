import { createDatabase } from "@flyt/postgres";
import { createTestDatabase } from "@flyt/testing";
import { describe, expect, it } from "vitest";
import { demoClients, demoIntegrations, demoSourceApplications, seedDemoCounty } from "./demo-county";
import { migrateRegistry, rollbackRegistry } from "./migrate";
import { useRegistryDatabase } from "./registry-test-database";

const database = useRegistryDatabase();

describe("registry migrations", () => {
  it("apply once, and roll back and forward again", async () => {
    expect(await migrateRegistry(database.db)).toEqual([]);
    const scratch = await createTestDatabase();
    const other = createDatabase({ url: scratch.url, applicationName: "flyt.test" });
    try {
      expect(await migrateRegistry(other)).toEqual([
        "001-registries",
        "002-destination-of-same-tenant",
        "003-integration-configurations",
        "004-destination-per-configuration-version",
        "005-audit-log",
        "006-required-destination-and-untruncatable-audit",
        "007-audit-log-source-application",
        "008-destination-checks",
        "009-pending-destination-checks",
      ]);
      await rollbackRegistry(other);
      expect(await other.schema.hasTable("integrations")).toBe(false);
      expect(await migrateRegistry(other)).toEqual([
        "001-registries",
        "002-destination-of-same-tenant",
        "003-integration-configurations",
        "004-destination-per-configuration-version",
        "005-audit-log",
        "006-required-destination-and-untruncatable-audit",
        "007-audit-log-source-application",
        "008-destination-checks",
        "009-pending-destination-checks",
      ]);
    } finally {
      await other.destroy();
      await scratch.drop();
    }
  });
});

describe("demo county seed", () => {
  it("adds every source application, client and integration of domain.md once", async () => {
    const first = await seedDemoCounty(database.registry);
    expect(first.created).toBe(
      2 + demoSourceApplications.length + demoClients.length + demoIntegrations.length,
    );
    expect(await seedDemoCounty(database.registry)).toEqual({ created: 0 });

    const integrations = await database.registry.integrations("demo");
    expect(integrations).toHaveLength(25);
    expect(integrations.filter((integration) => integration.sourceApplicationId === "vigo")).toHaveLength(15);
    expect(await database.registry.integration("demo", "egrunnerverv-sak")).toEqual({
      tenantId: "demo",
      integrationId: "egrunnerverv-sak",
      sourceApplicationId: "egrunnerverv",
      name: "Arkivsak",
      state: "ACTIVE",
    });
    expect((await database.registry.integration("demo", "isy-graving-gravetillatelse"))?.state).toBe(
      "IN_DEVELOPMENT",
    );
  });
});

describe("RegistryStore", () => {
  it("maps a client to exactly one tenant, source application and environment", async () => {
    await database.registry.addTenant({
      id: "vestland",
      name: "Vestland fylkeskommune",
      organisationNumber: "821311632",
    });
    await database.registry.addSourceApplication({ id: "digisak", name: "Digisak", vendor: null });
    expect(
      await database.registry.addClient({
        clientId: "vestland-digisak-prod",
        tenantId: "vestland",
        sourceApplicationId: "digisak",
        environment: "production",
        description: null,
      }),
    ).toEqual({ outcome: "created" });
    expect(await database.registry.clientById("vestland-digisak-prod")).toEqual({
      clientId: "vestland-digisak-prod",
      tenantId: "vestland",
      sourceApplicationId: "digisak",
      environment: "production",
      description: null,
      revokedAt: null,
    });
    expect(await database.registry.clientById("nobody")).toBeUndefined();
    expect(await database.registry.tenant("vestland")).toEqual({
      id: "vestland",
      name: "Vestland fylkeskommune",
      organisationNumber: "821311632",
    });
    expect(await database.registry.tenant("atlantis")).toBeUndefined();
  });

  it("answers expected refusals as values", async () => {
    expect(
      await database.registry.addTenant({ id: "vestland", name: "again", organisationNumber: null }),
    ).toEqual({
      outcome: "exists",
    });
    expect(
      await database.registry.addIntegration({
        tenantId: "no-such-tenant",
        integrationId: "x-y",
        sourceApplicationId: "digisak",
        name: "x",
        state: "ACTIVE",
      }),
    ).toMatchObject({ outcome: "unknown-reference" });
    expect(
      await database.registry.addTenant({ id: "Not A Slug", name: "x", organisationNumber: null }),
    ).toMatchObject({
      outcome: "invalid",
    });
  });

  it("keeps integration ids unique per tenant, and changes state", async () => {
    const integration = {
      tenantId: "vestland",
      integrationId: "digisak-fartoyvern",
      sourceApplicationId: "digisak",
      name: "Fartøyvern",
      state: "PILOT" as const,
    };
    expect(await database.registry.addIntegration(integration)).toEqual({ outcome: "created" });
    expect(await database.registry.addIntegration({ ...integration, name: "other" })).toEqual({
      outcome: "exists",
    });
    expect(await database.registry.setIntegrationState("vestland", "digisak-fartoyvern", "DEACTIVATED")).toBe(
      true,
    );
    expect((await database.registry.integration("vestland", "digisak-fartoyvern"))?.state).toBe(
      "DEACTIVATED",
    );
    expect(await database.registry.setIntegrationState("vestland", "nope", "ACTIVE")).toBe(false);
  });
});
