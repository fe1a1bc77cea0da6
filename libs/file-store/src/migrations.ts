import type { Knex } from "knex";

/**
 * The file store's tables: file metadata, and contents in chunks so an upload streams into Postgres with bounded
 * memory. Databases from before the file store was its own module got both from the gateway's first
 * migrations; for those this finds them in place.
 */
const filesInChunks = {
  name: "001-files-in-chunks",
  async up(db: Knex) {
    if (!(await db.schema.hasTable("files"))) {
      await db.schema.createTable("files", (t) => {
        t.text("id").primary();
        t.text("tenant_id").notNullable();
        t.text("filename").notNullable();
        t.text("mime_type").notNullable();
        t.bigInteger("size_bytes").notNullable();
        t.text("sha256").notNullable();
        t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
        t.index(["tenant_id"]);
      });
    }
    if (!(await db.schema.hasTable("file_chunks"))) {
      await db.schema.createTable("file_chunks", (t) => {
        t.text("file_id").notNullable();
        t.integer("seq").notNullable();
        t.binary("data").notNullable();
        t.primary(["file_id", "seq"]);
      });
    }
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists("file_chunks");
    await db.schema.dropTableIfExists("files");
  },
};

/**
 * A file belongs to a source application in one environment, not to the whole county: one source system must
 * never use (or learn of) another's upload. Files from before have no owner: no source system can name them in a
 * new submission, while the pipeline still reads them for the submissions that named them (within the county).
 */
const fileOwners = {
  name: "002-file-owners",
  async up(db: Knex) {
    await db.schema.alterTable("files", (t) => {
      t.text("source_application_id").nullable();
      t.text("environment").nullable();
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable("files", (t) => {
      t.dropColumn("environment");
      t.dropColumn("source_application_id");
    });
  },
};

const migrations = [filesInChunks, fileOwners];
const config = {
  tableName: "flyt_file_store_migrations",
  migrationSource: {
    getMigrations: async () => migrations,
    getMigrationName: (migration: (typeof migrations)[number]) => migration.name,
    getMigration: async (migration: (typeof migrations)[number]) => migration,
  },
};

/** Brings the file store's tables up to date; returns the migrations applied now. */
export async function migrateFileStore(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(config)) as [number, string[]];
  return applied;
}
