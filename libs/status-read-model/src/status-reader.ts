import type { SubmissionStatus, ValidationError } from "@flyt/schemas";
import type { Knex } from "knex";

/** A submission's status as the read model has it, with the statuses it went through, oldest first. */
export interface ProjectedStatus {
  readonly submissionId: string;
  readonly status: SubmissionStatus;
  readonly caseNumber: string | null;
  readonly journalPostNumbers: readonly string[];
  readonly errors: readonly ValidationError[];
  readonly configurationVersion: number | null;
  readonly history: readonly { readonly status: SubmissionStatus; readonly at: Date }[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Reads the status read model (polling). Ownership is the caller's to check: it looks up by submission id only. */
export class StatusReader {
  constructor(private readonly db: Knex) {}

  async status(submissionId: string): Promise<ProjectedStatus | undefined> {
    const [row, history] = await Promise.all([
      this.db("submission_status").where({ submission_id: submissionId }).first(),
      this.db("submission_status_history")
        .where({ submission_id: submissionId, applied: true })
        .orderBy("at")
        .select("status", "at"),
    ]);
    if (!row) return undefined;
    return {
      submissionId,
      status: row.status,
      caseNumber: row.case_number,
      journalPostNumbers: row.journal_post_numbers,
      errors: row.errors,
      configurationVersion: row.configuration_version,
      history: history.map((step: { status: SubmissionStatus; at: Date }) => ({
        status: step.status,
        at: step.at,
      })),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}
