import type { Knex } from "knex";

/**
 * Audit entries about a source application of a tenant rather than one integration: what operators do to its
 * callbacks (re-enable the endpoint, resend a delivery, replay what was parked). Such an entry names the source
 * application and no integration; every entry names one or the other.
 */
export const auditLogSourceApplication = {
  name: "007-audit-log-source-application",
  async up(db: Knex): Promise<void> {
    await db.schema.alterTable("audit_log", (t) => {
      t.text("source_application_id").nullable();
      t.index(["tenant_id", "source_application_id", "id"], "audit_log_by_source_application");
    });
    await db.raw("alter table audit_log alter column integration_id drop not null");
    await db.raw(`
      alter table audit_log add constraint audit_log_names_its_subject
        check (integration_id is not null or source_application_id is not null)`);
  },
  async down(db: Knex): Promise<void> {
    await db.raw("alter table audit_log drop constraint audit_log_names_its_subject");
    await db.raw("alter table audit_log alter column integration_id set not null");
    await db.schema.alterTable("audit_log", (t) => {
      t.dropIndex([], "audit_log_by_source_application");
      t.dropColumn("source_application_id");
    });
  },
};
