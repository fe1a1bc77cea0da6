import {
  type AuditEntry,
  type AuditLog,
  type ConfigurationHistory,
  type ConfigurationIssue,
  type ConfigurationStore,
  type ConfigurationVersion,
  type Integration,
  type IntegrationConfiguration,
  integrationStates,
  issuesOf,
  type RegistryStore,
  unknownDestinationIssue,
} from "@flyt/registry";
import type { StatusReader } from "@flyt/status-read-model";
import { z } from "zod";

/** What the admin use cases read and change: the registry's stores, over the pool or one transaction. */
export interface AdminStores {
  readonly registry: Pick<RegistryStore, "tenant" | "integration" | "integrations" | "setIntegrationState">;
  readonly configurations: Pick<
    ConfigurationStore,
    | "saveDraft"
    | "draft"
    | "deleteDraft"
    | "completeDraft"
    | "version"
    | "active"
    | "activate"
    | "history"
    | "activeVersions"
  >;
  readonly audit: Pick<AuditLog, "record" | "entries">;
}

export interface AdminDependencies {
  readonly stores: AdminStores;
  /** The status read model, for the console's lists and counts. */
  readonly submissions: Pick<StatusReader, "list" | "counts">;
  /** Runs `work` in one transaction: a change and its audit entry are stored together or not at all. */
  readonly inTransaction: <T>(work: (stores: AdminStores) => Promise<T>) => Promise<T>;
}

/** An integration of a tenant, as named in the path, and who asks (the audit log's actor). */
export interface IntegrationRequest {
  readonly tenantId: string;
  readonly integrationId: string;
  readonly actor: string;
}

export type NotFound = { readonly outcome: "unknown-tenant" } | { readonly outcome: "unknown-integration" };
type Invalid = { readonly outcome: "invalid"; readonly issues: readonly ConfigurationIssue[] };

export interface IntegrationOverview extends Integration {
  readonly activeVersion: number | null;
}

/** `GET .../tenants/{tenant}/integrations`: each integration with its state and active version. */
export async function listIntegrations(
  deps: AdminDependencies,
  tenantId: string,
): Promise<NotFound | { readonly outcome: "found"; readonly integrations: IntegrationOverview[] }> {
  if (!(await deps.stores.registry.tenant(tenantId))) return { outcome: "unknown-tenant" };
  const [integrations, active] = await Promise.all([
    deps.stores.registry.integrations(tenantId),
    deps.stores.configurations.activeVersions(tenantId),
  ]);
  return {
    outcome: "found",
    integrations: integrations.map((integration) => ({
      ...integration,
      activeVersion: active.get(integration.integrationId) ?? null,
    })),
  };
}

/** `GET .../integrations/{id}`: the integration, its active version, its draft and completed versions. */
export async function describeIntegration(
  deps: AdminDependencies,
  request: IntegrationRequest,
): Promise<
  | NotFound
  | { readonly outcome: "found"; readonly integration: Integration; readonly history: ConfigurationHistory }
> {
  const integration = await find(deps.stores, request);
  if ("outcome" in integration) return integration;
  const history = await deps.stores.configurations.history(request.tenantId, request.integrationId);
  return { outcome: "found", integration, history };
}

const stateChange = z.strictObject({ state: z.enum(integrationStates) });

/** `PUT .../integrations/{id}/state`: e.g. PILOT to ACTIVE, or DEACTIVATED to stop intake. */
export function setIntegrationState(
  deps: AdminDependencies,
  request: IntegrationRequest,
  body: unknown,
): Promise<NotFound | Invalid | { readonly outcome: "changed"; readonly integration: Integration }> {
  const parsed = stateChange.safeParse(body);
  if (!parsed.success) return Promise.resolve({ outcome: "invalid", issues: issuesOf(parsed.error) });
  const { state } = parsed.data;
  return deps.inTransaction(async (stores) => {
    const integration = await find(stores, request);
    if ("outcome" in integration) return integration;
    if (integration.state !== state) {
      await stores.registry.setIntegrationState(request.tenantId, request.integrationId, state);
      await record(stores, request, "integration.state-changed", { from: integration.state, to: state });
    }
    return { outcome: "changed", integration: { ...integration, state } };
  });
}

/** `PUT .../configuration/draft`: creates or replaces the draft, checked in full. */
export function saveDraft(
  deps: AdminDependencies,
  request: IntegrationRequest,
  body: unknown,
): Promise<
  NotFound | Invalid | { readonly outcome: "saved"; readonly configuration: IntegrationConfiguration }
> {
  return deps.inTransaction(async (stores) => {
    const integration = await find(stores, request);
    if ("outcome" in integration) return integration;
    const saved = await stores.configurations.saveDraft(request.tenantId, request.integrationId, body);
    switch (saved.outcome) {
      case "saved":
        await record(stores, request, "configuration.draft-saved", { configuration: saved.configuration });
        return saved;
      case "invalid":
        return saved;
      case "unknown-destination":
        return {
          outcome: "invalid",
          issues: [unknownDestinationIssue(request.tenantId, saved.destinationId)],
        };
      case "unknown-integration":
        return { outcome: "unknown-integration" };
    }
  });
}

/** `GET .../configuration/draft`: the draft as it was saved, ready to edit and put back. */
export async function readDraft(
  deps: AdminDependencies,
  request: IntegrationRequest,
): Promise<
  | NotFound
  | { readonly outcome: "no-draft" }
  | { readonly outcome: "found"; readonly draft: ConfigurationVersion }
