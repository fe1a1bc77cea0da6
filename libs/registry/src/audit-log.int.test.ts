import { describe, expect, it } from "vitest";
import { inRegistryTransaction } from "./registry-stores";
import { useRegistryDatabase } from "./registry-test-database";

const database = useRegistryDatabase({ seedDemoCounty: true });

describe("AuditLog", () => {
  it("answers an integration's entries newest first, with who, what and when", async () => {
    const before = new Date();
    await database.audit.record({
      actor: "flyt-platform-admin",
      action: "configuration.draft-completed",
      tenantId: "demo",
      integrationId: "egrunnerverv-sak",
      details: { version: 1 },
    });
    await database.audit.record({
      actor: "kari.arkivar",
      action: "configuration.version-activated",
      tenantId: "demo",
      integrationId: "egrunnerverv-sak",
      details: { version: 1, previousVersion: null },
    });
    await database.audit.record({
      actor: "kari.arkivar",
      action: "integration.state-changed",
      tenantId: "demo",
      integrationId: "hmsreg-arkivering",
      details: { from: "ACTIVE", to: "PILOT" },
    });

    const entries = await database.audit.entries("demo", "egrunnerverv-sak");
    expect(entries).toMatchObject([
      { actor: "kari.arkivar", action: "configuration.version-activated", details: { version: 1 } },
      { actor: "flyt-platform-admin", action: "configuration.draft-completed", details: { version: 1 } },
    ]);
    expect(entries[0]?.at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1_000);
    expect(await database.audit.entries("demo", "egrunnerverv-sak", 1)).toHaveLength(1);
  });

  it("records what operators do to a source application's callbacks apart from its integrations' entries", async () => {
    await database.audit.recordForSourceApplication({
      actor: "kari.arkivar",
      action: "callback.endpoint-enabled",
      tenantId: "demo",
      sourceApplicationId: "vigo",
      details: { disabledReason: "gone" },
    });
    expect(await database.audit.sourceApplicationEntries("demo", "vigo")).toMatchObject([
      { actor: "kari.arkivar", action: "callback.endpoint-enabled", details: { disabledReason: "gone" } },
    ]);
    expect(await database.audit.entries("demo", "vigo-ny-soker")).not.toContainEqual(
      expect.objectContaining({ action: "callback.endpoint-enabled" }),
    );
    await expect(
      database.db("audit_log").insert({ actor: "x", action: "callback.endpoint-enabled", tenant_id: "demo" }),
    ).rejects.toMatchObject({ code: "23514" });
  });

  it("refuses to change, delete or truncate an entry, even written directly", async () => {
    // An entry of its own: the row triggers only fire on rows that exist.
    await database.audit.record({
      actor: "kari.arkivar",
      action: "integration.state-changed",
      tenantId: "demo",
      integrationId: "vigo-ny-soker",
      details: { from: "ACTIVE", to: "PILOT" },
    });
    const entry = database.db("audit_log").where({ integration_id: "vigo-ny-soker" });
    await expect(entry.clone().update({ actor: "someone-else" })).rejects.toMatchObject({ code: "55000" });
    await expect(entry.clone().delete()).rejects.toMatchObject({ code: "55000" });
    await expect(database.db.raw("truncate audit_log")).rejects.toMatchObject({ code: "55000" });
    expect(await database.audit.entries("demo", "vigo-ny-soker")).toHaveLength(1);
  });

  it("keeps a change and its entry together: a failed transaction leaves neither", async () => {
    await expect(
      inRegistryTransaction(database.db, async (stores) => {
        await stores.registry.setIntegrationState("demo", "altinn-drosjesentral", "DEACTIVATED");
        await stores.audit.record({
          actor: "kari.arkivar",
          action: "integration.state-changed",
          tenantId: "demo",
          integrationId: "altinn-drosjesentral",
          details: { from: "IN_DEVELOPMENT", to: "DEACTIVATED" },
        });
        throw new Error("the request failed after both were written");
      }),
    ).rejects.toThrow("after both were written");
    expect((await database.registry.integration("demo", "altinn-drosjesentral"))?.state).toBe(
      "IN_DEVELOPMENT",
    );
    expect(await database.audit.entries("demo", "altinn-drosjesentral")).toEqual([]);
  });
});
