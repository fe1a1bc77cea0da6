import type { Knex } from "knex";

/**
 * Versioned integration configurations. A draft has no version number and may be edited; completing it numbers
 * it, and from then on Postgres refuses to change or delete it, so a submission's recorded version always
 * means the same thing. One completed version per integration is active.
 */
export const integrationConfigurations = {
  name: "003-integration-configurations",
  async up(db: Knex): Promise<void> {
    await db.schema.createTable("integration_configurations", (t) => {
      t.bigIncrements("id").primary();
      t.text("tenant_id").notNullable();
      t.text("integration_id").notNullable();
      t.integer("version").nullable().checkPositive();
      t.jsonb("content").notNullable();
      t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp("completed_at", { useTz: true }).nullable();
      t.text("completed_by").nullable();
      t.foreign(["tenant_id", "integration_id"])
        .references(["tenant_id", "integration_id"])
        .inTable("integrations");
      t.unique(["tenant_id", "integration_id", "version"], {
        indexName: "integration_configurations_version_unique",
      });
    });
    await db.raw(`
      alter table integration_configurations
        add constraint integration_configurations_completed_has_version
        check ((version is null) = (completed_at is null) and (version is null) = (completed_by is null))`);
    await db.raw(`
      create unique index integration_configurations_one_draft
        on integration_configurations (tenant_id, integration_id) where version is null`);
    await db.raw(`
      create function flyt_completed_configuration_is_immutable() returns trigger language plpgsql as $$
      begin
        if old.version is not null then
          raise exception 'configuration version % of %/% is completed and cannot change',
            old.version, old.tenant_id, old.integration_id using errcode = 'object_not_in_prerequisite_state';
        end if;
        return case when tg_op = 'DELETE' then old else new end;
      end $$`);
    await db.raw(`
      create trigger integration_configurations_immutable
        before update or delete on integration_configurations
        for each row execute function flyt_completed_configuration_is_immutable()`);
    await db.schema.alterTable("integrations", (t) => {
      t.integer("active_configuration_version").nullable();
      t.foreign(
        ["tenant_id", "integration_id", "active_configuration_version"],
        "integrations_active_configuration",
      )
        .references(["tenant_id", "integration_id", "version"])
        .inTable("integration_configurations");
    });
  },
  async down(db: Knex): Promise<void> {
    await db.schema.alterTable("integrations", (t) => {
      t.dropForeign(
        ["tenant_id", "integration_id", "active_configuration_version"],
        "integrations_active_configuration",
      );
      t.dropColumn("active_configuration_version");
    });
    await db.schema.dropTable("integration_configurations");
    await db.raw("drop function flyt_completed_configuration_is_immutable()");
  },
};
