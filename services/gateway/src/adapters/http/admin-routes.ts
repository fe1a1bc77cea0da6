import type { ConfigurationIssue, ConfigurationVersion, Integration } from "@flyt/registry";
import { type SubmissionStatus, submissionStatusValues } from "@flyt/schemas";
import { decodeCursor } from "@flyt/status-read-model";
import type { Context, Middleware, Next } from "koa";
import type { Administrator } from "../../domain/caller";
import { parseInstant } from "../../domain/instant";
import {
  type AdminDependencies,
  activateVersion,
  completeDraft,
  deleteDraft,
  describeIntegration,
  type IntegrationRequest,
  listIntegrations,
  type NotFound,
  readActiveVersion,
  readAuditLog,
  readDraft,
  readVersion,
  saveDraft,
  setIntegrationState,
} from "../../handlers/administer-integrations";
import { countSubmissions, listSubmissions } from "../../handlers/inspect-submissions";
import { Problem } from "./problem";
import { readJson, smallJsonBody } from "./read-json";
import { matchRoute, type Route } from "./route-table";

/** A configuration is a few kilobytes; this leaves room and keeps a mistaken upload out. */
const BODY_LIMITS = smallJsonBody(1024 * 1024);
const PREFIX = "/admin/v1/tenants";

type Handler = (
  ctx: Context,
  deps: AdminDependencies,
  request: IntegrationRequest,
  path: Readonly<Record<string, string>>,
) => Promise<void>;

/**
 * The admin API's routes, under `/admin/v1/tenants/{tenant}/integrations`: each parses, calls its use case and
 * turns the outcome into HTTP. Only slugs match the tenant and integration segments, so anything else is 404.
 */
const routes: readonly Route<Handler>[] = [
  { path: route(""), methods: { GET: list } },
  { path: route("/{integration}"), methods: { GET: describe } },
  { path: route("/{integration}/state"), methods: { PUT: putState } },
  {
    path: route("/{integration}/configuration/draft"),
    methods: { GET: getDraft, PUT: putDraft, DELETE: removeDraft },
  },
  { path: route("/{integration}/configuration/draft/complete"), methods: { POST: complete } },
  {
    path: route("/{integration}/configuration/versions/(?<version>[1-9][0-9]{0,8})"),
    methods: { GET: getVersion },
  },
  { path: route("/{integration}/configuration/active"), methods: { GET: getActive, PUT: putActive } },
  { path: route("/{integration}/audit"), methods: { GET: audit } },
  { path: route("/{integration}/submissions"), methods: { GET: submissions } },
  { path: route("/{integration}/submission-counts"), methods: { GET: submissionCounts } },
];

export function adminRoutes(deps: AdminDependencies): Middleware {
  return async function adminRoutes(ctx: Context, next: Next) {
    const matched = matchRoute(routes, ctx);
    if (!matched) return next();
    const { clientId } = ctx.state.administrator as Administrator;
    const { tenant = "", integration = "" } = matched.params;
    return matched.handler(
      ctx,
      deps,
      { tenantId: tenant, integrationId: integration, actor: clientId },
      matched.params,
    );
  };
}

function route(rest: string): RegExp {
  const slug = "[a-z][a-z0-9-]{1,62}";
  const path = `${PREFIX}/(?<tenant>${slug})/integrations${rest.replace("{integration}", `(?<integration>${slug})`)}`;
  return new RegExp(`^${path}$`);
}

async function list(ctx: Context, deps: AdminDependencies, request: IntegrationRequest) {
  const found = orNotFound(await listIntegrations(deps, request.tenantId), request);
  ctx.body = {
    integrations: found.integrations.map((integration) => overview(integration, integration.activeVersion)),
  };
}

async function describe(ctx: Context, deps: AdminDependencies, request: IntegrationRequest) {
  const { integration, history } = orNotFound(await describeIntegration(deps, request), request);
  ctx.body = {
    ...overview(integration, history.activeVersion),
    hasDraft: history.hasDraft,
    versions: history.versions.map((version) => ({
      version: version.version,
      completedAt: version.completedAt.toISOString(),
      completedBy: version.completedBy,
    })),
  };
}

async function putState(ctx: Context, deps: AdminDependencies, request: IntegrationRequest) {
  const body = await readJson(ctx, BODY_LIMITS);
  const changed = orInvalid(orNotFound(await setIntegrationState(deps, request, body), request));
  ctx.body = { state: changed.integration.state };
}

