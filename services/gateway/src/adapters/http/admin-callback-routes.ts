import type { CallbackEndpoint, CallbackEndpoints, Owner } from "@flyt/callbacks";
import type { AuditAction } from "@flyt/registry";
import type { Context, Middleware, Next } from "koa";
import type { Administrator } from "../../domain/caller";
import {
  type CallbackDeliveryDependencies,
  deliveryBody,
  endpointBody,
  findDelivery,
  listDeliveries,
  parseDeliveryQuery,
  type Requester,
  replayParked,
  resendDelivery,
} from "../../handlers/callback-deliveries";
import { Problem } from "./problem";
import { readJson, smallJsonBody } from "./read-json";
import { matchRoute, type Route } from "./route-table";

export interface CallbackAdminDependencies extends CallbackDeliveryDependencies {
  readonly tenantExists: (tenantId: string) => Promise<boolean>;
  readonly endpoints: Pick<CallbackEndpoints, "find" | "needingAttention">;
  /** Enables the endpoint again and records who did, together. */
  readonly reenable: (owner: Owner, actor: string) => Promise<CallbackEndpoint | undefined>;
  /** Records an operator's request in the registry's audit log. */
  readonly audit: (
    owner: Owner,
    actor: string,
    action: AuditAction,
    details: Readonly<Record<string, unknown>>,
  ) => Promise<void>;
}

type Handler = (
  ctx: Context,
  deps: CallbackAdminDependencies,
  owner: Owner,
  requester: Requester,
  id: string,
) => Promise<void>;

const slug = "[a-z][a-z0-9-]{1,62}";
const tenantPath = `^/admin/v1/tenants/(?<tenant>${slug})`;
const ownerPath = `${tenantPath}/source-applications/(?<app>${slug})/callback`;

/**
 * Operators' routes for callbacks, under `/admin/v1/tenants/{tenant}`: the endpoints that need attention
 * (disabled by 410 or days of failures, flagged), and per source application its endpoint, deliveries with
 * attempts, resend, replay of what was parked since a time, and re-enabling. Requests are audited.
 */
const routes: readonly Route<Handler>[] = [
  { path: new RegExp(`${tenantPath}/callback-endpoints$`), methods: { GET: needingAttention } },
  { path: new RegExp(`${ownerPath}$`), methods: { GET: showEndpoint } },
  { path: new RegExp(`${ownerPath}/enable$`), methods: { POST: enable } },
  { path: new RegExp(`${ownerPath}/deliveries$`), methods: { GET: deliveries } },
  { path: new RegExp(`${ownerPath}/deliveries/(?<id>[0-9a-f-]{36})$`), methods: { GET: oneDelivery } },
  { path: new RegExp(`${ownerPath}/deliveries/(?<id>[0-9a-f-]{36})/resend$`), methods: { POST: resend } },
  { path: new RegExp(`${ownerPath}/replay$`), methods: { POST: replay } },
];

export function adminCallbackRoutes(deps: CallbackAdminDependencies): Middleware {
  return async function adminCallbackRoutes(ctx: Context, next: Next) {
    const matched = matchRoute(routes, ctx);
    if (!matched) return next();
    const { tenant = "", app = "", id = "" } = matched.params;
    if (!(await deps.tenantExists(tenant)))
      throw new Problem(404, "unknown-tenant", "Unknown tenant", `There is no tenant ${tenant}.`);
    const owner = { tenantId: tenant, sourceApplicationId: app };
    const { clientId } = ctx.state.administrator as Administrator;
    const requester: Requester = {
      clientId,
      audit: (action, details) => deps.audit(owner, clientId, action, details),
    };
    return matched.handler(ctx, deps, owner, requester, id);
  };
}

async function needingAttention(ctx: Context, deps: CallbackAdminDependencies, owner: Owner) {
  ctx.body = { endpoints: (await deps.endpoints.needingAttention(owner.tenantId)).map(endpointBody) };
}

async function showEndpoint(ctx: Context, deps: CallbackAdminDependencies, owner: Owner) {
  const endpoint = await deps.endpoints.find(owner);
  if (!endpoint) throw noEndpoint(owner);
  ctx.body = endpointBody(endpoint);
}

async function enable(ctx: Context, deps: CallbackAdminDependencies, owner: Owner, requester: Requester) {
  const endpoint = await deps.reenable(owner, requester.clientId);
  if (!endpoint) throw noEndpoint(owner);
  ctx.body = endpointBody(endpoint);
}

async function deliveries(ctx: Context, deps: CallbackAdminDependencies, owner: Owner) {
  const parsed = parseDeliveryQuery(ctx.query);
  if (parsed.outcome === "invalid") {
    throw new Problem(400, "invalid-query", "Invalid query", "See errors: every problem found, at once.", {
      errors: parsed.errors,
    });
  }
  const listed = await listDeliveries(deps, owner, parsed.query);
  ctx.body = { deliveries: listed.items.map(deliveryBody), ...(listed.next ? { next: listed.next } : {}) };
}

async function oneDelivery(
  ctx: Context,
  deps: CallbackAdminDependencies,
  owner: Owner,
  _r: Requester,
  id: string,
) {
  const delivery = await findDelivery(deps, owner, id);
  if (!delivery) throw unknownDelivery();
  ctx.body = deliveryBody(delivery);
}

async function resend(
  ctx: Context,
  deps: CallbackAdminDependencies,
  owner: Owner,
  requester: Requester,
  id: string,
) {
  if ((await resendDelivery(deps, owner, id, requester)).outcome === "unknown-delivery")
    throw unknownDelivery();
  ctx.status = 202;
  ctx.body = { deliveryId: id };
}

async function replay(ctx: Context, deps: CallbackAdminDependencies, owner: Owner, requester: Requester) {
  const outcome = await replayParked(deps, owner, await readJson(ctx, smallJsonBody(16_384)), requester);
  if (outcome.outcome === "no-endpoint") throw noEndpoint(owner);
  if (outcome.outcome === "invalid") {
    throw new Problem(
      422,
      "invalid-request",
      "The request has errors",
      "See errors: every problem found, at once.",
      {
        errors: outcome.errors,
      },
    );
  }
  ctx.status = 202;
  ctx.body = { since: outcome.since.toISOString() };
}

const noEndpoint = (owner: Owner) =>
  new Problem(
    404,
    "no-callback",
    "No callback registered",
    `${owner.sourceApplicationId} of ${owner.tenantId} has no callback endpoint.`,
  );
const unknownDelivery = () =>
  new Problem(
    404,
    "unknown-delivery",
    "Unknown delivery",
    "No such callback delivery for this source application.",
  );
