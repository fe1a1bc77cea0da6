import type { Knex } from "knex";

/**
 * One row per submission this service decided on: the configuration version it applied (so a redelivered
 * submission is decided again with the same version, whatever is active by then), the outcome, and the errors
 * of a rejection. Journal posts to a case submission look up what became of it here.
 */
const decisions = {
  name: "001-validation-decisions",
  async up(db: Knex) {
    await db.schema.createTable("validation_decisions", (t) => {
      t.text("submission_id").primary();
      t.text("tenant_id").notNullable();
      t.text("integration_id").notNullable();
      t.text("kind").notNullable().checkIn(["CASE", "JOURNAL_POSTS"]);
      /** Null only when no configuration applied (a deactivated integration without one). */
      t.integer("configuration_version").nullable();
      t.text("outcome").notNullable().checkIn(["VALIDATED", "REJECTED"]);
      t.jsonb("errors").notNullable().defaultTo("[]");
      t.timestamp("decided_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
    });
  },
  async down(db: Knex) {
    await db.schema.dropTable("validation_decisions");
  },
};

const migrations = [decisions];
const config = {
  tableName: "flyt_validation_migrations",
  migrationSource: {
    getMigrations: async () => migrations,
    getMigrationName: (migration: (typeof migrations)[number]) => migration.name,
    getMigration: async (migration: (typeof migrations)[number]) => migration,
  },
};

export async function migrateValidation(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(config)) as [number, string[]];
  return applied;
}
