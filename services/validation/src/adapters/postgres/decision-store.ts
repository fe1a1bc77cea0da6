import type { IntegrationState } from "@flyt/registry";
import type { SubmissionRef } from "@flyt/schemas";
import type { Knex } from "knex";
import type { ReferencedCase } from "../../domain/case-target";
import type { Answer } from "../../domain/decide";
import type { DecisionContext, DecisionRecord } from "../../handlers/validate-received";

/**
 * The service's decisions, and what it reads of the integration registry to make them. Every method takes many
 * submissions at once: the service coalesces the messages it handles concurrently into one statement each.
 */
export class DecisionStore {
  constructor(private readonly db: Knex) {}

  /** Per submission, in order: its integration now (absent when the tenant has none such) and any answer given to this run. */
  async contexts(submissions: readonly SubmissionRef[]): Promise<DecisionContext[]> {
    const { rows } = await this.db.raw<{ rows: ContextRow[] }>(
      `select i.state, i.active_configuration_version, d.answer
         from unnest(?::text[], ?::int[], ?::text[], ?::text[]) with ordinality as s(submission_id, run, tenant_id, integration_id, ord)
         left join integrations i on i.tenant_id = s.tenant_id and i.integration_id = s.integration_id
         left join validation_decisions d on d.submission_id = s.submission_id and d.run = s.run
        order by s.ord`,
      [
        submissions.map((submission) => submission.id),
        submissions.map((submission) => submission.run),
        submissions.map((submission) => submission.tenant),
        submissions.map((submission) => submission.integrationId),
      ],
    );
    return rows.map((row) => ({
      ...(row.state === null
        ? {}
        : { integration: { state: row.state, activeVersion: row.active_configuration_version } }),
      ...(row.answer === null ? {} : { earlier: row.answer }),
    }));
  }

  /**
   * Records each answer unless one is recorded for its submission already, and resolves with the answers that
   * stand, in order: the first recorded wins, so racing deliveries publish the same answer.
   */
  async record(decisions: readonly DecisionRecord[]): Promise<Answer[]> {
    if (decisions.length === 0) return [];
    const inserted: { submission_id: string; run: number }[] = await this.db("validation_decisions")
      .insert(
        decisions.map(({ submission, answer }) => ({
          submission_id: submission.id,
          run: submission.run,
          tenant_id: submission.tenant,
          integration_id: submission.integrationId,
          kind: submission.kind,
          configuration_version: answer.value.configurationVersion,
          outcome: answer.topic === "validated" ? "VALIDATED" : "REJECTED",
          answer: JSON.stringify(answer),
        })),
      )
      .onConflict(["submission_id", "run"])
      .ignore()
      .returning(["submission_id", "run"]);
    const runKey = (id: string, run: number) => `${run}:${id}`;
    const ours = new Set(inserted.map((row) => runKey(row.submission_id, row.run)));
    const theirs = decisions.filter(({ submission }) => !ours.has(runKey(submission.id, submission.run)));
    const standing = new Map<string, Answer>();
    if (theirs.length > 0) {
      const rows: { submission_id: string; run: number; answer: Answer }[] = await this.db(
        "validation_decisions",
      )
        .whereIn(
          ["submission_id", "run"],
          theirs.map(({ submission }) => [submission.id, submission.run]),
        )
        .select("submission_id", "run", "answer");
      for (const row of rows) standing.set(runKey(row.submission_id, row.run), row.answer);
    }
    return decisions.map(
      ({ submission, answer }) => standing.get(runKey(submission.id, submission.run)) ?? answer,
    );
  }

  /**
   * What became of a case submission of this tenant in its latest run decided, for journal posts of a source
   * application: undefined while it is not decided (or not this tenant's).
   */
  async referencedCase(
    owner: { readonly tenantId: string; readonly sourceApplicationId: string },
    submissionId: string,
  ): Promise<ReferencedCase | undefined> {
    const row = await this.db("validation_decisions")
      .where({ submission_id: submissionId, tenant_id: owner.tenantId, kind: "CASE" })
      .orderBy("run", "desc")
      .first(
        "outcome",
        this.db.raw("answer->'value'->'submission'->>'sourceApplication' as source_application"),
      );
    if (!row) return undefined;
    return row.source_application === owner.sourceApplicationId ? row.outcome : "ANOTHER_SOURCE_APPLICATIONS";
  }
}

interface ContextRow {
  readonly state: IntegrationState | null;
  readonly active_configuration_version: number | null;
  readonly answer: Answer | null;
}
