import type { EventHeaders } from "@flyt/kafka";
import type { SubmissionCompleted, SubmissionRef, SubmissionStatus } from "@flyt/schemas";
import type { Knex } from "knex";
import { completedEvent } from "../../domain/completion";
import { type HeldBackEvent, releaseOverdue } from "../../domain/held-back";
import {
  historyOf,
  type Projection,
  project,
  rankOf,
  type StatusEvent,
  type SubmissionState,
} from "../../domain/status-transition";

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

/** What an event said beyond its status, kept so the status can be folded again from every recorded event. */
type Facts = Pick<
  StatusEvent,
  "byOperator" | "caseNumber" | "journalPostNumbers" | "errors" | "configurationVersion"
> & {
  readonly receivedAt?: string;
  /** Whose the submission is: a rebuild takes over an event held back before the submission has a row. */
  readonly submission?: Omit<SubmissionRef, "run">;
};

/** A recorded event as `submission_status_history` keeps it. */
export interface HistoryRow {
  readonly event_id: string;
  readonly submission_id: string;
  readonly run: number;
  readonly status: SubmissionStatus;
  readonly at: Date;
  readonly facts: Facts;
  /** Where the step stands in the history clients see; null while held back, or for good when never shown. */
  readonly position: number | null;
}

/**
 * The status read model. Events are applied in batches (one transaction for all the events handled together),
 * each recorded once by its event id. A recorded event joins the submission's history (at its end, with the next
 * position) once every step it follows is shown (see `release`); the row is folded from the shown steps. A
 * transition into a terminal status writes its `submission.completed` (that row and that history) to the outbox
 * in the same transaction, so it is announced exactly once however often the event is delivered.
 */
export class StatusStore {
  constructor(
    private readonly db: Knex,
    private readonly completionEventId: (terminalEventId: string) => string,
  ) {}

  /** Applies the events; resolves, per event, with the completion it made due (if any). */
  async apply(incoming: readonly IncomingStatusEvent[]): Promise<(PendingCompletion | undefined)[]> {
    return this.db.transaction(async (trx) => {
      const fresh = await recordEvents(trx, incoming);
      const ids = [...new Set(fresh.map(({ event }) => event.submission.id))];
      if (ids.length === 0) return incoming.map(() => undefined);
      const { completions } = await this.projectSubmissions(trx, ids, (id) => {
        const arriving = fresh.filter(({ event }) => event.submission.id === id);
        return {
          ref: () => (arriving[0] as IncomingStatusEvent).event.submission,
          project: (shown, pending) =>
            project(
              shown,
              pending.map(({ event }) => event),
            ),
          // Published after the commit by the handler of the event that caused it: the terminal event, or the
          // one that released it when it was held back.
          cause: (completedBy) =>
            (arriving.find(({ event }) => event.eventId === completedBy.eventId) ??
              arriving.at(-1)) as IncomingStatusEvent,
        };
      });
      return incoming.map(({ event }) => completions.get(event.eventId));
    });
  }

  /**
   * Shows the events held back since `olderThanMs` ago or longer (see `releaseOverdue`), for at most `limit`
   * submissions; resolves with what it showed and the completions that made due, to be published now.
   */
  async releaseHeldBack(olderThanMs: number, limit = 500): Promise<ReleasedHeldBack> {
    return this.db.transaction(async (trx) => {
      const { rows } = await trx.raw<{ rows: { cutoff: Date }[] }>(
        "select now() - ? * interval '1 millisecond' as cutoff",
        [olderThanMs],
      );
      const cutoff = (rows[0] as { cutoff: Date }).cutoff;
      const ids: string[] = await trx("submission_status_history")
        .whereNull("position")
        .andWhere("passed_over", false)
        .andWhere("recorded_at", "<=", cutoff)
        .distinct("submission_id")
        .limit(limit)
        .pluck("submission_id");
      if (ids.length === 0) return { released: [], completions: [] };
      const owners = await ownersOf(trx, ids);
      const { completions, released } = await this.projectSubmissions(trx, ids, (id) => ({
        ref: (own) => owners.get(id) ?? ownerInFacts(own),
        project: (shown, pending) => releaseOverdue(shown, pending, cutoff),
        cause: (completedBy) => ({ event: completedBy, headers: sweepHeaders(completedBy.submission) }),
      }));
      return { released, completions: [...completions.values()] };
    });
  }

  /** How many events are held back now, and for how long the oldest has been. */
  async heldBack(): Promise<{ readonly count: number; readonly oldestAgeSeconds: number }> {
    const { rows } = await this.db.raw<{ rows: { count: number; oldest: number | null }[] }>(
      `select count(*)::int as count, extract(epoch from now() - min(recorded_at))::float8 as oldest
         from submission_status_history where position is null and not passed_over`,
    );
    return { count: rows[0]?.count ?? 0, oldestAgeSeconds: Math.max(0, rows[0]?.oldest ?? 0) };
  }

