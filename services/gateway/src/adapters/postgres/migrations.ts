import { migrateCallbacks } from "@flyt/callbacks";
import { migrateFileStore } from "@flyt/file-store";
import { migrateStatusReadModel } from "@flyt/status-read-model";
import type { Knex } from "knex";

/** The gateway's own tables: what idempotent intake needs. (Its first version also held the file store's.) */
const intake = {
  name: "001-intake",
  async up(db: Knex) {
    await db.schema.createTable("intake_submissions", (t) => {
      t.text("id").primary();
      t.text("tenant_id").notNullable();
      t.text("source_application_id").notNullable();
      t.text("integration_id").notNullable();
      t.text("source_instance_id").notNullable();
      t.text("kind").notNullable().checkIn(["CASE", "JOURNAL_POSTS"]);
      t.text("case_ref").nullable();
      /** SHA-256 of the body as canonical JSON: the same body twice is the same submission. */
      t.text("body_hash").notNullable();
      /** `pending` until Kafka acknowledged the submission, then `accepted` (and only then answered 202). */
      t.text("state").notNullable().checkIn(["pending", "accepted"]);
      t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp("accepted_at", { useTz: true }).nullable();
      t.unique(["tenant_id", "integration_id", "source_instance_id"]);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTable("intake_submissions");
  },
};

/** Was the file store's chunked contents; the file store migrates its own tables now (@flyt/file-store). */
const fileChunks = {
  name: "002-file-chunks",
  async up() {},
  async down() {},
};

/** Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): the stored answer per client and key. */
const idempotencyKeys = {
  name: "003-idempotency-keys",
  async up(db: Knex) {
    await db.schema.createTable("idempotency_keys", (t) => {
      t.text("client_id").notNullable();
      t.text("key").notNullable();
      t.text("request_hash").notNullable();
      t.text("state").notNullable().checkIn(["in-flight", "done"]);
      t.integer("response_status").nullable();
      t.jsonb("response_headers").nullable();
      t.jsonb("response_body").nullable();
      t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.primary(["client_id", "key"]);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTable("idempotency_keys");
  },
};

/** Was the callback endpoints table; the callback tables migrate on their own now (@flyt/callbacks). */
const callbackEndpoints = {
  name: "004-callback-endpoints",
  async up() {},
  async down() {},
};

/**
 * What operator actions need: the `submission.received` event as published and its key (a retry publishes it again
 * as the next run), and one operator action per submission and run, claimed before its event is published (a
 * retry starts the next run; a resolution or cancellation ends the run), so two operators cannot both act on it.
 */
const operatorActions = {
  name: "005-operator-actions",
  async up(db: Knex) {
    await db.schema.alterTable("intake_submissions", (t) => {
      t.json("received_event").nullable();
      t.text("event_key").nullable();
    });
    await db.schema.createTable("operator_actions", (t) => {
      t.text("submission_id").notNullable();
      /** The run the action was taken on. */
      t.integer("run").notNullable();
      t.text("action").notNullable().checkIn(["retry", "resolve", "cancel"]);
      t.text("actor").notNullable();
      /** The event it publishes and its key: published again as it was if the first publish did not finish. */
      t.json("event").notNullable();
      t.text("event_key").notNullable();
      t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp("published_at", { useTz: true }).nullable();
      t.primary(["submission_id", "run"]);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTable("operator_actions");
    await db.schema.alterTable("intake_submissions", (t) => {
      t.dropColumn("received_event");
      t.dropColumn("event_key");
    });
  },
};

const migrations = [intake, fileChunks, idempotencyKeys, callbackEndpoints, operatorActions];
const config = {
  tableName: "flyt_gateway_migrations",
  migrationSource: {
    getMigrations: async () => migrations,
    getMigrationName: (migration: (typeof migrations)[number]) => migration.name,
    getMigration: async (migration: (typeof migrations)[number]) => migration,
  },
};

/**
 * The gateway's tables, the file store it writes to, the status read model it answers polling from, and the
 * callback tables (it registers endpoints and reads deliveries; the dispatcher writes them).
 */
export async function migrateGateway(db: Knex): Promise<string[]> {
  await migrateFileStore(db);
  await migrateStatusReadModel(db);
  await migrateCallbacks(db);
  const [, applied] = (await db.migrate.latest(config)) as [number, string[]];
  return applied;
}
