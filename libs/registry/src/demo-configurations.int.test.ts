import { createDatabase } from "@flyt/postgres";
import { createTestDatabase } from "@flyt/testing";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfiguration } from "./configuration";
import { landAcquisitionConfiguration } from "./configuration.fixtures";
import { ConfigurationStore } from "./configuration-store";
import { seedDemoConfigurations } from "./demo-configurations";
import { demoIntegrations, seedDemoCounty } from "./demo-county";
import { migrateRegistry } from "./migrate";
import { RegistryStore } from "./registry-store";

let db: Knex;
let drop: () => Promise<void>;
let configurations: ConfigurationStore;

beforeAll(async () => {
  const database = await createTestDatabase();
  drop = database.drop;
  db = createDatabase({ url: database.url, applicationName: "flyt.test" });
  await migrateRegistry(db);
  await seedDemoCounty(new RegistryStore(db));
  configurations = new ConfigurationStore(db);
});
afterAll(async () => {
  await db.destroy();
  await drop();
});

describe("seedDemoConfigurations", () => {
  it("activates a valid version 1 for every demo integration once, leaving a draft in progress alone", async () => {
    await configurations.saveDraft("demo", "digisak-fartoyvern", landAcquisitionConfiguration);

    expect(await seedDemoConfigurations(configurations)).toBe(demoIntegrations.length - 1);
    expect(await seedDemoConfigurations(configurations)).toBe(0);

    for (const { integrationId } of demoIntegrations) {
      const active = await configurations.active("demo", integrationId);
      if (integrationId === "digisak-fartoyvern") {
        expect(active).toBeUndefined();
        continue;
      }
      expect(active, integrationId).toMatchObject({ version: 1, completedBy: "demo-seed" });
      expect(parseConfiguration(active?.configuration).ok, integrationId).toBe(true);
    }
    expect((await configurations.active("demo", "egrunnerverv-journalpost"))?.configuration.caseMode).toEqual(
      {
        mode: "BY_ID",
      },
    );
    expect((await configurations.draft("demo", "digisak-fartoyvern"))?.configuration).toEqual(
      landAcquisitionConfiguration,
    );
  });
});
