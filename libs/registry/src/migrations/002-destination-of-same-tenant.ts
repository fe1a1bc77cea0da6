import type { Knex } from "knex";

/**
 * An integration may only archive into an archive destination of its own tenant: a county's documents must
 * never be routed to another county's archive, whoever edits the registry.
 */
export const destinationOfSameTenant = {
  name: "002-destination-of-same-tenant",
  async up(db: Knex): Promise<void> {
    await db.schema.alterTable("archive_destinations", (t) => {
      t.unique(["tenant_id", "id"], { indexName: "archive_destinations_tenant_id_id_unique" });
    });
    await db.schema.alterTable("integrations", (t) => {
      t.foreign(["tenant_id", "destination_id"], "integrations_destination_of_same_tenant")
        .references(["tenant_id", "id"])
        .inTable("archive_destinations");
    });
  },
  async down(db: Knex): Promise<void> {
    await db.schema.alterTable("integrations", (t) => {
      t.dropForeign(["tenant_id", "destination_id"], "integrations_destination_of_same_tenant");
    });
    await db.schema.alterTable("archive_destinations", (t) => {
      t.dropUnique(["tenant_id", "id"], "archive_destinations_tenant_id_id_unique");
    });
  },
};