  /**
   * Projects the submissions again from their recorded events, as `plan` says for each, and writes what that shows:
   * the positions of the steps it shows, the events it lets go of, the rows and the completions it makes due (new
   * to the outbox; keyed by the id of the event that caused each).
   */
  private async projectSubmissions(
    trx: Knex.Transaction,
    submissionIds: readonly string[],
    plan: (submissionId: string) => {
      readonly ref: (own: readonly HistoryRow[]) => SubmissionRef | undefined;
      readonly project: (shown: StatusEvent[], pending: HeldBackEvent[]) => Projection;
      readonly cause: (completedBy: StatusEvent) => IncomingStatusEvent;
    },
  ): Promise<{
    readonly completions: Map<string, PendingCompletion>;
    readonly released: ReleasedHeldBack["released"];
  }> {
    const ids = [...submissionIds].sort();
    // One submission's events from different topics may be applied by concurrent batches: lock each
    // submission (also one with no row yet), in a fixed order so two batches cannot deadlock. Positions in the
    // history are given under this lock, so two batches never show steps out of the order they were given.
    await trx.raw(
      "select pg_advisory_xact_lock(hashtext(id)) from (select unnest(?::text[]) as id order by 1) ids",
      [ids],
    );
    const rows: (HistoryRow & { recorded_at: Date })[] = await trx("submission_status_history")
      .whereIn("submission_id", ids)
      .orderBy("position")
      .select("event_id", "submission_id", "run", "status", "at", "facts", "position", "recorded_at");

    const states: SubmissionState[] = [];
    const positions: { eventId: string; position: number }[] = [];
    const passedOver: string[] = [];
    const completions = new Map<string, PendingCompletion>();
    const released: { submissionId: string; eventId: string; status: SubmissionStatus }[] = [];
    for (const id of ids) {
      const own = rows.filter((row) => row.submission_id === id);
      const steps = plan(id);
      const ref = steps.ref(own);
      if (!ref) continue;
      const shownRows = own.filter((row) => row.position !== null);
      const shown = shownRows.map((row) => recordedEvent(row, ref));
      const pending = own
        .filter((row) => row.position === null)
        .map((row) => ({ event: recordedEvent(row, ref), recordedAt: row.recorded_at }));
      const projection = steps.project(shown, pending);
      const { appended, state, completedBy } = projection;
      const last = shownRows.at(-1)?.position ?? 0;
      appended.forEach((event, i) => {
        positions.push({ eventId: event.eventId, position: last + i + 1 });
        released.push({ submissionId: id, eventId: event.eventId, status: event.status });
      });
      passedOver.push(...projection.passedOver.map((event) => event.eventId));
      if (!state) continue;
      states.push(state);
      if (!completedBy) continue;
      const cause = steps.cause(completedBy);
      const history = historyOf([...shown, ...appended]);
      completions.set(cause.event.eventId, this.completion(state, history, cause));
    }
    if (positions.length > 0) {
      await trx.raw(
        `update submission_status_history h set position = v.position
           from unnest(?::text[], ?::int[]) as v(event_id, position) where h.event_id = v.event_id`,
        [positions.map((p) => p.eventId), positions.map((p) => p.position)],
      );
    }
    if (passedOver.length > 0) {
      await trx("submission_status_history").whereIn("event_id", passedOver).update({ passed_over: true });
    }
    if (states.length > 0) {
      await trx("submission_status").insert(states.map(toRow)).onConflict("submission_id").merge();
    }
    if (completions.size === 0) return { completions, released };
    // Kept with the row for good: a rebuild announces what the rows it replaces never did.
    await trx("submission_status")
      .whereIn(
        "submission_id",
        [...completions.values()].map((completion) => completion.submissionId),
      )
      .update({ announced_status_event_id: trx.ref("status_event_id") });
    // Announced only when new to the outbox: after a rebuild, an event the replaced tables had taken is new to
    // the history again, but what it made due was announced then.
    const inserted: { event_id: string }[] = await trx("completion_outbox")
      .insert(
        [...completions.values()].map((completion) => ({
          event_id: completion.eventId,
          submission_id: completion.submissionId,
          event: JSON.stringify(completion.event),
          headers: JSON.stringify(completion.headers),
        })),
      )
      .onConflict("event_id")
      .ignore()
      .returning("event_id");
    const announced = new Set(inserted.map((row) => row.event_id));
    for (const [cause, completion] of completions) {
      if (!announced.has(completion.eventId)) completions.delete(cause);
    }
    return { completions, released };
  }

  async markPublished(eventId: string): Promise<void> {
    await this.db("completion_outbox")
      .where({ event_id: eventId })
      .update({ published_at: this.db.fn.now() });
  }