async function getDraft(ctx: Context, deps: AdminDependencies, request: IntegrationRequest) {
  const found = orNotFound(await readDraft(deps, request), request);
  if (found.outcome === "no-draft") throw noDraft(404, request);
  ctx.body = found.draft.configuration;
}

async function putDraft(ctx: Context, deps: AdminDependencies, request: IntegrationRequest) {
  const body = await readJson(ctx, BODY_LIMITS);
  ctx.body = orInvalid(orNotFound(await saveDraft(deps, request, body), request)).configuration;
}

async function removeDraft(ctx: Context, deps: AdminDependencies, request: IntegrationRequest) {
  if (orNotFound(await deleteDraft(deps, request), request).outcome === "no-draft")
    throw noDraft(404, request);
  ctx.status = 204;
}

async function complete(ctx: Context, deps: AdminDependencies, request: IntegrationRequest) {
  const completed = orNotFound(await completeDraft(deps, request), request);
  if (completed.outcome === "no-draft") throw noDraft(409, request);
  ctx.status = 201;
  ctx.set("Location", `${integrationPath(request)}/configuration/versions/${completed.version}`);
  ctx.body = { version: completed.version };
}

async function getVersion(
  ctx: Context,
  deps: AdminDependencies,
  request: IntegrationRequest,
  path: Readonly<Record<string, string>>,
) {
  const version = Number(path.version);
  const found = orNotFound(await readVersion(deps, request, version), request);
  if (found.outcome === "unknown-version") throw unknownVersion(404, request, version);
  ctx.body = versionBody(found.version);
}

async function getActive(ctx: Context, deps: AdminDependencies, request: IntegrationRequest) {
  const found = orNotFound(await readActiveVersion(deps, request), request);
  if (found.outcome === "no-active-version") {
    throw new Problem(
      404,
      "no-active-version",
      "No active version",
      `${request.integrationId} has no active configuration version yet.`,
    );
  }
  ctx.body = versionBody(found.version);
}

async function putActive(ctx: Context, deps: AdminDependencies, request: IntegrationRequest) {
  const body = await readJson(ctx, BODY_LIMITS);
  const activated = orInvalid(orNotFound(await activateVersion(deps, request, body), request));
  if (activated.outcome === "unknown-version")
    throw unknownVersion(409, request, (body as { version: number }).version);
  ctx.body = { version: activated.version };
}

async function audit(ctx: Context, deps: AdminDependencies, request: IntegrationRequest) {
  const { limit = "100" } = ctx.query;
  if (typeof limit !== "string" || !/^[1-9][0-9]{0,3}$/.test(limit) || Number(limit) > 1_000) {
    throw new Problem(400, "invalid-query", "Invalid query", "limit is a whole number from 1 to 1000, once.");
  }
  const { entries } = orNotFound(await readAuditLog(deps, request, Number(limit)), request);
  ctx.body = {
    entries: entries.map((entry) => ({
      at: entry.at.toISOString(),
      actor: entry.actor,
      action: entry.action,
      details: entry.details,
    })),
  };
}

const statuses = new Set<string>(submissionStatusValues);

/** The console's list: `?status=&errorCode=&from=&to=&limit=&cursor=`, every bad parameter named at once. */
async function submissions(ctx: Context, deps: AdminDependencies, request: IntegrationRequest) {
  const problems: string[] = [];
  const { status, from, to, limit = "50", cursor, errorCode } = ctx.query;
  const single = (name: string, value: unknown) => {
    if (value !== undefined && typeof value !== "string") problems.push(`${name} is given once`);
    return typeof value === "string" ? value : undefined;
  };
  const statusValue = single("status", status);
  if (statusValue !== undefined && !statuses.has(statusValue))
    problems.push(`status is one of ${[...statuses].join(", ")}`);
  const fromValue = instant("from", single("from", from), problems);
  const toValue = instant("to", single("to", to), problems);
  const limitValue = single("limit", limit) ?? "50";
  if (!/^[1-9][0-9]{0,2}$/.test(limitValue) || Number(limitValue) > 500)
    problems.push("limit is a whole number from 1 to 500");
  const errorCodeValue = single("errorCode", errorCode);
  if (errorCodeValue !== undefined && !/^[a-z][a-z0-9-]{0,80}$/.test(errorCodeValue))
    problems.push("errorCode is an error code, e.g. archive-unavailable");
  const cursorValue = single("cursor", cursor);
  if (cursorValue !== undefined && !decodeCursor(cursorValue))
    problems.push("cursor is not one this API gave");
  if (problems.length > 0)
    throw new Problem(400, "invalid-query", "Invalid query", `${problems.join("; ")}.`);
  const listed = orNotFound(
    await listSubmissions(deps, request, {
      limit: Number(limitValue),
      ...(statusValue ? { status: statusValue as SubmissionStatus } : {}),
      ...(errorCodeValue ? { errorCode: errorCodeValue } : {}),
      ...(fromValue ? { from: fromValue } : {}),
      ...(toValue ? { to: toValue } : {}),
      ...(cursorValue ? { after: cursorValue } : {}),
    }),
    request,
  );
  ctx.body = {
    submissions: listed.items.map((item) => ({
      id: item.submissionId,
      sourceInstanceId: item.sourceInstanceId,
      kind: item.kind === "CASE" ? "case" : "journal-posts",
      run: item.run,
      status: item.status,
      caseNumber: item.caseNumber,
      errors: item.errors,
      createdAt: item.createdAt.toISOString(),
      updatedAt: item.updatedAt.toISOString(),
    })),
    ...(listed.next ? { next: listed.next } : {}),
  };
}

