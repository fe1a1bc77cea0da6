import { integrationConfigurationSchema } from "@flyt/registry/configuration";
import type { ArchiveDestination } from "@flyt/schemas";
import type { Knex } from "knex";

import type { AppliedConfiguration } from "../../domain/decide";

/**
 * Completed configuration versions with their destination. A completed version never changes (Postgres refuses
 * it), so each is read once and kept; which version is active is read per submission, so an activation
 * applies to the next submission without a restart.
 */
export class ConfigurationVersions {
  readonly #known = new Map<string, Promise<AppliedConfiguration | undefined>>();

  constructor(private readonly db: Knex) {}

  get(tenantId: string, integrationId: string, version: number): Promise<AppliedConfiguration | undefined> {
    const key = `${tenantId}\u0000${integrationId}\u0000${version}`;
    let known = this.#known.get(key);
    if (!known) {
      known = this.#read(tenantId, integrationId, version);
      this.#known.set(key, known);
      // A failed read (Postgres away) is not remembered.
      known.then(
        (found) => {
          if (!found) this.#known.delete(key);
        },
        () => this.#known.delete(key),
      );
    }
    return known;
  }

  async #read(tenantId: string, integrationId: string, version: number) {
    const row = await this.db("integration_configurations as c")
      .join("archive_destinations as d", (on) =>
        on.on("d.tenant_id", "c.tenant_id").andOn("d.id", "c.destination_id"),
      )
      .where({ "c.tenant_id": tenantId, "c.integration_id": integrationId, "c.version": version })
      .first("c.content", "d.id as destination_id", "d.driver");
    if (!row) return undefined;
    // Checked again on the way out: a version written around the store (or before a rule existed) is refused
    // here rather than half-applied.
    const parsed = integrationConfigurationSchema.safeParse(row.content);
    if (!parsed.success) return undefined;
    return {
      version,
      configuration: parsed.data,
      destination: { id: row.destination_id as string, driver: row.driver as ArchiveDestination["driver"] },
    };
  }
}
