import type { Knex } from "knex";

export const auditActions = [
  "integration.state-changed",
  "configuration.draft-saved",
  "configuration.draft-deleted",
  "configuration.draft-completed",
  "configuration.version-activated",
  "submission.retry-requested",
  "submission.resolved",
  "submission.cancelled",
  "submissions.bulk-retry-requested",
  "callback.endpoint-enabled",
  "callback.delivery-resent",
  "callback.parked-replayed",
  "destination.check-requested",
] as const;
export type AuditAction = (typeof auditActions)[number];

/**
 * One change to an integration, its configuration or one of its submissions: who (an OAuth client id or a person),
 * what, and when.
 */
export interface AuditEntry {
  readonly at: Date;
  readonly actor: string;
  readonly action: AuditAction;
  readonly tenantId: string;
  readonly integrationId: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** The append-only record of changes made through the admin API. */
export class AuditLog {
  constructor(private readonly db: Knex) {}

  async record(entry: Omit<AuditEntry, "at">): Promise<void> {
    await this.db("audit_log").insert({
      actor: entry.actor,
      action: entry.action,
      tenant_id: entry.tenantId,
      integration_id: entry.integrationId,
      details: entry.details,
    });
  }

  /** An entry about a source application's callbacks (no one integration's). */
  async recordForSourceApplication(entry: {
    readonly actor: string;
    readonly action: AuditAction;
    readonly tenantId: string;
    readonly sourceApplicationId: string;
    readonly details: Readonly<Record<string, unknown>>;
  }): Promise<void> {
    await this.db("audit_log").insert({
      actor: entry.actor,
      action: entry.action,
      tenant_id: entry.tenantId,
      source_application_id: entry.sourceApplicationId,
      details: entry.details,
    });
  }

  /** An entry about an archive destination of a tenant (a connection check asked for, say). */
  async recordForDestination(entry: {
    readonly actor: string;
    readonly action: AuditAction;
    readonly tenantId: string;
    readonly destinationId: string;
    readonly details: Readonly<Record<string, unknown>>;
  }): Promise<void> {
    await this.db("audit_log").insert({
      actor: entry.actor,
      action: entry.action,
      tenant_id: entry.tenantId,
      destination_id: entry.destinationId,
      details: entry.details,
    });
  }

  /** A source application's entries (those about it, not its integrations'), newest first. */
  async sourceApplicationEntries(
    tenantId: string,
    sourceApplicationId: string,
    limit = 100,
  ): Promise<Omit<AuditEntry, "integrationId">[]> {
    const rows = await this.db("audit_log")
      .where({ tenant_id: tenantId, source_application_id: sourceApplicationId })
      .whereNull("integration_id")
      .orderBy("id", "desc")
      .limit(limit);
    return rows.map(toEntry);
  }

  /** An integration's entries, newest first. */
  async entries(tenantId: string, integrationId: string, limit = 100): Promise<AuditEntry[]> {
    const rows = await this.db("audit_log")
      .where({ tenant_id: tenantId, integration_id: integrationId })
      .orderBy("id", "desc")
      .limit(limit);
    return rows.map((row) => ({ ...toEntry(row), integrationId: row.integration_id }));
  }
}

function toEntry(row: Record<string, unknown>): Omit<AuditEntry, "integrationId"> {
  return {
    at: row.at as Date,
    actor: row.actor as string,
    action: row.action as AuditAction,
    tenantId: row.tenant_id as string,
    details: row.details as AuditEntry["details"],
  };
}
