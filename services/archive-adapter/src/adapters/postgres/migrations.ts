import type { Knex } from "knex";

/**
 * Where each submission's archiving stands, so a retry or a restart resumes instead of starting over: the case
 * (once created or found), the files uploaded, the journal posts added, and which writes were attempted without
 * a known result (looked for by external id before they are tried again). `answer` is the outcome as published.
 */
const progress = {
  name: "001-archive-progress",
  async up(db: Knex) {
    await db.schema.createTable("archive_progress", (t) => {
      t.text("submission_id").primary();
      t.text("tenant_id").notNullable();
      t.text("destination_id").notNullable();
      /**
       * The run the outcome belongs to. An operator retry (a later run) starts a new outcome and retry budget
       * but keeps what is done in the archive, so it resumes instead of writing twice.
       */
      t.integer("run").notNullable().defaultTo(1);
      t.text("case_system_id").nullable();
      t.text("case_number").nullable();
      t.text("case_tittel").nullable();
      t.boolean("case_created").notNullable().defaultTo(false);
      /** A create was sent and its result is not known: look the case up by external id first. */
      t.boolean("case_create_attempted").notNullable().defaultTo(false);
      /** Flyt file id → the archive's reference to the uploaded file. */
      t.jsonb("files").notNullable().defaultTo("{}");
      /** By journal post index: its number and system id once added. */
      t.jsonb("journal_posts").notNullable().defaultTo("[]");
      /** Indexes of journal posts whose add was sent with no known result. */
      t.jsonb("journal_posts_attempted").notNullable().defaultTo("[]");
      t.integer("attempts").notNullable().defaultTo(0);
      t.timestamp("first_attempt_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.text("last_error").nullable();
      /** The outcome as published (archive.completed or archive.failed, less its meta), once there is one. */
      t.json("answer").nullable();
      /**
       * One delivery at a time per submission (two can race through a rebalance or a handler timeout):
       * a delivery holds the lease while it works and every save checks the version it read, so a second one waits
       * and a stale one stops instead of writing twice or overwriting newer progress.
       */
      t.integer("version").notNullable().defaultTo(0);
      t.text("lease_owner").nullable();
      t.timestamp("lease_until", { useTz: true }).nullable();
      t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
    });
    // Search-or-new by two submissions at once would find no case twice and create two: the first to claim
    // (destination, criteria) searches or creates, the others wait for its case and use it.
    await db.schema.createTable("archive_search_claims", (t) => {
      t.text("destination_id").notNullable();
      t.text("criteria").notNullable();
      t.text("submission_id").notNullable();
      t.text("case_system_id").nullable();
      t.text("case_number").nullable();
      t.text("case_tittel").nullable();
      t.timestamp("claimed_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.primary(["destination_id", "criteria"]);
      t.index(["submission_id"]);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTable("archive_search_claims");
    await db.schema.dropTable("archive_progress");
  },
};

/**
 * The simulated archive's own storage: cases, journal posts and files, numbered the way an archive numbers them
 * (`YYYY/n` per destination and year, `YYYY/n-m` per case). Kept in Postgres so it outlives the adapter
 * process, as a real archive outlives its clients (a crashed adapter must find what it wrote).
 */
const simulatedArchive = {
  name: "002-simulated-archive",
  async up(db: Knex) {
    await db.schema.createTable("simulated_archive_counters", (t) => {
      t.text("destination_id").notNullable();
      t.integer("year").notNullable();
      t.integer("last_seq").notNullable();
      t.primary(["destination_id", "year"]);
    });
    await db.schema.createTable("simulated_archive_cases", (t) => {
      t.text("system_id").primary();
      t.text("destination_id").notNullable();
      t.text("case_number").notNullable();
      t.text("external_id").notNullable();
      t.text("tittel").notNullable();
      t.text("arkivdel").nullable();
      t.text("administrativ_enhet").nullable();
      t.text("saksmappetype").nullable();
      t.jsonb("klassering").notNullable();
      t.jsonb("content").notNullable();
      t.integer("last_journal_post_seq").notNullable().defaultTo(0);
      t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.unique(["destination_id", "case_number"]);
      // Not unique: a real archive takes a second case with the same external id, and so does this one.
      t.index(["destination_id", "external_id"]);
      t.index(["destination_id", "arkivdel"]);
    });
    await db.schema.createTable("simulated_archive_journal_posts", (t) => {
      t.text("system_id").primary();
      t.text("case_system_id").notNullable().references("simulated_archive_cases.system_id");
      t.integer("seq").notNullable();
      t.text("number").notNullable();
      t.text("external_id").notNullable();
      t.jsonb("content").notNullable();
      t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.unique(["case_system_id", "seq"]);
      t.index(["case_system_id", "external_id"]);
    });
    await db.schema.createTable("simulated_archive_files", (t) => {
      t.text("ref").primary();
      t.text("destination_id").notNullable();
      t.text("filename").notNullable();
      t.text("mime_type").notNullable();
      t.bigInteger("size_bytes").notNullable();
      /** Of the bytes received, so a test can see the archive got the file's real content. */
      t.text("sha256").notNullable();
      t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
    });
    /** Outages declared while the system runs (`npm run simulator -- outage`): every call fails meanwhile. */
    await db.schema.createTable("simulated_archive_outages", (t) => {
      t.increments("id");
      t.text("destination_id").notNullable();
      t.timestamp("starts_at", { useTz: true }).notNullable();
      t.timestamp("ends_at", { useTz: true }).notNullable();
      t.text("reason").notNullable();
      t.index(["ends_at"]);
    });
  },
  async down(db: Knex) {
    for (const table of ["outages", "files", "journal_posts", "cases", "counters"])
      await db.schema.dropTable(`simulated_archive_${table}`);
  },
};

/**
 * Writes the archive took and completes later (FINT's status URLs), by what they write (`case`,
 * `journalPost/<index>`): followed to their end before anything is written again, so a write still in the
 * works at the archive is never sent a second time.
 */
const pendingWrites = {
  name: "003-archive-progress-pending-writes",
  async up(db: Knex) {
    await db.schema.alterTable("archive_progress", (t) => {
      t.jsonb("pending_writes").notNullable().defaultTo("{}");
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable("archive_progress", (t) => {
      t.dropColumn("pending_writes");
    });
  },
};

/**
 * Whose cases are whose: each submission's source application, so a source application reaches only the cases it
 * created or was filed into (unless its integration opens archive sections), and the case number an operator
 * resolved a submission with by hand (archived by other means: it is the source application's case too). Rows
 * from before take their owner from the outcome they recorded (its submission names it); one still without an
 * outcome gets it when it is next worked on. The archive's case titles are no longer kept (Flyt needs only where
 * a case is): emptied here; the columns go in a later release, once no adapter of this one's predecessors still
 * writes them.
 */
const caseOwners = {
  name: "004-archive-progress-case-owners",
  async up(db: Knex) {
    await db.schema.alterTable("archive_progress", (t) => {
      t.text("source_application_id").nullable();
      t.text("resolved_case_number").nullable();
      t.index(
        ["tenant_id", "source_application_id", "destination_id", "case_number"],
        "archive_progress_case_owner",
      );
      t.index(
        ["tenant_id", "source_application_id", "destination_id", "resolved_case_number"],
        "archive_progress_resolved_case_owner",
      );
    });
    await db("archive_progress")
      .whereNull("source_application_id")
      .whereNotNull("answer")
      .update({
        source_application_id: db.raw("answer::jsonb -> 'value' -> 'submission' ->> 'sourceApplication'"),
      });
    await db("archive_progress").update({ case_tittel: null });
    await db("archive_search_claims").update({ case_tittel: null });
  },
  async down(db: Knex) {
    await db.schema.alterTable("archive_progress", (t) => {
      t.dropIndex([], "archive_progress_resolved_case_owner");
      t.dropIndex([], "archive_progress_case_owner");
      t.dropColumn("resolved_case_number");
      t.dropColumn("source_application_id");
    });
  },
};

/**
 * Writes sent without a known result yet, by what they write (`case`, `journalPost/<index>`): when they were
 * sent, how often, and what the driver asked to keep (FINT: the case's highest journal post number before).
 * FINT arkiv keeps no external id, so this is what an earlier write is recognised by once its status is gone.
 */
const sentWrites = {
  name: "005-archive-progress-sent-writes",
  async up(db: Knex) {
    await db.schema.alterTable("archive_progress", (t) => {
      t.jsonb("sent_writes").notNullable().defaultTo("{}");
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable("archive_progress", (t) => {
      t.dropColumn("sent_writes");
    });
  },
};

/**
 * Chunked uploads to Noark 5 archives not yet finished, so one cut off (a timeout, a crash) goes on from the last
 * chunk the archive acknowledged (drivers/noark5/upload-sessions.ts). Keyed by destination and the
 * dokumentobjekt's file URL; a row goes when its upload is done or given up.
 */
const noark5UploadSessions = {
  name: "006-noark5-upload-sessions",
  async up(db: Knex) {
    await db.schema.createTable("noark5_upload_sessions", (t) => {
      t.text("destination_id").notNullable();
      t.text("fil_url").notNullable();
      t.text("session_url").notNullable();
      t.bigInteger("received").notNullable();
      t.bigInteger("total_bytes").notNullable();
      t.text("sha256").notNullable();
      t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.primary(["destination_id", "fil_url"]);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTable("noark5_upload_sessions");
  },
};

/**
 * Cases by archive and number, whoever's: what other submissions wrote into an archive is looked up by number
 * when a driver recognises its own lost writes (progress-store `casesCreatedByOthers`, `journalPostsAddedByOthers`).
 */
const casesByArchive = {
  name: "007-archive-progress-cases-by-archive",
  async up(db: Knex) {
    await db.schema.alterTable("archive_progress", (t) => {
      t.index(["tenant_id", "destination_id", "case_number"], "archive_progress_archive_case");
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable("archive_progress", (t) => {
      t.dropIndex([], "archive_progress_archive_case");
    });
  },
};

/**
 * When the archive last acknowledged an upload session, and how often in a row going on with it failed since:
 * a session idle too long, or failing again and again, is given up and the upload started over.
 */
const noark5UploadSessionHealth = {
  name: "008-noark5-upload-session-health",
  async up(db: Knex) {
    await db.schema.alterTable("noark5_upload_sessions", (t) => {
      t.timestamp("acknowledged_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.integer("failures").notNullable().defaultTo(0);
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable("noark5_upload_sessions", (t) => {
      t.dropColumn("acknowledged_at");
      t.dropColumn("failures");
    });
  },
};

/**
 * When a run's retry budget started, when not at its first attempt: journal posts that waited for a case being made
 * start theirs when it is there (waiting spends none of it).
 */
const budgetFrom = {
  name: "009-archive-progress-budget-from",
  async up(db: Knex) {
    await db.schema.alterTable("archive_progress", (t) => {
      t.timestamp("budget_from", { useTz: true }).nullable();
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable("archive_progress", (t) => {
      t.dropColumn("budget_from");
    });
  },
};

/**
 * When a submission's first run started, never moved by a later run (an operator's retry resets
 * `first_attempt_at`): a write an adapter from before sends were recorded may have sent is recognised from here.
 * Rows from before take their first attempt, the best there is.
 */
const firstRunAt = {
  name: "010-archive-progress-first-run-at",
  async up(db: Knex) {
    await db.schema.alterTable("archive_progress", (t) => {
      t.timestamp("first_run_at", { useTz: true }).nullable();
    });
    await db("archive_progress").update({ first_run_at: db.ref("first_attempt_at") });
    await db.schema.alterTable("archive_progress", (t) => {
      t.timestamp("first_run_at", { useTz: true }).notNullable().defaultTo(db.fn.now()).alter();
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable("archive_progress", (t) => {
      t.dropColumn("first_run_at");
    });
  },
};

/**
 * What a submission wrote into an archive before a later run went to another one (which clears its progress for
 * the new archive): still other submissions' to recognise their lost writes against (progress-store
 * `casesCreatedByOthers`, `journalPostsAddedByOthers`).
 */
const writesLeftBehind = {
  name: "011-archive-writes-left-behind",
  async up(db: Knex) {
    await db.schema.createTable("archive_writes_left_behind", (t) => {
      t.text("submission_id").notNullable();
      t.text("tenant_id").notNullable();
      t.text("destination_id").notNullable();
      t.text("case_number").notNullable();
      t.boolean("case_created").notNullable();
      t.jsonb("journal_posts").notNullable().defaultTo("[]");
      t.timestamp("left_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.primary(["submission_id", "destination_id", "case_number"]);
      t.index(["tenant_id", "destination_id", "case_number"], "archive_writes_left_behind_archive_case");
    });
  },
  async down(db: Knex) {
    await db.schema.dropTable("archive_writes_left_behind");
  },
};

const migrations = [
  progress,
  simulatedArchive,
  pendingWrites,
  caseOwners,
  sentWrites,
  noark5UploadSessions,
  casesByArchive,
  noark5UploadSessionHealth,
  budgetFrom,
  firstRunAt,
  writesLeftBehind,
];
const config = {
  tableName: "flyt_archive_adapter_migrations",
  migrationSource: {
    getMigrations: async () => migrations,
    getMigrationName: (migration: (typeof migrations)[number]) => migration.name,
    getMigration: async (migration: (typeof migrations)[number]) => migration,
  },
};

export async function migrateArchiveAdapter(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(config)) as [number, string[]];
  return applied;
}

/** Undoes migrations back to before `name`: for tests of a migration against the tables as they were before it. */
export async function rollbackArchiveAdapterBefore(db: Knex, name: string): Promise<void> {
  for (;;) {
    const [completed] = (await db.migrate.list(config)) as [{ name: string }[], unknown[]];
    if (!completed.some((migration) => migration.name === name)) return;
    await db.migrate.down(config);
  }
}