/** Counts per status among the submissions updated in `?from=&to=` (both required). */
async function submissionCounts(ctx: Context, deps: AdminDependencies, request: IntegrationRequest) {
  const problems: string[] = [];
  const from = instant("from", typeof ctx.query.from === "string" ? ctx.query.from : undefined, problems);
  const to = instant("to", typeof ctx.query.to === "string" ? ctx.query.to : undefined, problems);
  if (!from || !to) problems.push("from and to are both required, once each");
  if (problems.length > 0 || !from || !to) {
    throw new Problem(400, "invalid-query", "Invalid query", `${problems.join("; ")}.`);
  }
  const { counts } = orNotFound(await countSubmissions(deps, request, { from, to }), request);
  ctx.body = { from: from.toISOString(), to: to.toISOString(), counts };
}

/** An ISO 8601 instant with a time zone, or a problem named. */
function instant(name: string, value: string | undefined, problems: string[]): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = parseInstant(value);
  if (!parsed) problems.push(`${name} is an ISO 8601 instant with a time zone, e.g. 2026-11-23T00:00:00Z`);
  return parsed;
}

function overview(integration: Integration, activeVersion: number | null) {
  return {
    integrationId: integration.integrationId,
    name: integration.name,
    sourceApplicationId: integration.sourceApplicationId,
    state: integration.state,
    activeVersion,
  };
}

function versionBody(version: ConfigurationVersion) {
  return {
    version: version.version,
    completedAt: version.completedAt?.toISOString() ?? null,
    completedBy: version.completedBy,
    configuration: version.configuration,
  };
}

function integrationPath(request: IntegrationRequest): string {
  return `${PREFIX}/${request.tenantId}/integrations/${request.integrationId}`;
}

/** The outcome, unless it says the tenant or integration does not exist: then a 404 problem. */
function orNotFound<T extends { readonly outcome: string }>(
  outcome: T,
  request: IntegrationRequest,
): Exclude<T, NotFound> {
  if (outcome.outcome === "unknown-tenant")
    throw new Problem(404, "unknown-tenant", "Unknown tenant", `There is no tenant ${request.tenantId}.`);
  if (outcome.outcome === "unknown-integration") {
    throw new Problem(
      404,
      "unknown-integration",
      "Unknown integration",
      `${request.tenantId} has no integration ${request.integrationId}.`,
    );
  }
  return outcome as Exclude<T, NotFound>;
}

/** The outcome, unless the request body was refused: then 422 with every issue, as the source API lists them. */
function orInvalid<T extends { readonly outcome: string }>(outcome: T): Exclude<T, { outcome: "invalid" }> {
  if (outcome.outcome === "invalid") {
    const { issues } = outcome as unknown as { issues: readonly ConfigurationIssue[] };
    throw new Problem(
      422,
      "invalid-request",
      "The request has errors",
      "See errors: every problem found, at once.",
      {
        errors: issues.map((issue) => ({ code: issue.code, pointer: issue.pointer, detail: issue.message })),
      },
    );
  }
  return outcome as Exclude<T, { outcome: "invalid" }>;
}

function noDraft(status: 404 | 409, request: IntegrationRequest): Problem {
  return new Problem(
    status,
    "no-draft",
    "No draft",
    `${request.integrationId} has no draft; save one with PUT ${integrationPath(request)}/configuration/draft.`,
  );
}

function unknownVersion(status: 404 | 409, request: IntegrationRequest, version: number): Problem {
  return new Problem(
    status,
    "unknown-version",
    "Unknown version",
    `${request.integrationId} has no completed configuration version ${version}.`,
  );
}