> {
  const integration = await find(deps.stores, request);
  if ("outcome" in integration) return integration;
  const draft = await deps.stores.configurations.draft(request.tenantId, request.integrationId);
  return draft ? { outcome: "found", draft } : { outcome: "no-draft" };
}

/** `DELETE .../configuration/draft`: throws the draft away. */
export function deleteDraft(
  deps: AdminDependencies,
  request: IntegrationRequest,
): Promise<NotFound | { readonly outcome: "no-draft" } | { readonly outcome: "deleted" }> {
  return deps.inTransaction(async (stores) => {
    const integration = await find(stores, request);
    if ("outcome" in integration) return integration;
    if (!(await stores.configurations.deleteDraft(request.tenantId, request.integrationId)))
      return { outcome: "no-draft" };
    await record(stores, request, "configuration.draft-deleted", {});
    return { outcome: "deleted" };
  });
}

/** `POST .../configuration/draft/complete`: the draft becomes the next numbered, immutable version. */
export function completeDraft(
  deps: AdminDependencies,
  request: IntegrationRequest,
): Promise<
  NotFound | { readonly outcome: "no-draft" } | { readonly outcome: "completed"; readonly version: number }
> {
  return deps.inTransaction(async (stores) => {
    const integration = await find(stores, request);
    if ("outcome" in integration) return integration;
    const completed = await stores.configurations.completeDraft(
      request.tenantId,
      request.integrationId,
      request.actor,
    );
    if (completed.outcome === "completed")
      await record(stores, request, "configuration.draft-completed", { version: completed.version });
    return completed;
  });
}

/** `GET .../configuration/versions/{n}`. */
export async function readVersion(
  deps: AdminDependencies,
  request: IntegrationRequest,
  version: number,
): Promise<
  | NotFound
  | { readonly outcome: "unknown-version" }
  | { readonly outcome: "found"; readonly version: ConfigurationVersion }
> {
  const integration = await find(deps.stores, request);
  if ("outcome" in integration) return integration;
  const found = await deps.stores.configurations.version(request.tenantId, request.integrationId, version);
  return found ? { outcome: "found", version: found } : { outcome: "unknown-version" };
}

/** `GET .../configuration/active`: the version the validation service applies. */
export async function readActiveVersion(
  deps: AdminDependencies,
  request: IntegrationRequest,
): Promise<
  | NotFound
  | { readonly outcome: "no-active-version" }
  | { readonly outcome: "found"; readonly version: ConfigurationVersion }
> {
  const integration = await find(deps.stores, request);
  if ("outcome" in integration) return integration;
  const active = await deps.stores.configurations.active(request.tenantId, request.integrationId);
  return active ? { outcome: "found", version: active } : { outcome: "no-active-version" };
}

const activation = z.strictObject({ version: z.number().int().positive() });

/** `PUT .../configuration/active`: makes a completed version the one applied. */
export function activateVersion(
  deps: AdminDependencies,
  request: IntegrationRequest,
  body: unknown,
): Promise<
  | NotFound
  | Invalid
  | { readonly outcome: "unknown-version" }
  | { readonly outcome: "activated"; readonly version: number }
> {
  const parsed = activation.safeParse(body);
  if (!parsed.success) return Promise.resolve({ outcome: "invalid", issues: issuesOf(parsed.error) });
  const { version } = parsed.data;
  return deps.inTransaction(async (stores) => {
    const integration = await find(stores, request);
    if ("outcome" in integration) return integration;
    // Looked up first: a refused foreign key would abort the transaction the audit entry is written in.
    if (!(await stores.configurations.version(request.tenantId, request.integrationId, version)))
      return { outcome: "unknown-version" };
    const { activeVersion } = await stores.configurations.history(request.tenantId, request.integrationId);
    await stores.configurations.activate(request.tenantId, request.integrationId, version);
    if (activeVersion !== version)
      await record(stores, request, "configuration.version-activated", {
        version,
        previousVersion: activeVersion,
      });
    return { outcome: "activated", version };
  });
}

/** `GET .../integrations/{id}/audit`: who changed what and when, newest first. */
export async function readAuditLog(
  deps: AdminDependencies,
  request: IntegrationRequest,
  limit: number,
): Promise<NotFound | { readonly outcome: "found"; readonly entries: AuditEntry[] }> {
  const integration = await find(deps.stores, request);
  if ("outcome" in integration) return integration;
  return {
    outcome: "found",
    entries: await deps.stores.audit.entries(request.tenantId, request.integrationId, limit),
  };
}

/** Whether the tenant has the integration named in the path, or why not. */
export async function integrationExists(
  stores: AdminStores,
  request: IntegrationRequest,
): Promise<true | NotFound> {
  const integration = await find(stores, request);
  return "outcome" in integration ? integration : true;
}

/** The integration, or why there is none: its tenant does not exist, or the tenant has no such integration. */
async function find(stores: AdminStores, request: IntegrationRequest): Promise<Integration | NotFound> {
  const integration = await stores.registry.integration(request.tenantId, request.integrationId);
  if (integration) return integration;
  return (await stores.registry.tenant(request.tenantId))
    ? { outcome: "unknown-integration" }
    : { outcome: "unknown-tenant" };
}

function record(
  stores: AdminStores,
  request: IntegrationRequest,
  action: AuditEntry["action"],
  details: Record<string, unknown>,
): Promise<void> {
  return stores.audit.record({
    actor: request.actor,
    action,
    tenantId: request.tenantId,
    integrationId: request.integrationId,
    details,
  });
}
