import { AuditLog } from "@flyt/registry";
import type { Knex } from "knex";
import type { OperatorStores } from "../../handlers/operate-submissions";

export type OperatorActionKind = "retry" | "resolve" | "cancel";

/** An operator's action on one run of a submission, with the event that carries it out. */
export interface OperatorAction {
  readonly submissionId: string;
  readonly run: number;
  readonly action: OperatorActionKind;
  readonly actor: string;
  /** The event as it is (to be) published, and its key. */
  readonly event: unknown;
  readonly eventKey: string;
}

export type Claim =
  | { readonly outcome: "claimed" }
  /** The same action was claimed before and its event never reached Kafka: publish that one. */
  | { readonly outcome: "unpublished"; readonly action: OperatorAction }
  /** Another action was taken on this run (or this one, already published). */
  | { readonly outcome: "taken"; readonly action: OperatorAction };

/**
 * One operator action per submission and run: claimed before its event is published, so two operators (or two
 * clicks) cannot both retry, resolve or cancel the same run, and a publish that failed is finished later.
 */
export class OperatorActionStore {
  constructor(private readonly db: Knex) {}

  async claim(action: OperatorAction): Promise<Claim> {
    const inserted = await this.db("operator_actions")
      .insert({
        submission_id: action.submissionId,
        run: action.run,
        action: action.action,
        actor: action.actor,
        event: JSON.stringify(action.event),
        event_key: action.eventKey,
      })
      .onConflict(["submission_id", "run"])
      .ignore()
      .returning("submission_id");
    if (inserted.length > 0) return { outcome: "claimed" };
    const row = await this.db("operator_actions")
      .where({ submission_id: action.submissionId, run: action.run })
      .first();
    const existing: OperatorAction = {
      submissionId: row.submission_id,
      run: row.run,
      action: row.action,
      actor: row.actor,
      event: row.event,
      eventKey: row.event_key,
    };
    return row.action === action.action && row.published_at === null
      ? { outcome: "unpublished", action: existing }
      : { outcome: "taken", action: existing };
  }

  /** Claims whose event has not reached Kafka `olderThanMs` after they were made (the relay finishes them). */
  async unpublished(olderThanMs: number, limit = 100): Promise<OperatorAction[]> {
    const rows = await this.db("operator_actions")
      .whereNull("published_at")
      .andWhere("created_at", "<", this.db.raw("now() - ? * interval '1 millisecond'", [olderThanMs]))
      .orderBy("created_at")
      .limit(limit);
    return rows.map((row: Record<string, unknown>) => ({
      submissionId: row.submission_id as string,
      run: row.run as number,
      action: row.action as OperatorActionKind,
      actor: row.actor as string,
      event: row.event,
      eventKey: row.event_key as string,
    }));
  }

  async markPublished(submissionId: string, run: number): Promise<void> {
    await this.db("operator_actions")
      .where({ submission_id: submissionId, run })
      .update({ published_at: this.db.fn.now() });
  }
}

/** What the operator use cases need of Postgres: a claim and its audit entry in one transaction, and the mark. */
export function operatorStores(db: Knex) {
  const actions = new OperatorActionStore(db);
  return {
    inTransaction: <T>(work: (stores: OperatorStores) => Promise<T>): Promise<T> =>
      db.transaction((trx) => work({ actions: new OperatorActionStore(trx), audit: new AuditLog(trx) })),
    markPublished: (submissionId: string, run: number) => actions.markPublished(submissionId, run),
    unpublished: (olderThanMs: number) => actions.unpublished(olderThanMs),
  };
}
