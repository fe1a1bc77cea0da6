import { describe, expect, it } from "vitest";
import { landAcquisitionConfiguration } from "./configuration.fixtures";
import { useRegistryDatabase } from "./registry-test-database";

const database = useRegistryDatabase({ seedDemoCounty: true });

const newCases = { ...landAcquisitionConfiguration, caseMode: { mode: "NEW" } };

describe("ConfigurationStore", () => {
  it("edits one draft, numbers it on completion and activates a completed version", async () => {
    expect(await database.configurations.saveDraft("demo", "egrunnerverv-sak", newCases)).toEqual({
      outcome: "saved",
      configuration: newCases,
    });
    expect(
      await database.configurations.saveDraft("demo", "egrunnerverv-sak", landAcquisitionConfiguration),
    ).toEqual({
      outcome: "saved",
      configuration: landAcquisitionConfiguration,
    });
    expect((await database.configurations.draft("demo", "egrunnerverv-sak"))?.configuration).toEqual(
      landAcquisitionConfiguration,
    );

    expect(await database.configurations.completeDraft("demo", "egrunnerverv-sak", "arkivar@demo")).toEqual({
      outcome: "completed",
      version: 1,
    });
    expect(await database.configurations.draft("demo", "egrunnerverv-sak")).toBeUndefined();
    expect(await database.configurations.completeDraft("demo", "egrunnerverv-sak", "arkivar@demo")).toEqual({
      outcome: "no-draft",
    });
    expect(await database.configurations.active("demo", "egrunnerverv-sak")).toBeUndefined();

    expect(await database.configurations.activate("demo", "egrunnerverv-sak", 1)).toBe(true);
    const active = await database.configurations.active("demo", "egrunnerverv-sak");
    expect(active).toMatchObject({ version: 1, completedBy: "arkivar@demo" });
    expect(active?.configuration).toEqual(landAcquisitionConfiguration);

    await database.configurations.saveDraft("demo", "egrunnerverv-sak", newCases);
    expect(await database.configurations.completeDraft("demo", "egrunnerverv-sak", "arkivar@demo")).toEqual({
      outcome: "completed",
      version: 2,
    });
    // Completing a new version does not switch the active one; activating does.
    expect((await database.configurations.active("demo", "egrunnerverv-sak"))?.version).toBe(1);
    expect(await database.configurations.activate("demo", "egrunnerverv-sak", 2)).toBe(true);
    expect(
      (await database.configurations.active("demo", "egrunnerverv-sak"))?.configuration.caseMode,
    ).toEqual({
      mode: "NEW",
    });
    expect((await database.configurations.version("demo", "egrunnerverv-sak", 1))?.configuration).toEqual(
      landAcquisitionConfiguration,
    );
  });

  it("refuses to activate a version that is not completed, or another integration's", async () => {
    await database.configurations.saveDraft("demo", "acos-skjematjenesten", newCases);
    expect(await database.configurations.activate("demo", "acos-skjematjenesten", 1)).toBe(false);
    await database.configurations.completeDraft("demo", "acos-skjematjenesten", "platform");
    expect(await database.configurations.activate("demo", "acos-skjematjenesten", 1)).toBe(true);
    expect(await database.configurations.activate("demo", "acos-skjematjenesten", 7)).toBe(false);
    expect(await database.configurations.activate("demo", "no-such-integration", 1)).toBe(false);
  });

  it("keeps a completed version immutable, even to a direct update or delete", async () => {
    const completed = { tenant_id: "demo", integration_id: "egrunnerverv-sak", version: 1 };
    await expect(
      database.db("integration_configurations").where(completed).update({ content: newCases }),
    ).rejects.toMatchObject({ code: "55000" });
    await expect(database.db("integration_configurations").where(completed).delete()).rejects.toMatchObject({
      code: "55000",
    });
    expect((await database.configurations.version("demo", "egrunnerverv-sak", 1))?.configuration).toEqual(
      landAcquisitionConfiguration,
    );
  });

  it("rejects an invalid draft with every issue, and a draft for an unknown integration", async () => {
    const invalid = await database.configurations.saveDraft("demo", "egrunnerverv-sak", {
      ...landAcquisitionConfiguration,
      documentRules: {},
    });
    expect(invalid.outcome).toBe("invalid");
    expect(invalid.outcome === "invalid" ? invalid.issues.map((issue) => issue.pointer) : []).toEqual([
      "/documentRules/allowedMimeTypes",
      "/documentRules/maxFileBytes",
      "/documentRules/exactlyOneMainDocument",
    ]);
    expect(await database.configurations.draft("demo", "egrunnerverv-sak")).toBeUndefined();
    expect(await database.configurations.saveDraft("demo", "no-such-integration", newCases)).toEqual({
      outcome: "unknown-integration",
    });
  });

  it("refuses a configuration that archives into another tenant's destination, even written directly", async () => {
    await database.registry.addTenant({ id: "vestland", name: "Vestland", organisationNumber: null });
    await database.registry.addDestination({
      id: "vestland-elements",
      tenantId: "vestland",
      name: "Elements",
      driver: "FINT",
    });
    const intoVestland = { ...newCases, destinationId: "vestland-elements" };
    expect(await database.configurations.saveDraft("demo", "egrunnerverv-sak", intoVestland)).toEqual({
      outcome: "unknown-destination",
      destinationId: "vestland-elements",
    });
    // Among the other issues of an invalid draft too: every issue at once.
    expect(
      await database.configurations.saveDraft("demo", "egrunnerverv-sak", { ...intoVestland, caseMode: {} }),
    ).toEqual({
      outcome: "invalid",
      issues: [
        expect.objectContaining({ pointer: "/caseMode/mode" }),
        {
          code: "unknown-destination",
          pointer: "/destinationId",
          message: "demo has no archive destination vestland-elements",
        },
      ],
    });
    await expect(
      database.db("integration_configurations").insert({
        tenant_id: "demo",
        integration_id: "egrunnerverv-sak",
        content: intoVestland,
      }),
    ).rejects.toMatchObject({ code: "23503" });
  });

  it("tells the active version, whether a draft exists, and every completed version with who completed it", async () => {
    const integration = "hmsreg-arkivering";
    expect(await database.configurations.history("demo", integration)).toEqual({
      activeVersion: null,
      hasDraft: false,
      versions: [],
    });
    await database.configurations.saveDraft("demo", integration, newCases);
    await database.configurations.completeDraft("demo", integration, "kari.arkivar");
    await database.configurations.saveDraft("demo", integration, landAcquisitionConfiguration);
    await database.configurations.completeDraft("demo", integration, "ola.arkivar");
    await database.configurations.activate("demo", integration, 1);
    await database.configurations.saveDraft("demo", integration, newCases);

    const history = await database.configurations.history("demo", integration);
    expect(history).toMatchObject({
      activeVersion: 1,
      hasDraft: true,
      versions: [
        { version: 1, completedBy: "kari.arkivar" },
        { version: 2, completedBy: "ola.arkivar" },
      ],
    });
    expect(history.versions[0]?.completedAt).toBeInstanceOf(Date);
    expect((await database.configurations.activeVersions("demo")).get(integration)).toBe(1);
  });

  it("deletes the draft, and nothing else", async () => {
    const integration = "hmsreg-arkivering";
    expect(await database.configurations.deleteDraft("demo", integration)).toBe(true);
    expect(await database.configurations.deleteDraft("demo", integration)).toBe(false);
    expect(await database.configurations.draft("demo", integration)).toBeUndefined();
    expect((await database.configurations.history("demo", integration)).versions).toHaveLength(2);
  });

  it("gives concurrent completions of drafts distinct version numbers", async () => {
    const integration = "vigo-ny-soker";
    const versions: number[] = [];
    for (let round = 0; round < 3; round++) {
      await database.configurations.saveDraft("demo", integration, newCases);
      const outcomes = await Promise.all([
        database.configurations.completeDraft("demo", integration, "a"),
        database.configurations.completeDraft("demo", integration, "b"),
      ]);
      for (const outcome of outcomes) if (outcome.outcome === "completed") versions.push(outcome.version);
      expect(outcomes.map((outcome) => outcome.outcome).sort()).toEqual(["completed", "no-draft"]);
    }
    expect(versions).toEqual([1, 2, 3]);
  });
});
