import type { Knex } from "knex";
import {
  type ConfigurationIssue,
  type IntegrationConfiguration,
  integrationConfigurationSchema,
  parseConfiguration,
  storedConfiguration,
} from "./configuration";

/** A numbered, immutable configuration version, or the integration's one editable draft (version null). */
export interface ConfigurationVersion {
  readonly tenantId: string;
  readonly integrationId: string;
  readonly version: number | null;
  readonly configuration: IntegrationConfiguration;
  readonly completedAt: Date | null;
  readonly completedBy: string | null;
}

/** A completed version, without its content. */
export interface VersionSummary {
  readonly version: number;
  readonly completedAt: Date;
  readonly completedBy: string;
}

/** Where an integration's configuration stands: the version applied, a draft being edited, every version. */
export interface ConfigurationHistory {
  readonly activeVersion: number | null;
  readonly hasDraft: boolean;
  /** Oldest first. */
  readonly versions: readonly VersionSummary[];
}

export type SaveDraftOutcome =
  | { readonly outcome: "saved"; readonly configuration: IntegrationConfiguration }
  | { readonly outcome: "invalid"; readonly issues: readonly ConfigurationIssue[] }
  | { readonly outcome: "unknown-integration" }
  | { readonly outcome: "unknown-destination"; readonly destinationId: string };

export type CompleteDraftOutcome =
  | { readonly outcome: "completed"; readonly version: number }
  | { readonly outcome: "no-draft" };

const FOREIGN_KEY_VIOLATION = "23503";

/** Drafts, completed versions and the active version of integration configurations. */
export class ConfigurationStore {
  constructor(private readonly db: Knex) {}

