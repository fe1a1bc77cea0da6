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

/**
 * The reports of destinations' connection checks. The archive adapter that runs a check records it (once: a check
 * run again after a redelivery keeps the first report); the admin API and CLI read them.
 */
export class DestinationChecks {
  constructor(private readonly db: Knex) {}

  async record(report: Omit<DestinationCheckReport, "finishedAt">): Promise<void> {
    await this.db("destination_checks")
      .insert({
        id: report.checkId,
        tenant_id: report.tenantId,
        destination_id: report.destinationId,
        requested_by: report.requestedBy,
        requested_at: report.requestedAt,
        passed: report.passed,
        report: JSON.stringify({ steps: report.steps, unknownCodes: report.unknownCodes }),
      })
      .onConflict("id")
      .ignore();
  }

  /** One check of a destination of the tenant; undefined while it has not finished (or is another's). */
  async find(
    tenantId: string,
    destinationId: string,
    checkId: string,
  ): Promise<DestinationCheckReport | undefined> {
    const row = await this.db("destination_checks")
      .where({ id: checkId, tenant_id: tenantId, destination_id: destinationId })
      .first();
    return row && toReport(row);
  }

  /** The destination's latest checks, newest first. */
  async latest(tenantId: string, destinationId: string, limit = 10): Promise<DestinationCheckReport[]> {
    const rows = await this.db("destination_checks")
      .where({ tenant_id: tenantId, destination_id: destinationId })
      .orderBy("finished_at", "desc")
      .limit(limit);
    return rows.map(toReport);
  }
}

function toReport(row: Record<string, unknown>): DestinationCheckReport {
  const report = row.report as { steps: DestinationCheckStep[]; unknownCodes: UnknownCode[] };
  return {
    checkId: row.id as string,
    tenantId: row.tenant_id as string,
    destinationId: row.destination_id as string,
    requestedBy: row.requested_by as string,
    requestedAt: row.requested_at as Date,
    finishedAt: row.finished_at as Date,
    passed: row.passed as boolean,
    steps: report.steps,
    unknownCodes: report.unknownCodes,
  };
}
