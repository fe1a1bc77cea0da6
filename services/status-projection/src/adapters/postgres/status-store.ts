import type { EventHeaders } from "@flyt/kafka";
import type { SubmissionCompleted, SubmissionStatus } from "@flyt/schemas";
import { appliedHistories } from "@flyt/status-read-model";
import type { Knex } from "knex";
import { applyEvent, type StatusEvent, type SubmissionState } from "../../domain/status-transition";

/** A status event with the headers of the message that carried it (passed on to what it causes). */
export interface IncomingStatusEvent {
  readonly event: StatusEvent;
  readonly headers: EventHeaders;
}

/** A `submission.completed` event waiting in the outbox to be published. */
export interface PendingCompletion {
  readonly eventId: string;
  readonly submissionId: string;
  readonly event: SubmissionCompleted;
  readonly headers: EventHeaders;
}

interface StatusRow {
  readonly submission_id: string;
  readonly tenant_id: string;
  readonly source_application_id: string;
  readonly integration_id: string;
  readonly source_instance_id: string;
  readonly kind: SubmissionState["submission"]["kind"];
  readonly status: SubmissionStatus;
  readonly case_number: string | null;
  readonly journal_post_numbers: string[];
  readonly errors: SubmissionState["errors"];
  readonly configuration_version: number | null;
  readonly created_at: Date;
  readonly updated_at: Date;
}

/**
 * The status read model. Events are applied in batches (one transaction for all the events handled together),
 * each once by its event id; a terminal transition writes its `submission.completed` to the outbox in the same
 * transaction, so it is announced exactly once however often the event is delivered.
 */
export class StatusStore {
  constructor(
    private readonly db: Knex,
    private readonly completionEventId: (terminalEventId: string) => string,
  ) {}

  /** Applies the events in order; resolves, per event, with the completion it made due (if any). */
  async apply(incoming: readonly IncomingStatusEvent[]): Promise<(PendingCompletion | undefined)[]> {
    return this.db.transaction(async (trx) => {
      const fresh: { event_id: string }[] = await trx("submission_status_history")
        .insert(
          incoming.map(({ event }) => ({
            event_id: event.eventId,
            submission_id: event.submission.id,
            status: event.status,
            at: event.at,
            applied: false,
          })),
        )
        .onConflict("event_id")
        .ignore()
        .returning("event_id");
      const isFresh = new Set(fresh.map((row) => row.event_id));
      const ids = [
        ...new Set(
          incoming.filter(({ event }) => isFresh.has(event.eventId)).map(({ event }) => event.submission.id),
        ),
      ];
      // One submission's events from different topics may be applied by concurrent batches: lock each
      // submission (also one with no row yet), in a fixed order so two batches cannot deadlock.
      if (ids.length > 0) {
        await trx.raw(
          "select pg_advisory_xact_lock(hashtext(id)) from (select unnest(?::text[]) as id order by 1) ids",
          [[...ids].sort()],
        );
      }
      const rows: StatusRow[] =
        ids.length === 0 ? [] : await trx("submission_status").whereIn("submission_id", ids);
      const states = new Map(rows.map((row) => [row.submission_id, toState(row)]));

      const completions: (PendingCompletion | undefined)[] = [];
      const applied: string[] = [];
      const terminal: { index: number; incoming: IncomingStatusEvent }[] = [];
      for (const [index, item] of incoming.entries()) {
        completions.push(undefined);
        if (!isFresh.has(item.event.eventId)) continue;
        const before = states.get(item.event.submission.id);
        const transition = applyEvent(before, item.event);
        states.set(item.event.submission.id, transition.state);
        if (transition.applied) applied.push(item.event.eventId);
        if (transition.becameTerminal) terminal.push({ index, incoming: item });
      }
      const changed = ids.flatMap((id) => states.get(id) ?? []);
      if (changed.length > 0) {
        await trx("submission_status").insert(changed.map(toRow)).onConflict("submission_id").merge();
      }
      if (applied.length > 0) {
        await trx("submission_status_history").whereIn("event_id", applied).update({ applied: true });
      }
      const histories = await appliedHistories(
        trx,
        terminal.map(({ incoming: item }) => item.event.submission.id),
      );
      for (const { index, incoming: item } of terminal) {
        const state = states.get(item.event.submission.id) as SubmissionState;
        const history = histories.get(state.submission.id) ?? [];
        const eventId = this.completionEventId(item.event.eventId);
        const event: SubmissionCompleted = {
          meta: {
            eventId,
            occurredAt: state.updatedAt,
            correlationId: item.headers.correlationId,
            producer: "status-projection",
          },
          submission: state.submission,
          status: state.status,
          caseNumber: state.caseNumber,
          journalPostNumbers: state.journalPostNumbers,
          errors: state.errors,
          history,
          configurationVersion: state.configurationVersion,
          createdAt: state.createdAt,
          updatedAt: state.updatedAt,
        };
        await trx("completion_outbox")
          .insert({
            event_id: eventId,
            submission_id: state.submission.id,
            event: JSON.stringify(event),
            headers: JSON.stringify(item.headers),
          })
          .onConflict("event_id")
          .ignore();
        completions[index] = { eventId, submissionId: state.submission.id, event, headers: item.headers };
      }
      return completions;
    });
  }

