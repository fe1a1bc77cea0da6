import type { Knex } from "knex";

/**
 * Two guarantees the earlier migrations left open. Every configuration version names its destination (a version
 * from before 004 whose integration had none would otherwise be completed but never applicable: this migration
 * then fails on the constraint, and such versions need a new version that names one). And the audit log cannot
 * be emptied with TRUNCATE, which row triggers do not see.
 */
export const requiredDestinationAndUntruncatableAudit = {
  name: "006-required-destination-and-untruncatable-audit",
  async up(db: Knex): Promise<void> {
    await db.raw(`
      alter table integration_configurations
        add constraint integration_configurations_names_destination check (destination_id is not null)`);
    await db.raw(`
      create trigger audit_log_not_truncated
        before truncate on audit_log
        for each statement execute function flyt_audit_log_is_append_only()`);
  },
  async down(db: Knex): Promise<void> {
    await db.raw("drop trigger audit_log_not_truncated on audit_log");
    await db.raw(
      "alter table integration_configurations drop constraint integration_configurations_names_destination",
    );
  },
};
