import {
  type CallbackState,
  type CallbackStateJson,
  callbackStateJson,
  toCallbackState,
} from "@flyt/callbacks";
import { historyJson, type ProjectedStatus, toProjectedStatus } from "@flyt/status-read-model";
import type { Knex } from "knex";
import type { IntakeRecord } from "./intake-store";
import { toIntakeRecord } from "./intake-store";

/** What polling answers from: whose the submission is (intake), its status and history, and its callback. */
export interface PolledSubmission {
  readonly record: IntakeRecord;
  /** Undefined until the status projection has taken it (it is RECEIVED then). */
  readonly projected?: ProjectedStatus;
  readonly callback?: CallbackState;
}

interface Owner {
  readonly tenantId: string;
  readonly sourceApplicationId: string;
}

/**
 * Polling in one query: the intake row that says the submission is the caller's, its projected status with the
 * history, and its latest callback. The hottest read of the API: one round trip instead of four.
 */
export class StatusPolling {
  constructor(private readonly db: Knex) {}

  /** The caller's submission by id; undefined for none, also when it is another tenant's or application's. */
  byId(owner: Owner, id: string): Promise<PolledSubmission | undefined> {
    return this.#one({ "i.id": id, ...ownedBy(owner) });
  }

  /** The caller's submission by its integration and the source system's own id. */
  bySourceInstance(
    owner: Owner,
    integrationId: string,
    sourceInstanceId: string,
  ): Promise<PolledSubmission | undefined> {
    return this.#one({
      "i.integration_id": integrationId,
      "i.source_instance_id": sourceInstanceId,
      ...ownedBy(owner),
    });
  }

  async #one(where: Readonly<Record<string, string>>): Promise<PolledSubmission | undefined> {
    const row = await this.db("intake_submissions as i")
      .leftJoin("submission_status as s", "s.submission_id", "i.id")
      .where(where)
      .first(
        // Not the kept `received_event`: polling needs only whose it is.
        ...INTAKE_COLUMNS.map((column) => `i.${column}`),
        this.db.raw("case when s.submission_id is null then null else row_to_json(s) end as projected"),
        this.db.raw(`${historyJson("i.id")} as history`),
        this.db.raw(`${callbackStateJson("i.id")} as callback`),
      );
    if (!row) return undefined;
    const projected = row.projected && toProjectedStatus({ ...row.projected, history: row.history });
    const callback = toCallbackState(row.callback as CallbackStateJson | null);
    return {
      record: toIntakeRecord(row),
      ...(projected ? { projected } : {}),
      ...(callback ? { callback } : {}),
    };
  }
}

const INTAKE_COLUMNS = [
  "id",
  "tenant_id",
  "source_application_id",
  "integration_id",
  "source_instance_id",
  "kind",
  "case_ref",
  "body_hash",
  "state",
  "created_at",
] as const;

const ownedBy = (owner: Owner) => ({
  "i.tenant_id": owner.tenantId,
  "i.source_application_id": owner.sourceApplicationId,
});
