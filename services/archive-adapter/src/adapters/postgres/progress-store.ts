import { TransientError } from "@flyt/errors";
import type { Knex } from "knex";
import type { CaseFailure, CaseOfSubmission, CaseOwner } from "../../archiving/archive-submission";
import type { Progress } from "../../archiving/progress";
import type { ArchivedCase, SentWrite } from "../../drivers/archive-driver";

/** A SentWrite as JSON keeps it. */
type StoredSentWrite = Omit<SentWrite, "firstSentAt" | "lastSentAt"> & {
  readonly firstSentAt: string;
  readonly lastSentAt: string;
};

interface ProgressRow {
  readonly submission_id: string;
  readonly tenant_id: string;
  readonly destination_id: string;
  readonly run: number;
  readonly case_system_id: string | null;
  readonly case_number: string | null;
  readonly case_created: boolean;
  readonly case_create_attempted: boolean;
  readonly files: Progress["files"];
  readonly journal_posts: Progress["journalPosts"];
  readonly journal_posts_attempted: number[];
  readonly pending_writes: Progress["pendingWrites"];
  readonly sent_writes: Record<string, StoredSentWrite>;
  readonly attempts: number;
  readonly first_attempt_at: Date;
  readonly first_run_at: Date;
  readonly budget_from: Date | null;
  readonly last_error: string | null;
  readonly answer: Progress["answer"] | null;
  readonly version: number;
  readonly lease_owner: string;
}

/** A later run going to another archive: what the earlier run wrote is in that other archive, not this one. */
const elsewhere = "run < :run and destination_id <> :destinationId";

/** Another delivery holds the submission: this one waits (retried) until it is done or its lease runs out. */
export class SubmissionBusyError extends TransientError {}

/** This delivery lost its lease (it took too long, or its process was thought dead): it stops, nothing is saved. */
export class LeaseLostError extends TransientError {}

/**
 * Each submission's archiving progress, saved after every archive write so nothing is written twice, and leased
 * to one delivery at a time: saves are fenced by the version the delivery read.
 */
export class ProgressStore {
  constructor(
    private readonly db: Knex,
    private readonly leaseMs: number,
  ) {}

  /**
   * Leases the submission's progress (started now if it has none) to `owner`, for the submission's run. A later
   * run than the one recorded starts a new outcome and retry budget, keeping what is in the archive (all of it
   * anew when the run goes to another destination). "superseded" when a later run has started: this delivery of an
   * earlier one has nothing left to do.
   */
  async start(
    submission: { id: string; tenant: string; sourceApplication: string; run: number },
    destinationId: string,
    owner: string,
  ): Promise<Progress | "superseded"> {
    await this.db("archive_progress")
      .insert({
        submission_id: submission.id,
        tenant_id: submission.tenant,
        source_application_id: submission.sourceApplication,
        destination_id: destinationId,
        run: submission.run,
      })
      .onConflict("submission_id")
      .ignore();
    // Every expression in SET reads the row as it was, so `run < :run` means "this is a later run" throughout;
    // so does `before`: what the run going elsewhere leaves behind in the archive is kept (`left`).
    const { rows } = await this.db.raw<{ rows: ProgressRow[] }>(
      `with before as (
         select submission_id, tenant_id, destination_id, run, case_number, case_created, journal_posts
           from archive_progress where submission_id = :id
       ), started as (
       update archive_progress set
         lease_owner = :owner,
         lease_until = now() + :leaseMs * interval '1 millisecond',
         version = version + 1,
         answer = case when run < :run then null else answer end,
         attempts = case when run < :run then 0 else attempts end,
         first_attempt_at = case when run < :run then now() else first_attempt_at end,
         budget_from = case when run < :run then null else budget_from end,
         last_error = case when run < :run then null else last_error end,
         case_system_id = case when ${elsewhere} then null else case_system_id end,
         case_number = case when ${elsewhere} then null else case_number end,
         case_created = case when ${elsewhere} then false else case_created end,
         case_create_attempted = case when ${elsewhere} then false else case_create_attempted end,
         files = case when ${elsewhere} then '{}'::jsonb else files end,
         journal_posts = case when ${elsewhere} then '[]'::jsonb else journal_posts end,
         journal_posts_attempted = case when ${elsewhere} then '[]'::jsonb else journal_posts_attempted end,
         pending_writes = case when ${elsewhere} then '{}'::jsonb else pending_writes end,
         sent_writes = case when ${elsewhere} then '{}'::jsonb else sent_writes end,
         destination_id = :destinationId,
         source_application_id = :sourceApplication,
         run = greatest(run, :run)
       where submission_id = :id
         and run <= :run
         and (lease_owner is null or lease_owner = :owner or lease_until < now()
              -- An outcome never changes: publishing it again needs no exclusive lease.
              or (answer is not null and run = :run))
       returning *
       ), left_behind as (
         insert into archive_writes_left_behind
           (submission_id, tenant_id, destination_id, case_number, case_created, journal_posts)
         select before.submission_id, before.tenant_id, before.destination_id, before.case_number,
                before.case_created, before.journal_posts
           from before join started using (submission_id)
          where before.run < :run and before.destination_id <> :destinationId and before.case_number is not null
         on conflict (submission_id, destination_id, case_number) do update
           set case_created = archive_writes_left_behind.case_created or excluded.case_created,
               journal_posts = archive_writes_left_behind.journal_posts || excluded.journal_posts
       )
       select * from started`,
      {
        owner,
        leaseMs: this.leaseMs,
        run: submission.run,
        destinationId,
        sourceApplication: submission.sourceApplication,
        id: submission.id,
      },
    );
    const row = rows[0];
    if (row) return toProgress(row);
    const current = await this.db("archive_progress").where({ submission_id: submission.id }).first("run");
    if (current && current.run > submission.run) return "superseded";
    throw new SubmissionBusyError(`submission ${submission.id} is being archived by another delivery`);
  }

