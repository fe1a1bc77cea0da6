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

/**
 * The service's decisions, and what it reads of the integration registry to make them. Reads and writes take
 * many submissions at once: the service coalesces the messages it handles concurrently into one statement.
 */
export class DecisionStore {
  constructor(private readonly db: Knex) {}

  /**
   * Per submission, in order: its integration's state and active version with any earlier decision on it, or
   * undefined when the tenant has no such integration.
   */
  async contexts(submissions: readonly SubmissionRef[]): Promise<(DecisionContext | undefined)[]> {
    const { rows } = await this.db.raw<{ rows: ContextRow[] }>(
      `select i.state, i.active_configuration_version, d.outcome, d.configuration_version, d.errors
         from unnest(?::text[], ?::text[], ?::text[]) with ordinality as s(submission_id, tenant_id, integration_id, ord)
         left join integrations i on i.tenant_id = s.tenant_id and i.integration_id = s.integration_id
         left join validation_decisions d on d.submission_id = s.submission_id
        order by s.ord`,
      [
        submissions.map((submission) => submission.id),
        submissions.map((submission) => submission.tenant),
        submissions.map((submission) => submission.integrationId),
      ],
    );
    return rows.map(toContext);
  }

  /** Records decisions once each; a second record of the same submission keeps the first. */
  async record(decisions: readonly Decision[]): Promise<void> {
    if (decisions.length === 0) return;
    await this.db("validation_decisions")
      .insert(
        decisions.map((decision) => ({
          submission_id: decision.submission.id,
          tenant_id: decision.submission.tenant,
          integration_id: decision.submission.integrationId,
          kind: decision.submission.kind,
          configuration_version: decision.configurationVersion,
          outcome: decision.outcome,
          errors: JSON.stringify(decision.errors),
        })),
      )
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

interface ContextRow {
  readonly state: IntegrationState | null;
  readonly active_configuration_version: number | null;
  readonly outcome: EarlierDecision["outcome"] | null;
  readonly configuration_version: number | null;
  readonly errors: ValidationError[] | null;
}

function toContext(row: ContextRow): DecisionContext | undefined {
  if (row.state === null) return undefined;
  return {
    state: row.state,
    activeVersion: row.active_configuration_version,
    ...(row.outcome
      ? {
          earlier: {
            configurationVersion: row.configuration_version,
            outcome: row.outcome,
            errors: row.errors ?? [],
          },
        }
      : {}),
  };
}
