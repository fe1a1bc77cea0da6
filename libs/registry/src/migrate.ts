import type { Knex } from "knex";
import { registries } from "./migrations/001-registries";
import { destinationOfSameTenant } from "./migrations/002-destination-of-same-tenant";
import { integrationConfigurations } from "./migrations/003-integration-configurations";
import { destinationPerConfigurationVersion } from "./migrations/004-destination-per-configuration-version";
import { auditLog } from "./migrations/005-audit-log";
import { requiredDestinationAndUntruncatableAudit } from "./migrations/006-required-destination-and-untruncatable-audit";
import { auditLogSourceApplication } from "./migrations/007-audit-log-source-application";
import { destinationChecks } from "./migrations/008-destination-checks";
import { pendingDestinationChecks } from "./migrations/009-pending-destination-checks";

/** Every migration, in order. Listed in code (not read from a folder) so bundled services carry them. */
const migrations = [
  registries,
  destinationOfSameTenant,
  integrationConfigurations,
  destinationPerConfigurationVersion,
  auditLog,
  requiredDestinationAndUntruncatableAudit,
  auditLogSourceApplication,
  destinationChecks,
  pendingDestinationChecks,
];

const source: Knex.MigrationSource<(typeof migrations)[number]> = {
  getMigrations: async () => migrations,
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => migration,
};

const config = { migrationSource: source, tableName: "flyt_registry_migrations" };

/** Brings the registry tables up to date; returns the migrations applied now. */
export async function migrateRegistry(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(config)) as [number, string[]];
  return applied;
}

/** Undoes every registry migration (tests, and a deliberate reset). */
export async function rollbackRegistry(db: Knex): Promise<void> {
  await db.migrate.rollback(config, true);
}
