import type { DestinationCheckReport } from "@flyt/registry";
import type { Context, Middleware, Next } from "koa";
import type { Administrator } from "../../domain/caller";
import {
  type DestinationCheckDependencies,
  destinationsOf,
  requestCheck,
} from "../../handlers/check-destinations";
import { Problem } from "./problem";
import { matchRoute, type Route } from "./route-table";

type Handler = (
  ctx: Context,
  deps: DestinationCheckDependencies,
  params: Readonly<Record<string, string>>,
) => Promise<void>;

const slug = "[a-z][a-z0-9-]{1,62}";
const destinationsPath = `^/admin/v1/tenants/(?<tenant>${slug})/destinations`;
const checksPath = `${destinationsPath}/(?<destination>${slug})/checks`;

/**
 * A tenant's archive destinations and their connection checks, under `/admin/v1/tenants/{tenant}`: what a county's
 * archivist runs before the first submission (can the archive be reached, does it take Flyt's credentials, does
 * it know every configured code). A check runs in the archive adapter serving the destination; its report is
 * read here once it is done.
 */
const routes: readonly Route<Handler>[] = [
  { path: new RegExp(`${destinationsPath}$`), methods: { GET: listDestinations } },
  { path: new RegExp(`${checksPath}$`), methods: { GET: latestChecks, POST: askForCheck } },
  { path: new RegExp(`${checksPath}/(?<check>[0-9a-f-]{36})$`), methods: { GET: oneCheck } },
];

export function adminDestinationRoutes(deps: DestinationCheckDependencies): Middleware {
  return async function adminDestinationRoutes(ctx: Context, next: Next) {
    const matched = matchRoute(routes, ctx);
    if (!matched) return next();
    return matched.handler(ctx, deps, matched.params);
  };
}

async function listDestinations(
  ctx: Context,
  deps: DestinationCheckDependencies,
  params: Record<string, string>,
) {
  ctx.body = { destinations: await destinationsOf(deps, params.tenant ?? "") };
}

async function askForCheck(ctx: Context, deps: DestinationCheckDependencies, params: Record<string, string>) {
  const { tenant = "", destination = "" } = params;
  const { clientId } = ctx.state.administrator as Administrator;
  const outcome = await requestCheck(deps, { tenantId: tenant, destinationId: destination, actor: clientId });
  if (outcome.outcome === "unknown-destination") throw unknownDestination(tenant, destination);
  const statusUrl = `/admin/v1/tenants/${tenant}/destinations/${destination}/checks/${outcome.checkId}`;
  ctx.status = 202;
  ctx.set("Location", statusUrl);
  ctx.body = { checkId: outcome.checkId, status: "requested", statusUrl };
}

async function latestChecks(
  ctx: Context,
  deps: DestinationCheckDependencies,
  params: Record<string, string>,
) {
  const { tenant = "", destination = "" } = params;
  if (!(await deps.destinations(tenant)).some(({ id }) => id === destination))
    throw unknownDestination(tenant, destination);
  ctx.body = { checks: (await deps.checks.latest(tenant, destination)).map(checkBody) };
}

async function oneCheck(ctx: Context, deps: DestinationCheckDependencies, params: Record<string, string>) {
  const { tenant = "", destination = "", check = "" } = params;
  const report = await deps.checks.find(tenant, destination, check);
  if (report) {
    ctx.body = checkBody(report);
    return;
  }
  // Not recorded yet: the check is still on its way (an id nobody was given answers the same: ids are random).
  ctx.set("Retry-After", "2");
  ctx.body = { checkId: check, status: "pending" };
}

function checkBody(report: DestinationCheckReport) {
  return {
    checkId: report.checkId,
    status: report.passed ? "passed" : "failed",
    requestedBy: report.requestedBy,
    requestedAt: report.requestedAt.toISOString(),
    finishedAt: report.finishedAt.toISOString(),
    steps: report.steps,
    unknownCodes: report.unknownCodes,
  };
}

const unknownDestination = (tenant: string, destination: string) =>
  new Problem(
    404,
    "unknown-destination",
    "Unknown destination",
    `${tenant} has no archive destination ${destination}.`,
  );