  /** Saves progress if this delivery still holds the lease and nobody saved since; renews the lease. */
  async save(progress: Progress, options: { release?: boolean } = {}): Promise<void> {
    const [row] = await this.db("archive_progress")
      .where({ submission_id: progress.submissionId, lease_owner: progress.owner, version: progress.version })
      .update({
        case_system_id: progress.case?.systemId ?? null,
        case_number: progress.case?.caseNumber ?? null,
        case_created: progress.caseCreated,
        case_create_attempted: progress.caseCreateAttempted,
        files: JSON.stringify(progress.files),
        journal_posts: JSON.stringify(progress.journalPosts),
        journal_posts_attempted: JSON.stringify(progress.journalPostsAttempted),
        pending_writes: JSON.stringify(progress.pendingWrites),
        sent_writes: JSON.stringify(progress.sentWrites),
        attempts: progress.attempts,
        budget_from: progress.budgetFrom ?? null,
        last_error: progress.lastError,
        answer: progress.answer ? JSON.stringify(progress.answer) : null,
        version: this.db.raw("version + 1"),
        lease_owner: options.release ? null : progress.owner,
        lease_until: options.release ? null : this.#leaseEnd(),
        updated_at: this.db.fn.now(),
      })
      .returning("version");
    if (!row) throw new LeaseLostError(`the delivery archiving ${progress.submissionId} lost its lease`);
    progress.version = row.version;
  }

