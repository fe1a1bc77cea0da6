export const integrationStates = ["ACTIVE", "PILOT", "IN_DEVELOPMENT", "DEACTIVATED"] as const;
export type IntegrationState = (typeof integrationStates)[number];

export const environments = ["test", "production"] as const;
export type Environment = (typeof environments)[number];

export const archiveDrivers = ["FINT", "NOARK5", "SIMULATOR"] as const;
export type ArchiveDriverKind = (typeof archiveDrivers)[number];

/** A county. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly organisationNumber: string | null;
}

/** An archive system of a tenant that integrations archive into. */
export interface ArchiveDestination {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly driver: ArchiveDriverKind;
}

/** A source system product (fagsystem), e.g. eGrunnerverv. */
export interface SourceApplication {
  readonly id: string;
  readonly name: string;
  readonly vendor: string | null;
}

/** An OAuth 2.0 client: one tenant, one source application, one environment. */
export interface OAuthClient {
  readonly clientId: string;
  readonly tenantId: string;
  readonly sourceApplicationId: string;
  readonly environment: Environment;
  readonly description: string | null;
  readonly revokedAt: Date | null;
}

/** One flow: (tenant, integration id) of a source application; its configuration names the archive destination. */
export interface Integration {
  readonly tenantId: string;
  readonly integrationId: string;
  readonly sourceApplicationId: string;
  readonly name: string;
  readonly state: IntegrationState;
}

/** How adding to a registry went: an expected outcome is a value, not an exception. */
export type AddOutcome =
  | { readonly outcome: "created" }
  | { readonly outcome: "exists" }
  | { readonly outcome: "unknown-reference"; readonly detail: string }
  | { readonly outcome: "invalid"; readonly detail: string };
