import type { SubmissionRef } from "@flyt/schemas";
import { terminalStatuses } from "@flyt/status-read-model";
import type { Knex } from "knex";
import { type HistoryRow, type IncomingStatusEvent, recordedEvent } from "./status-store";

/**
 * The tables a rebuild replaces; the outbox of announcements stays, so nothing is announced twice, and takes
 * the rebuild's announcements that the live model never made.
 */
const REBUILT_TABLES = ["submission_status_history", "submission_status"] as const;
const REPLACED_SCHEMA = "flyt_status_replaced";
/** How long the swap waits for the live projection's writes before it lets go and tries again. */
const LOCK_TIMEOUT = "10s";
const SWAP_ATTEMPTS = 5;
/** Postgres's lock_not_available and deadlock_detected. */
const RETRIED_CODES = new Set(["55P03", "40P01"]);

/** A fresh, empty schema to rebuild the read model in (one left by an interrupted rebuild is dropped first). */
export async function createRebuildSchema(db: Knex, schema: string): Promise<void> {
  await db.raw("drop schema if exists ?? cascade", [schema]);
  await db.raw("create schema ??", [schema]);
}

/**
 * Puts the rebuilt tables in place of the live ones in one transaction, with nothing lost: under locks on the live
 * tables (history first, in the order the projection writes them, so the two never deadlock), every event the live
 * projection recorded that the rebuild has not is applied to the rebuilt tables first. Polling and the projection
 * wait for it and then see the rebuilt tables. A crash before the commit leaves the live model as it was.
 * A submission the rebuild completed that the live model never announced (it held the terminal step back, waiting
 * for one the rebuild read) gets its announcement in the live outbox, in the same transaction: once the rebuilt
 * tables have the step that was missing, the live projection sees nothing new to announce when it comes.
 * Answers how many events were taken over from the live tables, and how many announcements were added.
 */
export async function swapInRebuiltTables(options: {
  readonly db: Knex;
  readonly rebuildSchema: string;
  /** Applies events to the rebuilt tables (the transaction's search path names their schema meanwhile). */
  readonly applyToRebuilt: (trx: Knex.Transaction, events: IncomingStatusEvent[]) => Promise<unknown>;
  /** The id of the announcement of a terminal event (the projection's). */
  readonly completionEventId: (terminalEventId: string) => string;
}): Promise<{ readonly takenOver: number; readonly announced: number }> {
  const { db, rebuildSchema } = options;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const swapped = await db.transaction(async (trx) => {
        await trx.raw(`set local lock_timeout = '${LOCK_TIMEOUT}'`);
        const { rows } = await trx.raw<{ rows: { schema: string }[] }>("select current_schema() as schema");
        const live = rows[0]?.schema ?? "public";
        await trx.raw(
          `lock table ${REBUILT_TABLES.map(() => "??.??").join(", ")} in access exclusive mode`,
          REBUILT_TABLES.flatMap((table) => [live, table]),
        );
        const missing = await liveOnlyEvents(trx, live, rebuildSchema);
        if (missing.length > 0) {
          await trx.raw("set local search_path to ??", [rebuildSchema]);
          await options.applyToRebuilt(trx, missing);
          await trx.raw("set local search_path to ??", [live]);
        }
        const announced = await announceWhatLiveDidNot(trx, live, rebuildSchema, options.completionEventId);
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
        return { takenOver: missing.length, announced };
      });
      await db.raw("drop schema if exists ?? cascade", [rebuildSchema]);
      return swapped;
    } catch (error) {
      if (!RETRIED_CODES.has((error as { code?: string }).code ?? "") || attempt >= SWAP_ATTEMPTS)
        throw error;
    }
  }
}

/**
 * Copies into the live outbox the rebuild's announcement of each terminal rebuilt row whose terminal event the live
 * row never announced (the rebuild's own outbox goes with its schema); the relay publishes them. Rebuilt rows
 * already name the terminal event they announced.
 */
async function announceWhatLiveDidNot(
  trx: Knex.Transaction,
  live: string,
  rebuildSchema: string,
  completionEventId: (terminalEventId: string) => string,
): Promise<number> {
  const { rows } = await trx.raw<{ rows: { status_event_id: string }[] }>(
    `select r.status_event_id
       from ??.submission_status r
       left join ??.submission_status l on l.submission_id = r.submission_id
      where r.status = any(?) and l.announced_status_event_id is distinct from r.status_event_id`,
    [rebuildSchema, live, [...terminalStatuses]],
  );
  if (rows.length === 0) return 0;
  const { rowCount } = await trx.raw<{ rowCount: number }>(
    `insert into ??.completion_outbox (event_id, submission_id, event, headers)
     select event_id, submission_id, event, headers from ??.completion_outbox where event_id = any(?)
     on conflict (event_id) do nothing`,
    [live, rebuildSchema, rows.map((row) => completionEventId(row.status_event_id))],
  );
  return rowCount;
}

/**
 * The live history's events that the rebuilt history lacks, as events again, each with its submission (from its
 * row, or from the event itself while it is held back before the submission has one).
 */
async function liveOnlyEvents(
  trx: Knex.Transaction,
  live: string,
  rebuildSchema: string,
): Promise<IncomingStatusEvent[]> {
  const { rows } = await trx.raw<{ rows: (HistoryRow & SubmissionColumns)[] }>(
    `select h.event_id, h.submission_id, h.run, h.status, h.at, h.facts,
            s.tenant_id, s.source_application_id, s.integration_id, s.source_instance_id, s.kind
       from ??.submission_status_history h
       left join ??.submission_status s on s.submission_id = h.submission_id
      where not exists (select 1 from ??.submission_status_history r where r.event_id = h.event_id)`,
    [live, live, rebuildSchema],
  );
  return rows.map((row) => {
    const owner = row.facts.submission;
    const ref: SubmissionRef =
      row.tenant_id === null && owner
        ? { ...owner, id: row.submission_id, run: row.run }
        : {
            id: row.submission_id,
            tenant: row.tenant_id as string,
            sourceApplication: row.source_application_id as string,
            integrationId: row.integration_id as string,
            sourceInstanceId: row.source_instance_id as string,
            kind: row.kind as SubmissionRef["kind"],
            run: row.run,
          };
    return {
      event: recordedEvent(row, ref),
      // Only what an announcement would carry, and the rebuilt tables' announcements are not kept.
      headers: {
        correlationId: "",
        traceparent: "",
        tenant: ref.tenant,
        sourceApplication: ref.sourceApplication,
        submissionId: ref.id,
      },
    };
  });
}

/** Null while the submission has no row (every event of it held back). */
interface SubmissionColumns {
  readonly tenant_id: string | null;
  readonly source_application_id: string | null;
  readonly integration_id: string | null;
  readonly source_instance_id: string | null;
  readonly kind: SubmissionRef["kind"] | null;
}