  /**
   * Creates or replaces the integration's draft; the content is checked in full first. An invalid one is
   * answered with every issue, an unknown destination among them.
   */
  async saveDraft(tenantId: string, integrationId: string, input: unknown): Promise<SaveDraftOutcome> {
    const parsed = parseConfiguration(input);
    if (!parsed.ok) {
      const destinationId = integrationConfigurationSchema.shape.destinationId.safeParse(
        (input as { destinationId?: unknown } | null)?.destinationId,
      );
      const unknownDestination =
        destinationId.success && !(await this.#hasDestination(tenantId, destinationId.data));
      return {
        outcome: "invalid",
        issues: unknownDestination
          ? [...parsed.issues, unknownDestinationIssue(tenantId, destinationId.data)]
          : parsed.issues,
      };
    }
    const { destinationId } = parsed.configuration;
    if (!(await this.#hasDestination(tenantId, destinationId)))
      return { outcome: "unknown-destination", destinationId };
    try {
      await this.db("integration_configurations")
        .insert({ tenant_id: tenantId, integration_id: integrationId, content: parsed.configuration })
        .onConflict(this.db.raw("(tenant_id, integration_id) where version is null"))
        .merge({ content: parsed.configuration, updated_at: this.db.fn.now() });
      return { outcome: "saved", configuration: parsed.configuration };
    } catch (error) {
      const { code, constraint } = error as { code?: string; constraint?: string };
      // The destination can vanish between the check above and the insert: say so, not "unknown integration".
      if (
        code === FOREIGN_KEY_VIOLATION &&
        constraint === "integration_configurations_destination_of_same_tenant"
      )
        return { outcome: "unknown-destination", destinationId };
      if (code === FOREIGN_KEY_VIOLATION) return { outcome: "unknown-integration" };
      throw error;
    }
  }

  /** Throws the draft away; false when there was none. Completed versions are never deleted. */
  async deleteDraft(tenantId: string, integrationId: string): Promise<boolean> {
    const deleted = await this.db("integration_configurations")
      .where({ tenant_id: tenantId, integration_id: integrationId })
      .whereNull("version")
      .delete();
    return deleted > 0;
  }

  /** Numbers the draft with the next version; from then on it cannot change. */
  completeDraft(tenantId: string, integrationId: string, completedBy: string): Promise<CompleteDraftOutcome> {
    return this.db.transaction(async (trx) => {
      // Locking the integration serialises completions: the latest number read here is still the latest when used.
      const integration = await trx("integrations")
        .where({ tenant_id: tenantId, integration_id: integrationId })
        .forUpdate()
        .first("integration_id");
      if (!integration) return { outcome: "no-draft" } as const;
      const { latest } = (await trx("integration_configurations")
        .where({ tenant_id: tenantId, integration_id: integrationId })
        .max("version as latest")
        .first()) as { latest: number | null };
      const version = (latest ?? 0) + 1;
      const completed = await trx("integration_configurations")
        .where({ tenant_id: tenantId, integration_id: integrationId })
        .whereNull("version")
        .update({ version, completed_at: trx.fn.now(), completed_by: completedBy, updated_at: trx.fn.now() });
      return completed === 0
        ? ({ outcome: "no-draft" } as const)
        : ({ outcome: "completed", version } as const);
    });
  }

  /** Makes a completed version the one the validation service applies; false when there is no such version. */
  async activate(tenantId: string, integrationId: string, version: number): Promise<boolean> {
    try {
      const updated = await this.db("integrations")
        .where({ tenant_id: tenantId, integration_id: integrationId })
        .update({ active_configuration_version: version, updated_at: this.db.fn.now() });
      return updated > 0;
    } catch (error) {
      if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) return false;
      throw error;
    }
  }

  async active(tenantId: string, integrationId: string): Promise<ConfigurationVersion | undefined> {
    const row = await this.db("integration_configurations as c")
      .join("integrations as i", (on) =>
        on
          .on("i.tenant_id", "c.tenant_id")
          .andOn("i.integration_id", "c.integration_id")
          .andOn("i.active_configuration_version", "c.version"),
      )
      .where({ "c.tenant_id": tenantId, "c.integration_id": integrationId })
      .first("c.*");
    return row && toVersion(row);
  }

  async version(
    tenantId: string,
    integrationId: string,
    version: number,
  ): Promise<ConfigurationVersion | undefined> {
    const row = await this.db("integration_configurations")
      .where({ tenant_id: tenantId, integration_id: integrationId, version })
      .first();
    return row && toVersion(row);
  }

  async history(tenantId: string, integrationId: string): Promise<ConfigurationHistory> {
    const [integration, rows] = await Promise.all([
      this.db("integrations")
        .where({ tenant_id: tenantId, integration_id: integrationId })
        .first("active_configuration_version"),
      this.db("integration_configurations")
        .where({ tenant_id: tenantId, integration_id: integrationId })
        .orderByRaw("version nulls first")
        .select("version", "completed_at", "completed_by"),
    ]);
    const versions = rows.filter((row) => row.version !== null);
    return {
      activeVersion: integration?.active_configuration_version ?? null,
      hasDraft: versions.length < rows.length,
      versions: versions.map((row) => ({
        version: row.version,
        completedAt: row.completed_at,
        completedBy: row.completed_by,
      })),
    };
  }

  /** The active version of each of a tenant's integrations that has one, by integration id. */
  async activeVersions(tenantId: string): Promise<Map<string, number>> {
    const rows = await this.db("integrations")
      .where({ tenant_id: tenantId })
      .whereNotNull("active_configuration_version")
      .select("integration_id", "active_configuration_version");
    return new Map(rows.map((row) => [row.integration_id, row.active_configuration_version]));
  }

  /**
   * The configurations that send a tenant's submissions to a destination, or are being prepared to: each
   * integration's active version and its draft, as they read today.
   */
  async usingDestination(tenantId: string, destinationId: string): Promise<ConfigurationVersion[]> {
    const rows = await this.db("integration_configurations as c")
      .join("integrations as i", (on) =>
        on.on("i.tenant_id", "c.tenant_id").andOn("i.integration_id", "c.integration_id"),
      )
      .where({ "c.tenant_id": tenantId, "c.destination_id": destinationId })
      .where((q) => q.whereNull("c.version").orWhereRaw("c.version = i.active_configuration_version"))
      .orderBy(["c.integration_id", "c.version"])
      .select("c.*");
    return rows.map(toVersion);
  }

  async #hasDestination(tenantId: string, destinationId: string): Promise<boolean> {
    const destination = await this.db("archive_destinations")
      .where({ id: destinationId, tenant_id: tenantId })
      .first("id");
    return destination !== undefined;
  }

  async draft(tenantId: string, integrationId: string): Promise<ConfigurationVersion | undefined> {
    const row = await this.db("integration_configurations")
      .where({ tenant_id: tenantId, integration_id: integrationId })
      .whereNull("version")
      .first();
    return row && toVersion(row);
  }
}

/** The issue of a configuration naming an archive destination its tenant does not have. */
export function unknownDestinationIssue(tenantId: string, destinationId: string): ConfigurationIssue {
  return {
    code: "unknown-destination",
    pointer: "/destinationId",
    message: `${tenantId} has no archive destination ${destinationId}`,
  };
}

function toVersion(row: Record<string, unknown>): ConfigurationVersion {
  return {
    tenantId: row.tenant_id as string,
    integrationId: row.integration_id as string,
    version: (row.version as number | null) ?? null,
    configuration: storedConfiguration(row.content),
    completedAt: (row.completed_at as Date | null) ?? null,
    completedBy: (row.completed_by as string | null) ?? null,
  };
}
