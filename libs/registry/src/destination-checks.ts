import type { Knex } from "knex";

/** A step of a connection check, in words an archivist can act on. */
export interface DestinationCheckStep {
  readonly step: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** A configured value the archive does not know, who is configured with it, and why it does not fit. */
export interface UnknownCode {
  readonly field: string;
  readonly value: string;
  readonly usedBy: readonly string[];
  readonly why: string;
}

/** What a connection check of an archive destination found. */
export interface DestinationCheckReport {
  readonly checkId: string;
  readonly tenantId: string;
  readonly destinationId: string;
  readonly requestedBy: string;
  readonly requestedAt: Date;
  readonly finishedAt: Date;
  /** Every step went well and the archive knows every configured code. */
  readonly passed: boolean;
  readonly steps: readonly DestinationCheckStep[];
  readonly unknownCodes: readonly UnknownCode[];
}

/** Who asked for a check of which destination, and when. */
export type DestinationCheckRequest = Pick<
  DestinationCheckReport,
  "checkId" | "tenantId" | "destinationId" | "requestedBy" | "requestedAt"
>;

/**
 * A check asked for and not reported on after this long is taken as never to be: the archive adapter serving
 * the destination's archive system is down, or not consuming (a check ends within its own deadline, 60 s by
 * default, well inside this). The admin API reads a request this old as expired, and the adapter skips one that
 * could not be reported before then.
 */
export const DESTINATION_CHECK_EXPIRES_AFTER_MS = 120_000;

/** A check as the admin API answers it: on its way, given up on (expired), or finished with its report. */
export type DestinationCheck =
  | UnfinishedDestinationCheck<"pending">
  | UnfinishedDestinationCheck<"expired">
  | FinishedDestinationCheck<"passed">
  | FinishedDestinationCheck<"failed">;

export interface UnfinishedDestinationCheck<S extends "pending" | "expired" = "pending" | "expired">
  extends DestinationCheckRequest {
  readonly status: S;
}

export interface FinishedDestinationCheck<S extends "passed" | "failed" = "passed" | "failed">
  extends DestinationCheckReport {
  readonly status: S;
}

/**
 * Whether a request made at `requestedAt` is too old to be run, or waited for, at `now`. A check about to start
 * that may run `runsForMs` more is too old already when it could be reported only after the admin API has read
 * it as expired: so "expired" is final.
 */
export function checkRequestExpired(requestedAt: Date, now: Date, runsForMs = 0): boolean {
  return now.getTime() - requestedAt.getTime() + runsForMs > DESTINATION_CHECK_EXPIRES_AFTER_MS;
}

/**
 * The connection checks of destinations: recorded pending when the admin API asks for one, then finished by the
 * archive adapter that runs it (once: a check run again after a redelivery keeps the first report). The CLI runs a
 * check in place and records only its report. The admin API and CLI read them.
 */
export class DestinationChecks {
  constructor(private readonly db: Knex) {}

  /** A check asked for (by the admin API, before it asks the archive adapter to run it). */
  async requested(request: DestinationCheckRequest): Promise<void> {
    await this.db("destination_checks")
      .insert({
        id: request.checkId,
        tenant_id: request.tenantId,
        destination_id: request.destinationId,
        requested_by: request.requestedBy,
        requested_at: request.requestedAt,
      })
      .onConflict("id")
      .ignore();
  }

  /** A check's report: finishes it, unless it already has a report. */
  async record(report: Omit<DestinationCheckReport, "finishedAt">): Promise<void> {
    await this.db("destination_checks")
      .insert({
        id: report.checkId,
        tenant_id: report.tenantId,
        destination_id: report.destinationId,
        requested_by: report.requestedBy,
        requested_at: report.requestedAt,
        finished_at: this.db.fn.now(),
        passed: report.passed,
        report: JSON.stringify({ steps: report.steps, unknownCodes: report.unknownCodes }),
      })
      .onConflict("id")
      .merge(["finished_at", "passed", "report"])
      .whereNull("destination_checks.finished_at");
  }

  /** One check of a destination of the tenant, as it stands at `now`; undefined when none was asked for. */
  async find(
    tenantId: string,
    destinationId: string,
    checkId: string,
    now: Date = new Date(),
  ): Promise<DestinationCheck | undefined> {
    const row = await this.db("destination_checks")
      .where({ id: checkId, tenant_id: tenantId, destination_id: destinationId })
      .first();
    if (!row) return undefined;
    if (row.finished_at === null) {
      const request = toRequest(row);
      return checkRequestExpired(request.requestedAt, now)
        ? { ...request, status: "expired" }
        : { ...request, status: "pending" };
    }
    const report = toReport(row);
    return report.passed ? { ...report, status: "passed" } : { ...report, status: "failed" };
  }

  /** The destination's latest finished checks, newest first. */
  async latest(tenantId: string, destinationId: string, limit = 10): Promise<DestinationCheckReport[]> {
    const rows = await this.db("destination_checks")
      .where({ tenant_id: tenantId, destination_id: destinationId })
      .whereNotNull("finished_at")
      .orderBy("finished_at", "desc")
      .limit(limit);
    return rows.map(toReport);
  }
}

function toRequest(row: Record<string, unknown>): DestinationCheckRequest {
  return {
    checkId: row.id as string,
    tenantId: row.tenant_id as string,
    destinationId: row.destination_id as string,
    requestedBy: row.requested_by as string,
    requestedAt: row.requested_at as Date,
  };
}

function toReport(row: Record<string, unknown>): DestinationCheckReport {
  const report = row.report as { steps: DestinationCheckStep[]; unknownCodes: UnknownCode[] };
  return {
    ...toRequest(row),
    finishedAt: row.finished_at as Date,
    passed: row.passed as boolean,
    steps: report.steps,
    unknownCodes: report.unknownCodes,
  };
}