  async markPublished(eventId: string): Promise<void> {
    await this.db("completion_outbox")
      .where({ event_id: eventId })
      .update({ published_at: this.db.fn.now() });
  }

  /** Completions written but not published (their process stopped between commit and publish). */
  async unpublished(olderThanMs: number, limit = 500): Promise<PendingCompletion[]> {
    const rows = await this.db("completion_outbox")
      .whereNull("published_at")
      .andWhere("created_at", "<", this.db.raw("now() - ? * interval '1 millisecond'", [olderThanMs]))
      .orderBy("created_at")
      .limit(limit)
      .select("event_id", "submission_id", "event", "headers");
    return rows.map(
      (row: {
        event_id: string;
        submission_id: string;
        event: SubmissionCompleted;
        headers: EventHeaders;
      }) => ({
        eventId: row.event_id,
        submissionId: row.submission_id,
        event: revive(row.event),
        headers: row.headers,
      }),
    );
  }
}

/** Dates come back from JSON as strings. */
function revive(event: SubmissionCompleted): SubmissionCompleted {
  return {
    ...event,
    meta: { ...event.meta, occurredAt: new Date(event.meta.occurredAt) },
    history: event.history.map((step) => ({ ...step, at: new Date(step.at) })),
    createdAt: new Date(event.createdAt),
    updatedAt: new Date(event.updatedAt),
  };
}

function toState(row: StatusRow): SubmissionState {
  return {
    submission: {
      id: row.submission_id,
      tenant: row.tenant_id,
      sourceApplication: row.source_application_id,
      integrationId: row.integration_id,
      sourceInstanceId: row.source_instance_id,
      kind: row.kind,
      run: 1,
    },
    status: row.status,
    caseNumber: row.case_number,
    journalPostNumbers: row.journal_post_numbers,
    errors: row.errors,
    configurationVersion: row.configuration_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRow(state: SubmissionState) {
  return {
    submission_id: state.submission.id,
    tenant_id: state.submission.tenant,
    source_application_id: state.submission.sourceApplication,
    integration_id: state.submission.integrationId,
    source_instance_id: state.submission.sourceInstanceId,
    kind: state.submission.kind,
    status: state.status,
    case_number: state.caseNumber,
    journal_post_numbers: JSON.stringify(state.journalPostNumbers),
    errors: JSON.stringify(state.errors),
    configuration_version: state.configurationVersion,
    created_at: state.createdAt,
    updated_at: state.updatedAt,
  };
}
