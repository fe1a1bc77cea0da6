import type { SubmissionStatus, ValidationError } from "@flyt/schemas";
import type { Knex } from "knex";

/** A submission's status as the read model has it, with the statuses it went through, oldest first. */
export interface ProjectedStatus {
  readonly submissionId: string;
  /** Whose it is: the county, the source application and its integration. */
  readonly tenantId: string;
  readonly sourceApplicationId: string;
  readonly integrationId: string;
  readonly sourceInstanceId: string;
  readonly kind: "CASE" | "JOURNAL_POSTS";
  /** 1, then one more for each operator retry. */
  readonly run: number;
  readonly status: SubmissionStatus;
  readonly caseNumber: string | null;
  readonly journalPostNumbers: readonly string[];
  readonly errors: readonly ValidationError[];
  readonly configurationVersion: number | null;
  readonly history: readonly StatusStep[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The statuses a submission ends in: a source system stops polling, and nothing moves it back. */
export const terminalStatuses: ReadonlySet<SubmissionStatus> = new Set([
  "ARCHIVED",
  "REJECTED",
  "FAILED",
  "CANCELLED",
]);

/** A status a submission went through, and when. */
export interface StatusStep {
  readonly status: SubmissionStatus;
  readonly at: Date;
}

/**
 * SQL for a submission's history as a JSON array of `{ status, at }`, for the submission whose id is
 * `submissionIdColumn`: so a read that also needs other tables (the gateway's polling) takes it in one query. The
 * steps are listed in the order the projection showed them, so a history only ever grows at its end; events it
 * holds back or never shows (see the status projection) are not listed.
 */
export function historyJson(submissionIdColumn: string): string {
  return `(select coalesce(json_agg(json_build_object('status', h.status, 'at', h.at) order by h.position), '[]')
            from submission_status_history h
           where h.submission_id = ${submissionIdColumn} and h.position is not null)`;
}

/**
 * A `submission_status` row (as columns, or as JSON from `row_to_json`) with its `history` (from `historyJson`),
 * as the reader answers it.
 */
export function toProjectedStatus(row: Record<string, unknown>): ProjectedStatus {
  return {
    submissionId: row.submission_id as string,
    tenantId: row.tenant_id as string,
    sourceApplicationId: row.source_application_id as string,
    integrationId: row.integration_id as string,
    sourceInstanceId: row.source_instance_id as string,
    kind: row.kind as ProjectedStatus["kind"],
    run: row.run as number,
    status: row.status as SubmissionStatus,
    caseNumber: (row.case_number as string | null) ?? null,
    journalPostNumbers: row.journal_post_numbers as string[],
    errors: row.errors as ValidationError[],
    configurationVersion: (row.configuration_version as number | null) ?? null,
    history: (row.history as { status: SubmissionStatus; at: string }[]).map((step) => ({
      status: step.status,
      at: new Date(step.at),
    })),
    // A Date from a column, a string from a JSON row.
    createdAt: new Date(row.created_at as Date | string),
    updatedAt: new Date(row.updated_at as Date | string),
  };
}

/** One submission in the console's list. */
export interface SubmissionSummary {
  readonly submissionId: string;
  readonly sourceInstanceId: string;
  readonly kind: string;
  readonly run: number;
  readonly status: SubmissionStatus;
  readonly caseNumber: string | null;
  /** Why it was rejected or failed, in plain words: what an archivist needs to decide on a retry. */
  readonly errors: readonly ValidationError[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface SubmissionFilter {
  readonly status?: SubmissionStatus;
  /** Only those whose errors include this code, e.g. `archive-unavailable`. */
  readonly errorCode?: string;
  /** Updated at or after. */
  readonly from?: Date;
  /** Updated before. */
  readonly to?: Date;
  readonly limit: number;
  /** Continues a list after its last item (from `next`). */
  readonly after?: string;
}

/**
 * Reads the status read model: one submission for polling (ownership is the caller's to check), and an
 * integration's submissions for the operator console (counts per status, and lists newest first, paged by a
 * cursor so a page costs the same at any depth).
 */
export class StatusReader {
  constructor(private readonly db: Knex) {}

  /** One submission with its history, in one round trip. */
  async status(submissionId: string): Promise<ProjectedStatus | undefined> {
    const row = await this.db("submission_status as s")
      .where({ "s.submission_id": submissionId })
      .first("s.*", this.db.raw(`${historyJson("s.submission_id")} as history`));
    return row && toProjectedStatus(row);
  }

  /** How many of an integration's submissions are in each status, among those updated in the period. */
  async counts(
    tenantId: string,
    integrationId: string,
    period: { readonly from: Date; readonly to: Date },
  ): Promise<Partial<Record<SubmissionStatus, number>>> {
    const rows: { status: SubmissionStatus; n: string }[] = await this.db("submission_status")
      .where({ tenant_id: tenantId, integration_id: integrationId })
      .andWhere("updated_at", ">=", period.from)
      .andWhere("updated_at", "<", period.to)
      .groupBy("status")
      .select("status", this.db.raw("count(*) as n"));
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
  }

  /** How many of a tenant's submissions are in each status, per integration, among those updated in the period. */
  async countsByIntegration(
    tenantId: string,
    period: { readonly from: Date; readonly to: Date },
  ): Promise<Record<string, Partial<Record<SubmissionStatus, number>>>> {
    const rows: { integration_id: string; status: SubmissionStatus; n: string }[] = await this.db(
      "submission_status",
    )
      .where({ tenant_id: tenantId })
      .andWhere("updated_at", ">=", period.from)
      .andWhere("updated_at", "<", period.to)
      .groupBy("integration_id", "status")
      .select("integration_id", "status", this.db.raw("count(*) as n"));
    const counts: Record<string, Partial<Record<SubmissionStatus, number>>> = {};
    for (const row of rows) {
      counts[row.integration_id] = { ...counts[row.integration_id], [row.status]: Number(row.n) };
    }
    return counts;
  }

  /** An integration's submissions, newest first; `next` continues the list when there are more. */
  async list(
    tenantId: string,
    integrationId: string,
    filter: SubmissionFilter,
  ): Promise<{ readonly items: SubmissionSummary[]; readonly next?: string }> {
    let query = this.db("submission_status").where({ tenant_id: tenantId, integration_id: integrationId });
    if (filter.status) query = query.andWhere("status", filter.status);
    if (filter.errorCode) {
      query = query.andWhereRaw("errors @> ?::jsonb", [JSON.stringify([{ code: filter.errorCode }])]);
    }
    if (filter.from) query = query.andWhere("updated_at", ">=", filter.from);
    if (filter.to) query = query.andWhere("updated_at", "<", filter.to);
    const after = filter.after ? decodeCursor(filter.after) : undefined;
    if (after) {
      query = query.andWhereRaw("(updated_at, submission_id) < (?, ?)", [
        after.updatedAt,
        after.submissionId,
      ]);
    }
    const rows = await query
      .orderBy([
        { column: "updated_at", order: "desc" },
        { column: "submission_id", order: "desc" },
      ])
      .limit(filter.limit + 1)
      .select(
        "submission_id",
        "source_instance_id",
        "kind",
        "run",
        "status",
        "case_number",
        "errors",
        "created_at",
        "updated_at",
      );
    const items: SubmissionSummary[] = rows.slice(0, filter.limit).map((row) => ({
      submissionId: row.submission_id,
      sourceInstanceId: row.source_instance_id,
      kind: row.kind,
      run: row.run,
      status: row.status,
      caseNumber: row.case_number,
      errors: row.errors,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
    const last = items.at(-1);
    return rows.length > filter.limit && last ? { items, next: encodeCursor(last) } : { items };
  }
}

/** A position in a list: the last item's update time and id, opaque to callers. */
function encodeCursor(item: SubmissionSummary): string {
  return Buffer.from(JSON.stringify([item.updatedAt.toISOString(), item.submissionId])).toString("base64url");
}

/** A submission id (`sub_` and a ULID from the gateway): nothing Postgres would refuse as text, such as NUL. */
const SUBMISSION_ID = /^[\w-]{1,64}$/;

/** Undefined for anything that is not a cursor this reader made. */
export function decodeCursor(cursor: string): { updatedAt: Date; submissionId: string } | undefined {
  try {
    const [updatedAt, submissionId] = JSON.parse(
      Buffer.from(cursor, "base64url").toString("utf8"),
    ) as unknown[];
    const at = new Date(String(updatedAt));
    return typeof submissionId === "string" && SUBMISSION_ID.test(submissionId) && !Number.isNaN(at.getTime())
      ? { updatedAt: at, submissionId }
      : undefined;
  } catch {
    return undefined;
  }
}
