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

  /** An integration's entries, newest first. */
  async entries(tenantId: string, integrationId: string, limit = 100): Promise<AuditEntry[]> {
    const rows = await this.db("audit_log")
      .where({ tenant_id: tenantId, integration_id: integrationId })
      .orderBy("id", "desc")
      .limit(limit);
    return rows.map((row) => ({
      at: row.at,
      actor: row.actor,
      action: row.action,
      tenantId: row.tenant_id,
      integrationId: row.integration_id,
      details: row.details,
    }));
  }
}
