import type { Knex } from "knex";
import type {
  AddOutcome,
  ArchiveDestination,
  Integration,
  IntegrationState,
  OAuthClient,
  SourceApplication,
  Tenant,
} from "./model";

/** Reads and writes the registries. Rows are mapped to the model here and nowhere else. */
export class RegistryStore {
  constructor(private readonly db: Knex) {}

  addTenant(tenant: Tenant): Promise<AddOutcome> {
    return this.#insert("tenants", {
      id: tenant.id,
      name: tenant.name,
      organisation_number: tenant.organisationNumber,
    });
  }

  addDestination(destination: ArchiveDestination): Promise<AddOutcome> {
    return this.#insert("archive_destinations", {
      id: destination.id,
      tenant_id: destination.tenantId,
      name: destination.name,
      driver: destination.driver,
    });
  }

  addSourceApplication(application: SourceApplication): Promise<AddOutcome> {
    return this.#insert("source_applications", {
      id: application.id,
      name: application.name,
      vendor: application.vendor,
    });
  }

  addClient(client: Omit<OAuthClient, "revokedAt">): Promise<AddOutcome> {
    return this.#insert("oauth_clients", {
      client_id: client.clientId,
      tenant_id: client.tenantId,
      source_application_id: client.sourceApplicationId,
      environment: client.environment,
      description: client.description,
    });
  }

  addIntegration(integration: Integration): Promise<AddOutcome> {
    return this.#insert("integrations", {
      tenant_id: integration.tenantId,
      integration_id: integration.integrationId,
      source_application_id: integration.sourceApplicationId,
      name: integration.name,
      state: integration.state,
    });
  }

  /** False when no such integration exists. */
  async setIntegrationState(
    tenantId: string,
    integrationId: string,
    state: IntegrationState,
  ): Promise<boolean> {
    const updated = await this.db("integrations")
      .where({ tenant_id: tenantId, integration_id: integrationId })
      .update({ state, updated_at: this.db.fn.now() });
    return updated > 0;
  }

  async clientById(clientId: string): Promise<OAuthClient | undefined> {
    const row = await this.db("oauth_clients").where({ client_id: clientId }).first();
    return row && toClient(row);
  }

  async integration(tenantId: string, integrationId: string): Promise<Integration | undefined> {
    const row = await this.db("integrations")
      .where({ tenant_id: tenantId, integration_id: integrationId })
      .first();
    return row && toIntegration(row);
  }

  async tenant(tenantId: string): Promise<Tenant | undefined> {
    const row = await this.db("tenants").where({ id: tenantId }).first();
    return row && { id: row.id, name: row.name, organisationNumber: row.organisation_number };
  }

  async tenants(): Promise<Tenant[]> {
    const rows = await this.db("tenants").orderBy("id");
    return rows.map((row) => ({ id: row.id, name: row.name, organisationNumber: row.organisation_number }));
  }

  async integrations(tenantId: string): Promise<Integration[]> {
    const rows = await this.db("integrations")
      .where({ tenant_id: tenantId })
      .orderBy(["source_application_id", "integration_id"]);
    return rows.map(toIntegration);
  }

  /** A tenant's archive destinations. */
  async destinations(tenantId: string): Promise<ArchiveDestination[]> {
    const rows = await this.db("archive_destinations").where({ tenant_id: tenantId }).orderBy("id");
    return rows.map((row) => ({
      id: row.id as string,
      tenantId: row.tenant_id as string,
      name: row.name as string,
      driver: row.driver as ArchiveDestination["driver"],
    }));
  }

  async clients(tenantId: string): Promise<OAuthClient[]> {
    const rows = await this.db("oauth_clients").where({ tenant_id: tenantId }).orderBy("client_id");
    return rows.map(toClient);
  }

  async #insert(table: string, row: Record<string, unknown>): Promise<AddOutcome> {
    try {
      await this.db(table).insert(row);
      return { outcome: "created" };
    } catch (error) {
      const { code, detail, constraint } = error as { code?: string; detail?: string; constraint?: string };
      if (code === "23505") return { outcome: "exists" };
      if (code === "23503") return { outcome: "unknown-reference", detail: detail ?? String(constraint) };
      if (code === "23514") return { outcome: "invalid", detail: `violates ${constraint ?? "a check"}` };
      throw error;
    }
  }
}

function toClient(row: Record<string, unknown>): OAuthClient {
  return {
    clientId: row.client_id as string,
    tenantId: row.tenant_id as string,
    sourceApplicationId: row.source_application_id as string,
    environment: row.environment as OAuthClient["environment"],
    description: (row.description as string | null) ?? null,
    revokedAt: (row.revoked_at as Date | null) ?? null,
  };
}

function toIntegration(row: Record<string, unknown>): Integration {
  return {
    tenantId: row.tenant_id as string,
    integrationId: row.integration_id as string,
    sourceApplicationId: row.source_application_id as string,
    name: row.name as string,
    state: row.state as IntegrationState,
  };
}
