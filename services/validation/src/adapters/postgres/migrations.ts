import type { Knex } from "knex";

/**
 * One row per submission and run this service decided on, with the answer as published: a redelivered submission is
 * answered from here, never decided again under whatever is active by then. Journal posts to a case submission
 * look up what became of it here.
 */
const decisions = {
  name: "001-validation-decisions",
  async up(db: Knex) {
    await db.schema.createTable("validation_decisions", (t) => {
      t.text("submission_id").notNullable();
      /** An operator retry is a new run, decided anew under the configuration active then. */
      t.integer("run").notNullable();
      t.text("tenant_id").notNullable();
      t.text("integration_id").notNullable();
      t.text("kind").notNullable().checkIn(["CASE", "JOURNAL_POSTS"]);
      /** Null only when no configuration applied (an unknown integration). */
      t.integer("configuration_version").nullable();
      t.text("outcome").notNullable().checkIn(["VALIDATED", "REJECTED"]);
      /**
       * The published event's topic and value (less its meta). `json`, not `jsonb`: kept verbatim and only read
       * back on a redelivery, and jsonb's conversion cost about a tenth of the service's throughput.
       */
      t.json("answer").notNullable();
      t.timestamp("decided_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.primary(["submission_id", "run"]);
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
