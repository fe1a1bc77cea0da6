import type { Knex } from "knex";

/**
 * Connection checks of archive destinations (can the archive be reached, does it take our credentials, does it
 * know every configured code), each asked for by someone and run by the archive adapter that serves the
 * destination, and the report it made. Audit entries may now be about a destination too.
 */
export const destinationChecks = {
  name: "008-destination-checks",
  async up(db: Knex): Promise<void> {
    await db.schema.createTable("destination_checks", (t) => {
      t.uuid("id").primary();
      t.text("tenant_id").notNullable().references("tenants.id");
      t.text("destination_id").notNullable().references("archive_destinations.id");
      t.text("requested_by").notNullable();
      t.timestamp("requested_at", { useTz: true }).notNullable();
      t.timestamp("finished_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.boolean("passed").notNullable();
      /** The steps taken and every configured code the archive does not know. */
      t.jsonb("report").notNullable();
      t.index(["tenant_id", "destination_id", "finished_at"]);
    });
    await db.schema.alterTable("audit_log", (t) => {
      t.text("destination_id").nullable();
    });
    await db.raw("alter table audit_log drop constraint audit_log_names_its_subject");
    await db.raw(`
      alter table audit_log add constraint audit_log_names_its_subject
        check (integration_id is not null or source_application_id is not null or destination_id is not null)`);
  },
  async down(db: Knex): Promise<void> {
    await db.raw("alter table audit_log drop constraint audit_log_names_its_subject");
    await db.raw(`
      alter table audit_log add constraint audit_log_names_its_subject
        check (integration_id is not null or source_application_id is not null)`);
    await db.schema.alterTable("audit_log", (t) => {
      t.dropColumn("destination_id");
    });
    await db.schema.dropTable("destination_checks");
  },
};
