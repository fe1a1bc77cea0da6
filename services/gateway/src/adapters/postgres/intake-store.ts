import type { SubmissionReceived } from "@flyt/schemas";
import type { Knex } from "knex";

/** A `submission.received` event and the Kafka key it was published under. */
export interface PublishedEvent {
  readonly event: SubmissionReceived;
  readonly key: string;
}

export interface IntakeRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly sourceApplicationId: string;
  readonly integrationId: string;
  readonly sourceInstanceId: string;
  readonly kind: "CASE" | "JOURNAL_POSTS";
  readonly caseRef: string | null;
  readonly bodyHash: string;
  readonly state: "pending" | "accepted";
  readonly createdAt: Date;
}

export type Reservation =
  | { readonly outcome: "reserved"; readonly record: IntakeRecord }
  | { readonly outcome: "existing"; readonly record: IntakeRecord };

/** The intake table: one row per (tenant, integration, source instance), written before Kafka is. */
export class IntakeStore {
  constructor(private readonly db: Knex) {}

  /**
   * Claims (tenant, integrationId, sourceInstanceId) for a new submission, or answers the submission that
   * already holds it. Concurrent claims are settled by the unique constraint: exactly one is reserved.
   */
  async reserve(record: Omit<IntakeRecord, "state" | "createdAt">): Promise<Reservation> {
    const inserted = await this.db("intake_submissions")
      .insert({
        id: record.id,
        tenant_id: record.tenantId,
        source_application_id: record.sourceApplicationId,
        integration_id: record.integrationId,
        source_instance_id: record.sourceInstanceId,
        kind: record.kind,
        case_ref: record.caseRef,
        body_hash: record.bodyHash,
        state: "pending",
      })
      .onConflict(["tenant_id", "integration_id", "source_instance_id"])
      .ignore()
      .returning("*");
    if (inserted[0]) return { outcome: "reserved", record: toIntakeRecord(inserted[0]) };
    const existing = await this.db("intake_submissions")
      .where({
        tenant_id: record.tenantId,
        integration_id: record.integrationId,
        source_instance_id: record.sourceInstanceId,
      })
      .first();
    if (!existing) throw new Error("intake row vanished between insert and read");
    return { outcome: "existing", record: toIntakeRecord(existing) };
  }

  /** Kafka has the submission: it is accepted, and its event is kept for an operator retry to publish again. */
  async markAccepted(id: string, published: PublishedEvent): Promise<void> {
    await this.db("intake_submissions")
      .where({ id })
      .update({
        state: "accepted",
        accepted_at: this.db.fn.now(),
        received_event: JSON.stringify(published.event),
        event_key: published.key,
      });
  }

  /** The `submission.received` event of an accepted submission of this tenant, as it was published. */
  async publishedEvent(tenantId: string, id: string): Promise<PublishedEvent | undefined> {
    const row = await this.db("intake_submissions")
      .where({ id, tenant_id: tenantId, state: "accepted" })
      .whereNotNull("received_event")
      .first("received_event", "event_key");
    return row && { event: reviveReceived(row.received_event), key: row.event_key };
  }

  /**
   * An accepted case submission of this source application (in its county), by id: another source
   * application's is not there for it. A claim still pending was never published, so nothing may be added to it yet.
   */
  async findCase(
    owner: { readonly tenantId: string; readonly sourceApplicationId: string },
    id: string,
  ): Promise<IntakeRecord | undefined> {
    const row = await this.db("intake_submissions")
      .where({
        id,
        tenant_id: owner.tenantId,
        source_application_id: owner.sourceApplicationId,
        kind: "CASE",
        state: "accepted",
      })
      .first();
    return row && toIntakeRecord(row);
  }
}

/** An `intake_submissions` row as a record. */
export function toIntakeRecord(row: Record<string, unknown>): IntakeRecord {
  return {
    id: row.id as string,
    tenantId: row.tenant_id as string,
    sourceApplicationId: row.source_application_id as string,
    integrationId: row.integration_id as string,
    sourceInstanceId: row.source_instance_id as string,
    kind: row.kind as IntakeRecord["kind"],
    caseRef: (row.case_ref as string | null) ?? null,
    bodyHash: row.body_hash as string,
    state: row.state as IntakeRecord["state"],
    createdAt: row.created_at as Date,
  };
}

/** Timestamps come back from JSON as strings. */
function reviveReceived(event: SubmissionReceived): SubmissionReceived {
  return {
    ...event,
    meta: { ...event.meta, occurredAt: new Date(event.meta.occurredAt) },
    receivedAt: new Date(event.receivedAt),
  };
}
