import type { Knex } from "knex";

/** The tables a rebuild replaces; the outbox of announcements stays, so nothing is announced twice. */
const REBUILT_TABLES = ["submission_status", "submission_status_history"] as const;
const REPLACED_SCHEMA = "flyt_status_replaced";

/** A fresh, empty schema to rebuild the read model in (one left by an interrupted rebuild is dropped first). */
export async function createRebuildSchema(db: Knex, schema: string): Promise<void> {
  await db.raw("drop schema if exists ?? cascade", [schema]);
  await db.raw("create schema ??", [schema]);
}

/**
 * Puts the rebuilt tables in place of the live ones in one transaction: polling and the projection wait for it
 * (its locks) and then see the rebuilt tables. The live tables are dropped; the topics remain their source.
 */
export async function swapInRebuiltTables(db: Knex, rebuildSchema: string): Promise<void> {
  await db.transaction(async (trx) => {
    const { rows } = await trx.raw<{ rows: { schema: string }[] }>("select current_schema() as schema");
    const live = rows[0]?.schema ?? "public";
    await trx.raw(
      `lock table ${REBUILT_TABLES.map(() => "??.??").join(", ")} in access exclusive mode`,
      REBUILT_TABLES.flatMap((table) => [live, table]),
    );
    await trx.raw("drop schema if exists ?? cascade", [REPLACED_SCHEMA]);
    await trx.raw("create schema ??", [REPLACED_SCHEMA]);
    // Out of the way first: the rebuilt tables' indexes have the same names, unique per schema.
    for (const table of REBUILT_TABLES) {
      await trx.raw("alter table ??.?? set schema ??", [live, table, REPLACED_SCHEMA]);
    }
    for (const table of REBUILT_TABLES) {
      await trx.raw("alter table ??.?? set schema ??", [rebuildSchema, table, live]);
    }
    await trx.raw("drop schema ?? cascade", [REPLACED_SCHEMA]);
  });
  await db.raw("drop schema if exists ?? cascade", [rebuildSchema]);
}
