import { createDatabase } from "@flyt/postgres";
import { createTestDatabase } from "@flyt/testing";
import type { Knex } from "knex";
import { afterAll, beforeAll } from "vitest";
import { seedDemoCounty } from "./demo-county";
import { migrateRegistry } from "./migrate";
import { type RegistryStores, registryStores } from "./registry-stores";

export interface RegistryTestDatabase extends RegistryStores {
  readonly db: Knex;
}

/**
 * For the test file calling it: a fresh database with the registry migrated (and the demo county seeded when
 * asked), created before its tests and dropped after them. Read the fields inside tests, not at import time.
 */
export function useRegistryDatabase(options: { seedDemoCounty?: boolean } = {}): RegistryTestDatabase {
  let current: (RegistryTestDatabase & { drop: () => Promise<void> }) | undefined;
  beforeAll(async () => {
    const database = await createTestDatabase();
    const db = createDatabase({ url: database.url, applicationName: "flyt.test" });
    await migrateRegistry(db);
    const stores = registryStores(db);
    if (options.seedDemoCounty) await seedDemoCounty(stores.registry);
    current = { db, ...stores, drop: database.drop };
  });
  afterAll(async () => {
    await current?.db.destroy();
    await current?.drop();
  });
  const started = () => {
    if (!current) throw new Error("the registry test database is only there inside tests");
    return current;
  };
  return {
    get db() {
      return started().db;
    },
    get registry() {
      return started().registry;
    },
    get configurations() {
      return started().configurations;
    },
    get audit() {
      return started().audit;
    },
  };
}
