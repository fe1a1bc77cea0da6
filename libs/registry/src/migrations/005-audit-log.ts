import type { Knex } from "knex";

/**
 * Who changed an integration or its configuration, what, and when. Append-only: Postgres refuses to change or
 * delete an entry, so the record holds even against a direct write.
 */
export const auditLog = {
  name: "005-audit-log",
  async up(db: Knex): Promise<void> {
    await db.schema.createTable("audit_log", (t) => {
      t.bigIncrements("id").primary();
      t.timestamp("at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.text("actor").notNullable();
      t.text("action").notNullable();
      t.text("tenant_id").notNullable();
      t.text("integration_id").notNullable();
      t.jsonb("details").notNullable().defaultTo("{}");
      t.index(["tenant_id", "integration_id", "id"], "audit_log_by_integration");
    });
    await db.raw(`
      create function flyt_audit_log_is_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log entries cannot be changed or deleted'
          using errcode = 'object_not_in_prerequisite_state';
      end $$`);
    await db.raw(`
      create trigger audit_log_append_only
        before update or delete on audit_log
        for each row execute function flyt_audit_log_is_append_only()`);
  },
  async down(db: Knex): Promise<void> {
    await db.schema.dropTable("audit_log");
    await db.raw("drop function flyt_audit_log_is_append_only()");
  },
};
