import {
  DESTINATION_CHECK_EXPIRES_AFTER_MS,
  type DestinationCheckReport,
  type UnfinishedDestinationCheck,
} from "@flyt/registry";
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
  const found = await deps.checks.find(tenant, destination, check, deps.now());
  if (!found) throw unknownCheck(tenant, destination, check);
  if (found.status === "pending" || found.status === "expired") {
    if (found.status === "pending") ctx.set("Retry-After", "2");
    ctx.body = unfinished(found);
    return;
  }
  ctx.body = checkBody(found);
}

/** A check not reported on: on its way, or given up on with what to do about it. */
function unfinished(found: UnfinishedDestinationCheck) {
  return {
    checkId: found.checkId,
    status: found.status,
    requestedBy: found.requestedBy,
    requestedAt: found.requestedAt.toISOString(),
    ...(found.status === "expired"
      ? {
          detail: `No archive adapter reported on this check within ${DESTINATION_CHECK_EXPIRES_AFTER_MS / 60_000} minutes, so it will not be run: the archive adapter deployment serving this destination's archive system is down or not consuming. Check its /readyz and logs, then ask for a new check (or run it in place: npm run admin -- destination check).`,
        }
      : {}),
  };
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

const unknownCheck = (tenant: string, destination: string, check: string) =>
  new Problem(
    404,
    "unknown-check",
    "Unknown check",
    `No check ${check} was asked for of ${tenant}'s archive destination ${destination}.`,
  );

const unknownDestination = (tenant: string, destination: string) =>
  new Problem(
    404,
    "unknown-destination",
    "Unknown destination",
    `${tenant} has no archive destination ${destination}.`,
  );