  /**
   * Forgets announcements published longer ago than `olderThanMs`: by then every redelivery of what caused them
   * has long been recognised by its recorded event, so the outbox only needs the recent ones.
   */
  async forgetPublished(olderThanMs: number): Promise<number> {
    return this.db("completion_outbox")
      .whereNotNull("published_at")
      .andWhere("published_at", "<", this.db.raw("now() - ? * interval '1 millisecond'", [olderThanMs]))
      .delete();
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

  private completion(
    state: SubmissionState,
    history: SubmissionCompleted["history"],
    cause: IncomingStatusEvent,
  ): PendingCompletion {
    const eventId = this.completionEventId(state.statusEventId);
    return {
      eventId,
      submissionId: state.submission.id,
      headers: cause.headers,
      event: completedEvent(state, history, { eventId, correlationId: cause.headers.correlationId }),
    };
  }
}

/** Records each event once by its id; resolves with the ones not recorded before. */
async function recordEvents(
  trx: Knex.Transaction,
  incoming: readonly IncomingStatusEvent[],
): Promise<IncomingStatusEvent[]> {
  const unique = [...new Map(incoming.map((item) => [item.event.eventId, item])).values()];
  const inserted: { event_id: string }[] = await trx("submission_status_history")
    .insert(unique.map(({ event }) => toHistoryRow(event)))
    .onConflict("event_id")
    .ignore()
    .returning("event_id");
  const isFresh = new Set(inserted.map((row) => row.event_id));
  return unique.filter(({ event }) => isFresh.has(event.eventId));
}

function toHistoryRow(event: StatusEvent) {
  const facts: Facts = {
    ...(event.byOperator ? { byOperator: true } : {}),
    ...(event.caseNumber !== undefined ? { caseNumber: event.caseNumber } : {}),
    ...(event.journalPostNumbers ? { journalPostNumbers: event.journalPostNumbers } : {}),
    ...(event.errors ? { errors: event.errors } : {}),
    ...(event.configurationVersion !== undefined ? { configurationVersion: event.configurationVersion } : {}),
    ...(event.receivedAt ? { receivedAt: event.receivedAt.toISOString() } : {}),
    submission: ownerOf(event.submission),
  };
  return {
    event_id: event.eventId,
    submission_id: event.submission.id,
    run: event.submission.run,
    status: event.status,
    rank: rankOf(event),
    at: event.at,
    facts: JSON.stringify(facts),
  };
}

/** A recorded event again, for the fold; its submission is `ref`, with the event's own run. */
export function recordedEvent(row: HistoryRow, ref: SubmissionRef): StatusEvent {
  const { receivedAt, submission: _owner, ...facts } = row.facts;
  return {
    ...facts,
    eventId: row.event_id,
    submission: { ...ref, run: row.run },
    status: row.status,
    at: row.at,
    ...(receivedAt ? { receivedAt: new Date(receivedAt) } : {}),
  };
}

/** A submission's reference without its run (the same for every run). */
function ownerOf({ run: _run, ...owner }: SubmissionRef): Omit<SubmissionRef, "run"> {
  return owner;
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

function toRow(state: SubmissionState) {
  return {
    submission_id: state.submission.id,
    tenant_id: state.submission.tenant,
    source_application_id: state.submission.sourceApplication,
    integration_id: state.submission.integrationId,
    source_instance_id: state.submission.sourceInstanceId,
    kind: state.submission.kind,
    run: state.submission.run,
    status: state.status,
    case_number: state.caseNumber,
    journal_post_numbers: JSON.stringify(state.journalPostNumbers),
    errors: JSON.stringify(state.errors),
    configuration_version: state.configurationVersion,
    status_event_id: state.statusEventId,
    created_at: state.createdAt,
    updated_at: state.updatedAt,
  };
}

/** What a sweep of held-back events showed, and the completions it made due. */
export interface ReleasedHeldBack {
  readonly released: readonly {
    readonly submissionId: string;
    readonly eventId: string;
    readonly status: SubmissionStatus;
  }[];
  readonly completions: readonly PendingCompletion[];
}

/** Whose the submissions are, from their rows (an older instance's events may not say). */
async function ownersOf(trx: Knex.Transaction, ids: readonly string[]): Promise<Map<string, SubmissionRef>> {
  const rows = await trx("submission_status")
    .whereIn("submission_id", ids)
    .select(
      "submission_id",
      "tenant_id",
      "source_application_id",
      "integration_id",
      "source_instance_id",
      "kind",
      "run",
    );
  return new Map(
    rows.map((row) => [
      row.submission_id,
      {
        id: row.submission_id,
        tenant: row.tenant_id,
        sourceApplication: row.source_application_id,
        integrationId: row.integration_id,
        sourceInstanceId: row.source_instance_id,
        kind: row.kind,
        run: row.run,
      },
    ]),
  );
}

/** Whose a submission with no row yet is, as its recorded events say. */
function ownerInFacts(own: readonly HistoryRow[]): SubmissionRef | undefined {
  const row = own.find((candidate) => candidate.facts.submission);
  return row?.facts.submission && { ...row.facts.submission, id: row.submission_id, run: row.run };
}

/** A sweep's announcement has no message to take headers from: the submission's own, correlated by its id. */
function sweepHeaders(ref: SubmissionRef): EventHeaders {
  return {
    correlationId: ref.id,
    traceparent: "",
    tenant: ref.tenant,
    sourceApplication: ref.sourceApplication,
    submissionId: ref.id,
  };
}
