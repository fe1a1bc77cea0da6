import type { Knex } from "knex";

/** Any fixed number: every Flyt process that migrates takes this one lock. */
const MIGRATION_LOCK = 4_637_211;

/**
 * Runs `work` (migrations) while holding a database-wide advisory lock, so services starting together migrate
 * one after another: knex creates its bookkeeping tables without a lock of its own, and two processes doing it
 * at once fail on duplicate types. The lock is held by a transaction of its own; `work` uses other connections
 * of the pool, so the pool needs at least two. Not re-entrant: take it once, around everything a process migrates.
 */
export async function withMigrationLock<T>(db: Knex, work: () => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    await trx.raw("select pg_advisory_xact_lock(?)", [MIGRATION_LOCK]);
    return work();
  });
}
