import type { Knex } from "knex";

/**
 * Each tenant's and source application's callback endpoint, with its signing secret(s). The gateway created this
 * table in its own migration 004 before the callback tables had a module of their own; for those databases
 * this finds it in place.
 */
const endpoints = {
  name: "001-callback-endpoints",
  async up(db: Knex) {
    if (await db.schema.hasTable("callback_endpoints")) return;
    await db.schema.createTable("callback_endpoints", (t) => {
      t.text("tenant_id").notNullable();
      t.text("source_application_id").notNullable();
      t.text("url").notNullable();
      t.text("secret").notNullable();
      /** During a rotation the previous secret still signs, until this time. */
      t.text("previous_secret").nullable();
      t.timestamp("previous_secret_expires_at", { useTz: true }).nullable();
      t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.primary(["tenant_id", "source_application_id"]);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists("callback_endpoints");
  },
};

/**
 * What the dispatcher learns about an endpoint: since when it fails everything, whether it is disabled (410
 * Gone, or failing for days) and whether the tenant's operators were told. `registered_at` is when the current
 * registration was answered: it applies to submissions that end after it.
 */
const endpointState = {
  name: "002-callback-endpoint-state",
  async up(db: Knex) {
    await db.schema.alterTable("callback_endpoints", (t) => {
      t.timestamp("registered_at", { useTz: true }).nullable();
      t.timestamp("failing_since", { useTz: true }).nullable();
      t.timestamp("disabled_at", { useTz: true }).nullable();
      /** `gone`: the endpoint answered 410; `failing`: it failed every attempt for the configured days. */
      t.text("disabled_reason").nullable().checkIn(["gone", "failing"]);
      /** When the tenant's operators were flagged (disabled without the source system asking). */
      t.timestamp("flagged_at", { useTz: true }).nullable();
    });
    await db("callback_endpoints")
      .whereNull("registered_at")
      .update({ registered_at: db.ref("updated_at") });
    await db.raw("alter table callback_endpoints alter column registered_at set not null");
    await db.raw("alter table callback_endpoints alter column registered_at set default now()");
  },
  async down(db: Knex) {
    await db.schema.alterTable("callback_endpoints", (t) => {
      t.dropColumns("registered_at", "failing_since", "disabled_at", "disabled_reason", "flagged_at");
    });
  },
};

/**
 * One delivery per terminal transition (its id is the `webhook-id`, derived from the `submission.completed`
 * event, so a redelivered event is the same delivery) or per ping; every attempt at it; and the requests
 * (ping, resend, replay) already applied, each once by its event id. The schedule is in the table: a due
 * delivery is leased by one dispatcher instance at a time, so a killed instance's work is taken over.
 */
const deliveries = {
  name: "003-callback-deliveries",
  async up(db: Knex) {
    await db.schema.createTable("callback_deliveries", (t) => {
      t.text("id").primary();
      t.text("kind").notNullable().checkIn(["submission", "ping"]);
      t.text("tenant_id").notNullable();
      t.text("source_application_id").notNullable();
      t.text("submission_id").nullable();
      t.integer("run").nullable();
      t.text("event_type").notNullable();
      /** The exact bytes posted, the same at every attempt. */
      t.text("body").notNullable();
      /** When the submission reached its terminal status (or the ping was asked for). */
      t.timestamp("occurred_at", { useTz: true }).notNullable();
      t.text("state").notNullable().checkIn(["pending", "retrying", "delivered", "parked"]);
      t.integer("attempts").notNullable().defaultTo(0);
      /** Attempts since the schedule (re)started: a resend or replay starts it again. */
      t.integer("round_attempts").notNullable().defaultTo(0);
      /**
       * One more at each resend or replay: an attempt that was in flight meanwhile still records itself, but
       * only an attempt of the current generation decides what comes next (the resend is not lost).
       */
      t.integer("generation").notNullable().defaultTo(0);
      t.timestamp("next_attempt_at", { useTz: true }).nullable();
      t.timestamp("last_attempt_at", { useTz: true }).nullable();
      t.integer("last_status_code").nullable();
      t.text("last_error").nullable();
      t.timestamp("delivered_at", { useTz: true }).nullable();
      t.timestamp("parked_at", { useTz: true }).nullable();
      t.text("parked_reason").nullable();
      t.text("lease_owner").nullable();
      t.timestamp("lease_until", { useTz: true }).nullable();
      t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.index(["tenant_id", "source_application_id", "created_at"], "callback_deliveries_by_owner");
      t.index(["submission_id"], "callback_deliveries_by_submission");
    });
    await db.raw(`
      create index callback_deliveries_due on callback_deliveries (next_attempt_at)
        where state in ('pending', 'retrying')`);
    await db.raw(`
      create index callback_deliveries_parked on callback_deliveries (tenant_id, source_application_id, parked_at)
        where state = 'parked'`);
    // The deliveries being attempted now (few), counted per endpoint at every claim.
    await db.raw(`
      create index callback_deliveries_leased on callback_deliveries (tenant_id, source_application_id)
        where lease_owner is not null`);
    await db.schema.createTable("callback_attempts", (t) => {
      // Every attempt is kept, also one made by an instance whose lease ran out meanwhile (its number may then
      // repeat another's): a key of its own, not the attempt number.
      t.bigIncrements("id").primary();
      t.text("delivery_id").notNullable().references("id").inTable("callback_deliveries").onDelete("cascade");
      t.integer("attempt").notNullable();
      t.timestamp("at", { useTz: true }).notNullable();
      t.integer("duration_ms").notNullable();
      t.integer("status_code").nullable();
      t.text("error").nullable();
      t.text("url").notNullable();
      t.index(["delivery_id", "attempt"]);
    });
    await db.schema.createTable("callback_requests", (t) => {
      t.text("event_id").primary();
      t.timestamp("handled_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
    });
  },
  async down(db: Knex) {
    for (const table of ["callback_requests", "callback_attempts", "callback_deliveries"])
      await db.schema.dropTableIfExists(table);
  },
};

const migrations = [endpoints, endpointState, deliveries];
const config = {
  tableName: "flyt_callbacks_migrations",
  migrationSource: {
    getMigrations: async () => migrations,
    getMigrationName: (migration: (typeof migrations)[number]) => migration.name,
    getMigration: async (migration: (typeof migrations)[number]) => migration,
  },
};

/** Brings the callback tables up to date; returns the migrations applied now. */
export async function migrateCallbacks(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(config)) as [number, string[]];
  return applied;
}
