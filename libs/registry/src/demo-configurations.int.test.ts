import { describe, expect, it } from "vitest";
import { parseConfiguration } from "./configuration";
import { landAcquisitionConfiguration } from "./configuration.fixtures";
import { seedDemoConfigurations } from "./demo-configurations";
import { demoIntegrations } from "./demo-county";
import { useRegistryDatabase } from "./registry-test-database";

const database = useRegistryDatabase({ seedDemoCounty: true });

describe("seedDemoConfigurations", () => {
  it("activates a valid version 1 for every demo integration once, leaving a draft in progress alone", async () => {
    await database.configurations.saveDraft("demo", "digisak-fartoyvern", landAcquisitionConfiguration);

    expect(await seedDemoConfigurations(database.configurations)).toBe(demoIntegrations.length - 1);
    expect(await seedDemoConfigurations(database.configurations)).toBe(0);

    for (const { integrationId } of demoIntegrations) {
      const active = await database.configurations.active("demo", integrationId);
      if (integrationId === "digisak-fartoyvern") {
        expect(active).toBeUndefined();
        continue;
      }
      expect(active, integrationId).toMatchObject({ version: 1, completedBy: "demo-seed" });
      expect(parseConfiguration(active?.configuration).ok, integrationId).toBe(true);
    }
    expect(
      (await database.configurations.active("demo", "egrunnerverv-journalpost"))?.configuration.caseMode,
    ).toEqual({
      mode: "BY_ID",
    });
    expect((await database.configurations.draft("demo", "digisak-fartoyvern"))?.configuration).toEqual(
      landAcquisitionConfiguration,
    );
  });
});
