import type { Knex } from "knex";

/**
 * The archive destination becomes part of each configuration version (moving an integration to a new archive
 * is a new version, like any other change) instead of a column of the integration. A stored generated column
 * exposes it to a foreign key, so a version can only name a destination of its own tenant. Versions written
 * before this take the integration's destination, the one they were applied with.
 */
export const destinationPerConfigurationVersion = {
  name: "004-destination-per-configuration-version",
  async up(db: Knex): Promise<void> {
    await db.raw(
      "alter table integration_configurations disable trigger integration_configurations_immutable",
    );
    await db.raw(`
      update integration_configurations c
         set content = c.content || jsonb_build_object('destinationId', i.destination_id)
        from integrations i
       where i.tenant_id = c.tenant_id and i.integration_id = c.integration_id
         and i.destination_id is not null and c.content->>'destinationId' is null`);
    await db.raw(
      "alter table integration_configurations enable trigger integration_configurations_immutable",
    );
    await db.raw(`
      alter table integration_configurations
        add column destination_id text generated always as (content->>'destinationId') stored`);
    await db.schema.alterTable("integration_configurations", (t) => {
      t.foreign(["tenant_id", "destination_id"], "integration_configurations_destination_of_same_tenant")
        .references(["tenant_id", "id"])
        .inTable("archive_destinations");
    });
    await db.schema.alterTable("integrations", (t) => {
      t.dropForeign(["tenant_id", "destination_id"], "integrations_destination_of_same_tenant");
      t.dropColumn("destination_id");
    });
  },
  async down(db: Knex): Promise<void> {
    await db.schema.alterTable("integrations", (t) => {
      t.text("destination_id").nullable().references("archive_destinations.id");
      t.foreign(["tenant_id", "destination_id"], "integrations_destination_of_same_tenant")
        .references(["tenant_id", "id"])
        .inTable("archive_destinations");
    });
    await db.raw(`
      update integrations i set destination_id = c.destination_id
        from integration_configurations c
       where c.tenant_id = i.tenant_id and c.integration_id = i.integration_id
         and c.version = i.active_configuration_version`);
    await db.schema.alterTable("integration_configurations", (t) => {
      t.dropForeign(["tenant_id", "destination_id"], "integration_configurations_destination_of_same_tenant");
      t.dropColumn("destination_id");
    });
  },
};
