import type { Knex } from "knex";
import type { Progress } from "../../archiving/progress";
import type { ArchivedCase } from "../../drivers/archive-driver";

interface ProgressRow {
  readonly submission_id: string;
  readonly tenant_id: string;
  readonly destination_id: string;
  readonly case_system_id: string | null;
  readonly case_number: string | null;
  readonly case_tittel: string | null;
  readonly case_created: boolean;
  readonly case_create_attempted: boolean;
  readonly files: Progress["files"];
  readonly journal_posts: Progress["journalPosts"];
  readonly journal_posts_attempted: number[];
  readonly attempts: number;
  readonly first_attempt_at: Date;
  readonly last_error: string | null;
  readonly answer: Progress["answer"] | null;
}

/** Each submission's archiving progress, saved after every archive write so nothing is written twice. */
export class ProgressStore {
  constructor(private readonly db: Knex) {}

  /** The submission's progress, started now if it has none. */
  async start(submission: { id: string; tenant: string }, destinationId: string): Promise<Progress> {
    await this.db("archive_progress")
      .insert({ submission_id: submission.id, tenant_id: submission.tenant, destination_id: destinationId })
      .onConflict("submission_id")
      .ignore();
    const row: ProgressRow = await this.db("archive_progress")
      .where({ submission_id: submission.id })
      .first();
    return toProgress(row);
  }

  async save(progress: Progress): Promise<void> {
    await this.db("archive_progress")
      .where({ submission_id: progress.submissionId })
      .update({
        case_system_id: progress.case?.systemId ?? null,
        case_number: progress.case?.caseNumber ?? null,
        case_tittel: progress.case?.tittel ?? null,
        case_created: progress.caseCreated,
        case_create_attempted: progress.caseCreateAttempted,
        files: JSON.stringify(progress.files),
        journal_posts: JSON.stringify(progress.journalPosts),
        journal_posts_attempted: JSON.stringify(progress.journalPostsAttempted),
        attempts: progress.attempts,
        last_error: progress.lastError,
        answer: progress.answer ? JSON.stringify(progress.answer) : null,
        updated_at: this.db.fn.now(),
      });
  }

  /**
   * The archive case of an earlier case submission of this tenant, once it has one: journal posts sent to a case
   * submission go to its case.
   */
  async caseOfSubmission(tenantId: string, submissionId: string): Promise<ArchivedCase | undefined> {
    const row = await this.db("archive_progress")
      .where({ submission_id: submissionId, tenant_id: tenantId })
      .whereNotNull("case_system_id")
      .first("case_system_id", "case_number", "case_tittel");
    return row && { systemId: row.case_system_id, caseNumber: row.case_number, tittel: row.case_tittel };
  }
}

function toProgress(row: ProgressRow): Progress {
  return {
    submissionId: row.submission_id,
    tenantId: row.tenant_id,
    destinationId: row.destination_id,
    ...(row.case_system_id && row.case_number
      ? { case: { systemId: row.case_system_id, caseNumber: row.case_number, tittel: row.case_tittel ?? "" } }
      : {}),
    caseCreated: row.case_created,
    caseCreateAttempted: row.case_create_attempted,
    files: row.files,
    journalPosts: row.journal_posts,
    journalPostsAttempted: row.journal_posts_attempted,
    attempts: row.attempts,
    firstAttemptAt: row.first_attempt_at,
    lastError: row.last_error,
    ...(row.answer ? { answer: row.answer } : {}),
  };
}