  /** Extends the lease while a long archive call runs; false when it is lost. */
  async renew(progress: Progress): Promise<boolean> {
    const renewed = await this.db("archive_progress")
      .where({ submission_id: progress.submissionId, lease_owner: progress.owner })
      .update({ lease_until: this.#leaseEnd() });
    return renewed > 0;
  }

  /**
   * What became of an earlier case submission of the same source application and destination: its archive case
   * once it is archived in full ("waiting" until then, "failed" when it never will be), or the case number an
   * operator resolved it with. A row from before owners were recorded is taken as the caller's: the gateway only
   * lets a source application name its own case submissions.
   */
  async caseOfSubmission(owner: CaseOwner, submissionId: string): Promise<CaseOfSubmission> {
    const row = await this.db("archive_progress")
      .where({ submission_id: submissionId, tenant_id: owner.tenantId, destination_id: owner.destinationId })
      .where((q) =>
        q.where({ source_application_id: owner.sourceApplicationId }).orWhereNull("source_application_id"),
      )
      .first(
        "case_system_id",
        "case_number",
        "resolved_case_number",
        this.db.raw("answer->>'topic' as outcome"),
        this.db.raw("answer->'value' as failure"),
      );
    if (row?.resolved_case_number) return { resolvedAs: row.resolved_case_number };
    if (row?.outcome === "failed") {
      const { code, message, retriable } = row.failure as CaseFailure;
      return { failed: { code, message, retriable } };
    }
    if (row?.outcome !== "completed" || !row.case_system_id) return "waiting";
    return { systemId: row.case_system_id, caseNumber: row.case_number };
  }

  /**
   * Where a submission that others wait for stands: "archiving" while it has no outcome and shows signs of life
   * (a delivery holds it, or it saved an attempt within `quietMs`), "done" once it has an outcome, "unknown" when
   * it never reached this adapter or has been silent for longer than any of its retries waits.
   */
  async submissionState(submissionId: string, quietMs: number): Promise<"archiving" | "done" | "unknown"> {
    const row = await this.db("archive_progress")
      .where({ submission_id: submissionId })
      .first(
        this.db.raw("answer is not null as done"),
        this.db.raw("(lease_until > now() or updated_at > now() - ? * interval '1 millisecond') as alive", [
          quietMs,
        ]),
      );
    if (!row) return "unknown";
    if (row.done) return "done";
    return row.alive ? "archiving" : "unknown";
  }

  /**
   * Whether the source application's submissions created or were filed into the case with this number, or an
   * operator resolved one of them with it.
   */
  async hasOwnCaseNumber(owner: CaseOwner, caseNumber: string): Promise<boolean> {
    return (await this.ownCaseNumbersAmong(owner, [caseNumber])).has(caseNumber);
  }

  /** Of these case numbers, those that are the source application's own in the same sense. */
  async ownCaseNumbersAmong(owner: CaseOwner, caseNumbers: readonly string[]): Promise<ReadonlySet<string>> {
    if (caseNumbers.length === 0) return new Set();
    const { rows } = await this.db.raw<{ rows: { case_number: string }[] }>(
      `select case_number from archive_progress
        where tenant_id = :tenant and source_application_id = :application and destination_id = :destination
          and case_number = any(:numbers)
       union
       select resolved_case_number from archive_progress
        where tenant_id = :tenant and source_application_id = :application and destination_id = :destination
          and resolved_case_number = any(:numbers)`,
      {
        tenant: owner.tenantId,
        application: owner.sourceApplicationId,
        destination: owner.destinationId,
        numbers: [...caseNumbers],
      },
    );
    return new Set(rows.map((row) => row.case_number));
  }

  /**
   * Of these case numbers, those that another submission created in the same archive (any source application),
   * also in a run before it went to another archive, or an operator resolved another submission with: never
   * taken for this submission's own lost create.
   */
  async casesCreatedByOthers(
    owner: CaseOwner,
    submissionId: string,
    caseNumbers: readonly string[],
  ): Promise<ReadonlySet<string>> {
    if (caseNumbers.length === 0) return new Set();
    const { rows } = await this.db.raw<{ rows: { case_number: string }[] }>(
      `select case_number from archive_progress
        where tenant_id = :tenant and destination_id = :destination and submission_id <> :submissionId
          and case_created and case_number = any(:numbers)
       union
       select resolved_case_number from archive_progress
        where tenant_id = :tenant and destination_id = :destination and submission_id <> :submissionId
          and resolved_case_number = any(:numbers)
       union
       select case_number from archive_writes_left_behind
        where tenant_id = :tenant and destination_id = :destination and submission_id <> :submissionId
          and case_created and case_number = any(:numbers)`,
      {
        tenant: owner.tenantId,
        destination: owner.destinationId,
        submissionId,
        numbers: [...caseNumbers],
      },
    );
    return new Set(rows.map((row) => row.case_number));
  }

  /**
   * Of these journal post numbers of a case, those that another submission added (any source application), also
   * in a run before it went to another archive: never taken for this submission's own lost add.
   */
  async journalPostsAddedByOthers(
    owner: CaseOwner,
    submissionId: string,
    caseNumber: string,
    numbers: readonly string[],
  ): Promise<ReadonlySet<string>> {
    if (numbers.length === 0) return new Set();
    const { rows } = await this.db.raw<{ rows: { number: string }[] }>(
      `select post->>'number' as number
         from archive_progress, jsonb_array_elements(journal_posts) as post
        where tenant_id = :tenant and destination_id = :destination and case_number = :caseNumber
          and submission_id <> :submissionId and post->>'number' = any(:numbers)
       union
       select post->>'number'
         from archive_writes_left_behind, jsonb_array_elements(journal_posts) as post
        where tenant_id = :tenant and destination_id = :destination and case_number = :caseNumber
          and submission_id <> :submissionId and post->>'number' = any(:numbers)`,
      {
        tenant: owner.tenantId,
        destination: owner.destinationId,
        caseNumber,
        submissionId,
        numbers: [...numbers],
      },
    );
    return new Set(rows.map((row) => row.number));
  }

  /**
   * An operator resolved a submission by hand as archived, with the case number it has in the archive: from now
   * on that case is its source application's, and journal posts to the submission go there.
   */
  async recordResolution(submissionId: string, caseNumber: string): Promise<void> {
    await this.db("archive_progress")
      .where({ submission_id: submissionId })
      .update({ resolved_case_number: caseNumber, updated_at: this.db.fn.now() });
  }

  /** Claims the search for these criteria, or answers who holds it and the case it settled on, if any. */
  async claimSearch(
    destinationId: string,
    criteria: string,
    submissionId: string,
  ): Promise<{ readonly holder: string; readonly case?: ArchivedCase }> {
    await this.db("archive_search_claims")
      .insert({ destination_id: destinationId, criteria, submission_id: submissionId })
      .onConflict(["destination_id", "criteria"])
      .ignore();
    const row = await this.db("archive_search_claims")
      .where({ destination_id: destinationId, criteria })
      .first();
    return {
      holder: row.submission_id,
      ...(row.case_system_id ? { case: { systemId: row.case_system_id, caseNumber: row.case_number } } : {}),
    };
  }

  /** The case the holder of a search claim found or created. */
  async settleSearch(
    destinationId: string,
    criteria: string,
    submissionId: string,
    archivedCase: ArchivedCase,
  ): Promise<void> {
    await this.db("archive_search_claims")
      .where({ destination_id: destinationId, criteria, submission_id: submissionId })
      .whereNull("case_system_id")
      .update({ case_system_id: archivedCase.systemId, case_number: archivedCase.caseNumber });
  }

  /** Lets go of a submission's unsettled search claims (it failed): the next submission searches afresh. */
  async releaseSearches(submissionId: string): Promise<void> {
    await this.db("archive_search_claims")
      .where({ submission_id: submissionId })
      .whereNull("case_system_id")
      .delete();
  }

  #leaseEnd() {
    return this.db.raw("now() + ? * interval '1 millisecond'", [this.leaseMs]);
  }
}

function toProgress(row: ProgressRow): Progress {
  return {
    submissionId: row.submission_id,
    owner: row.lease_owner,
    version: row.version,
    tenantId: row.tenant_id,
    destinationId: row.destination_id,
    run: row.run,
    ...(row.case_system_id && row.case_number
      ? { case: { systemId: row.case_system_id, caseNumber: row.case_number } }
      : {}),
    caseCreated: row.case_created,
    caseCreateAttempted: row.case_create_attempted,
    files: row.files,
    journalPosts: row.journal_posts,
    journalPostsAttempted: row.journal_posts_attempted,
    pendingWrites: row.pending_writes,
    sentWrites: Object.fromEntries(
      Object.entries(row.sent_writes).map(([key, sent]) => [
        key,
        { ...sent, firstSentAt: new Date(sent.firstSentAt), lastSentAt: new Date(sent.lastSentAt) },
      ]),
    ),
    attempts: row.attempts,
    firstAttemptAt: row.first_attempt_at,
    firstRunAt: row.first_run_at,
    ...(row.budget_from ? { budgetFrom: row.budget_from } : {}),
    lastError: row.last_error,
    ...(row.answer ? { answer: row.answer } : {}),
  };
}
