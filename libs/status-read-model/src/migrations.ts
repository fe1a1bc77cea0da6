import type { Knex } from "knex";

/**
 * The status read model: one row per submission (what polling answers), every status event it was sent (its
 * history, each recorded once by event id, from which the row is folded), and an outbox of `submission.completed` events, written in
 * the same transaction as the terminal status they announce and published after it.
 */
const readModel = {
  name: "001-status-read-model",
  async up(db: Knex) {
    await db.schema.createTable("submission_status", (t) => {
      t.text("submission_id").primary();
      t.text("tenant_id").notNullable();
      t.text("source_application_id").notNullable();
      t.text("integration_id").notNullable();
      t.text("source_instance_id").notNullable();
      t.text("kind").notNullable();
      /** 1, then one more for each operator retry: the latest run sets the status. */
      t.integer("run").notNullable();
      t.text("status").notNullable();
      t.text("case_number").nullable();
      t.jsonb("journal_post_numbers").notNullable().defaultTo("[]");
      t.jsonb("errors").notNullable().defaultTo("[]");
      t.integer("configuration_version").nullable();
      /** The event that set the status (a terminal one is announced once, by this id). */
      t.text("status_event_id").notNullable();
      t.timestamp("created_at", { useTz: true }).notNullable();
      t.timestamp("updated_at", { useTz: true }).notNullable();
      // Polling by the source system's own id, and the console's counts and lists per integration and status.
      t.index(["tenant_id", "integration_id", "source_instance_id"], "submission_status_by_source_instance");
      t.index(["tenant_id", "integration_id", "status", "updated_at"], "submission_status_by_integration");
    });
    await db.schema.createTable("submission_status_history", (t) => {
      t.text("event_id").primary();
      t.text("submission_id").notNullable();
      t.integer("run").notNullable();
      t.text("status").notNullable();
      /** How far along its run the status is (the projection's order; the history lists ties in it). */
      t.smallint("rank").notNullable();
      t.timestamp("at", { useTz: true }).notNullable();
      /**
       * What else the event said (case number, journal post numbers, errors, configuration version, when it was
       * received, whether an operator set it): the status is folded from every recorded event, in any order.
       */
      t.json("facts").notNullable();
      /** When the projection recorded it: `recorded_at - at` is how far the read model lags behind the pipeline. */
      t.timestamp("recorded_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.index(["submission_id", "at"]);
    });
    await db.schema.createTable("completion_outbox", (t) => {
      t.text("event_id").primary();
      t.text("submission_id").notNullable();
      t.json("event").notNullable();
      t.json("headers").notNullable();
      t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp("published_at", { useTz: true }).nullable();
      t.index(["published_at", "created_at"]);
    });
  },
  async down(db: Knex) {
    for (const table of ["completion_outbox", "submission_status_history", "submission_status"])
      await db.schema.dropTable(table);
  },
};

/**
 * The console lists an integration's submissions newest first, with or without a status, and counts a tenant's
 * submissions per integration and status in a period from the index alone.
 */
const consoleIndexes = {
  name: "002-console-indexes",
  async up(db: Knex) {
    await db.schema.alterTable("submission_status", (t) => {
      t.index(
        ["tenant_id", "integration_id", "updated_at", "submission_id"],
        "submission_status_newest_first",
      );
    });
    await db.raw(
      "create index submission_status_by_tenant_period on submission_status (tenant_id, updated_at) include (integration_id, status)",
    );
  },
  async down(db: Knex) {
    await db.raw("drop index submission_status_by_tenant_period");
    await db.schema.alterTable("submission_status", (t) => {
      t.dropIndex([], "submission_status_newest_first");
    });
  },
};

/**
 * Where each step stands in the history clients see. A history only grows at its end: an event is given the next
 * position when the projection shows it, which may be later than it was recorded (held back until the steps it
 * follows are shown), or never (a step its run had passed, a duplicate). The histories recorded before keep
 * the order they were shown in.
 */
const historyPositions = {
  name: "003-history-positions",
  async up(db: Knex) {
    await db.schema.alterTable("submission_status_history", (t) => {
      t.integer("position").nullable();
    });
    await db.raw(`
      update submission_status_history h set position = shown.position
        from (select event_id,
                     row_number() over (partition by submission_id order by at, run, rank, event_id) as position
                from submission_status_history) shown
       where shown.event_id = h.event_id`);
  },
  async down(db: Knex) {
    await db.schema.alterTable("submission_status_history", (t) => {
      t.dropColumn("position");
    });
  },
};

/**
 * What the status projection's sweep and a rebuild need to know. `passed_over`: the projection found the event will
 * never be shown (a step its run had passed); one with no position that is not passed over is held back, waiting
 * for a step it follows (also what an instance from before positions writes, during a deploy: the default).
 * `announced_status_event_id`: the terminal event whose `submission.completed`
 * is in the outbox, kept for good (the outbox forgets after a week), so a rebuild that completes a submission
 * the live model never did can announce it. Terminal rows before this migration had theirs announced.
 */
const heldBackAndAnnounced = {
  name: "004-held-back-and-announced",
  async up(db: Knex) {
    await db.schema.alterTable("submission_status_history", (t) => {
      t.boolean("passed_over").notNullable().defaultTo(false);
    });
    await db.raw(
      `create index submission_status_history_held_back on submission_status_history (recorded_at)
        where position is null and not passed_over`,
    );
    await db.schema.alterTable("submission_status", (t) => {
      t.text("announced_status_event_id").nullable();
    });
    await db.raw(
      `update submission_status set announced_status_event_id = status_event_id
        where status in ('ARCHIVED', 'REJECTED', 'FAILED', 'CANCELLED')`,
    );
  },
  async down(db: Knex) {
    await db.schema.alterTable("submission_status", (t) => {
      t.dropColumn("announced_status_event_id");
    });
    await db.raw("drop index submission_status_history_held_back");
    await db.schema.alterTable("submission_status_history", (t) => {
      t.dropColumn("passed_over");
    });
  },
};

const migrations = [readModel, consoleIndexes, historyPositions, heldBackAndAnnounced];
const config = {
  tableName: "flyt_status_read_model_migrations",
  migrationSource: {
    getMigrations: async () => migrations,
    getMigrationName: (migration: (typeof migrations)[number]) => migration.name,
    getMigration: async (migration: (typeof migrations)[number]) => migration,
  },
};

/** Applies the migrations not applied yet (or only the one named, for a test of a data migration). */
export async function migrateStatusReadModel(db: Knex, only?: string): Promise<string[]> {
  const [, applied] = (await (only === undefined
    ? db.migrate.latest(config)
    : db.migrate.up({ ...config, name: only }))) as [number, string[]];
  return applied;
}
