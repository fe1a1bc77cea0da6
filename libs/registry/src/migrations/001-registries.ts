import type { Knex } from "knex";

const SLUG = "^[a-z][a-z0-9-]{1,62}$";

/** Tenants, their archive destinations, source applications, OAuth clients and integrations. */
export const registries = {
  name: "001-registries",
  async up(db: Knex): Promise<void> {
    await db.schema.createTable("tenants", (t) => {
      t.text("id").primary().checkRegex(SLUG);
      t.text("name").notNullable();
      t.text("organisation_number").nullable().checkRegex("^[0-9]{9}$");
      t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
    });
    await db.schema.createTable("archive_destinations", (t) => {
      t.text("id").primary().checkRegex(SLUG);
      t.text("tenant_id").notNullable().references("tenants.id");
      t.text("name").notNullable();
      t.text("driver").notNullable().checkIn(["FINT", "NOARK5", "SIMULATOR"]);
      t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
    });
    await db.schema.createTable("source_applications", (t) => {
      t.text("id").primary().checkRegex(SLUG);
      t.text("name").notNullable();
      t.text("vendor").nullable();
      t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
    });
    await db.schema.createTable("oauth_clients", (t) => {
      t.text("client_id").primary();
      t.text("tenant_id").notNullable().references("tenants.id");
      t.text("source_application_id").notNullable().references("source_applications.id");
      t.text("environment").notNullable().checkIn(["test", "production"]);
      t.text("description").nullable();
      t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp("revoked_at", { useTz: true }).nullable();
      t.index(["tenant_id", "source_application_id"]);
    });
    await db.schema.createTable("integrations", (t) => {
      t.text("tenant_id").notNullable().references("tenants.id");
      t.text("integration_id").notNullable().checkRegex(SLUG);
      t.text("source_application_id").notNullable().references("source_applications.id");
      t.text("name").notNullable();
      t.text("state").notNullable().checkIn(["ACTIVE", "PILOT", "IN_DEVELOPMENT", "DEACTIVATED"]);
      t.text("destination_id").nullable().references("archive_destinations.id");
      t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(db.fn.now());
      // integrationId is unique per tenant: idempotency is keyed by (tenant, integrationId, sourceInstanceId).
      t.primary(["tenant_id", "integration_id"]);
      t.index(["tenant_id", "source_application_id"]);
    });
  },
  async down(db: Knex): Promise<void> {
    for (const table of [
      "integrations",
      "oauth_clients",
      "source_applications",
      "archive_destinations",
      "tenants",
    ]) {
      await db.schema.dropTable(table);
    }
  },
};
