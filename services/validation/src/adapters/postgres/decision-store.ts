import type { IntegrationState } from "@flyt/registry";
import type { SubmissionRef, ValidationError } from "@flyt/schemas";
import type { Knex } from "knex";
import type { ReferencedCase } from "../../domain/case-target";

/** What is known about a submission before deciding: its integration now, and any earlier decision on it. */
export interface DecisionContext {
  readonly state: IntegrationState;
  readonly activeVersion: number | null;
  readonly earlier?: EarlierDecision;
}

export interface EarlierDecision {
  readonly configurationVersion: number | null;
  readonly outcome: "VALIDATED" | "REJECTED";
  readonly errors: readonly ValidationError[];
}

export interface Decision extends EarlierDecision {
  readonly submission: SubmissionRef;
}

/** The service's decisions, and what it reads of the integration registry to make them. */
export class DecisionStore {
  constructor(private readonly db: Knex) {}

  /** One round trip: the integration's state and active version, and the earlier decision if there is one. */
  async context(submission: SubmissionRef): Promise<DecisionContext | undefined> {
    const row = await this.db("integrations as i")
      .leftJoin("validation_decisions as d", (on) => on.onVal("d.submission_id", submission.id))
      .where({ "i.tenant_id": submission.tenant, "i.integration_id": submission.integrationId })
      .first("i.state", "i.active_configuration_version", "d.outcome", "d.configuration_version", "d.errors");
    if (!row) return undefined;
    return {
      state: row.state,
      activeVersion: row.active_configuration_version ?? null,
      ...(row.outcome
        ? {
            earlier: {
              configurationVersion: row.configuration_version ?? null,
              outcome: row.outcome,
              errors: row.errors,
            },
          }
        : {}),
    };
  }

  /** Records a decision once; a second record of the same submission keeps the first. */
  async record(decision: Decision): Promise<void> {
    await this.db("validation_decisions")
      .insert({
        submission_id: decision.submission.id,
        tenant_id: decision.submission.tenant,
        integration_id: decision.submission.integrationId,
        kind: decision.submission.kind,
        configuration_version: decision.configurationVersion,
        outcome: decision.outcome,
        errors: JSON.stringify(decision.errors),
      })
      .onConflict("submission_id")
      .ignore();
  }

  /** What became of a case submission of this tenant; another tenant's is as unknown as none. */
  async referencedCase(tenantId: string, submissionId: string): Promise<ReferencedCase> {
    const row = await this.db("validation_decisions")
      .where({ submission_id: submissionId, tenant_id: tenantId, kind: "CASE" })
      .first("outcome");
    return row?.outcome ?? "UNKNOWN";
  }
}
