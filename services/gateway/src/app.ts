import type { Logger } from "@flyt/logging";
import { createOpsResponder, type HealthCheck } from "@flyt/observability";
import Koa, { type Context } from "koa";
import { type AccessTokenOptions, accessTokenVerifier } from "./adapters/http/access-token";
import { adminCallbackRoutes, type CallbackAdminDependencies } from "./adapters/http/admin-callback-routes";
import { adminDestinationRoutes } from "./adapters/http/admin-destination-routes";
import { adminRoutes } from "./adapters/http/admin-routes";
import { type ApiDependencies, apiRoutes } from "./adapters/http/api-routes";
import { type AuthenticateOptions, authenticate } from "./adapters/http/authenticate";
import { authenticateAdmin } from "./adapters/http/authenticate-admin";
import { apiDocs } from "./adapters/http/docs";
import { oneLargeBodyAtATime } from "./adapters/http/large-bodies";
import { operatorRoutes } from "./adapters/http/operator-routes";
import { Problem, problemDetails, unansweredError } from "./adapters/http/problem";
import { queryIsText } from "./adapters/http/query-text";
import { adminClient, type RateLimitOptions, rateLimit } from "./adapters/http/rate-limit";
import { closeAfterUnreadBody } from "./adapters/http/unread-body";
import type { AdminDependencies } from "./handlers/administer-integrations";
import type { DestinationCheckDependencies } from "./handlers/check-destinations";
import type { OperatorDependencies } from "./handlers/operate-submissions";

export interface AppDependencies {
  readonly logger: Logger;
  /** Readiness as the API port tells it (up or down each); the ops port (`main.ts`) tells it whole. */
  readonly checks: readonly HealthCheck[];
  readonly isShuttingDown: () => boolean;
  /** Access tokens of both APIs, and the registry that maps a source system's client to its tenant. */
  readonly auth: AccessTokenOptions & Omit<AuthenticateOptions, "verifyToken">;
  readonly rateLimit: RateLimitOptions;
  readonly api: ApiDependencies;
  /**
   * The admin API under /admin/v1, for tokens carrying `role` in their `roles` claim, each admin client
   * limited on its own.
   */
  readonly admin: AdminDependencies & { readonly role: string; readonly rateLimit: RateLimitOptions };
  /** The operators' actions on submissions, in the admin API. */
  readonly operations: OperatorDependencies;
  /** The admin API's callback routes (endpoints needing attention, deliveries, resend, replay, re-enable). */
  readonly callbackAdmin: CallbackAdminDependencies;
  /** The admin API's archive destinations and their connection checks. */
  readonly destinationChecks: DestinationCheckDependencies;
  /** The OpenAPI document served at /api/v1/openapi.json and rendered at /docs. */
  readonly openApi: object;
}

/** The gateway's HTTP app, built from its dependencies; `main.ts` listens, tests use `app.callback()`. */
export function createApp(deps: AppDependencies): Koa {
  const app = new Koa();
  app.on("error", unansweredError(deps.logger));
  // On the API port anyone can ask: /livez and /readyz only. /metrics is the ops port's (`OPS_PORT`).
  const ops = createOpsResponder({
    checks: deps.checks,
    isShuttingDown: deps.isShuttingDown,
    publicFacing: true,
    logger: deps.logger,
  });
  // One verifier, so both APIs share its cache of the issuer's keys.
  const verifyToken = accessTokenVerifier(deps.auth);
  const admin = authenticateAdmin({ verifyToken, role: deps.admin.role });
  const limitAdmin = rateLimit(deps.admin.rateLimit, adminClient);
  const administer = adminRoutes(deps.admin);
  const operate = operatorRoutes({ ...deps.operations, stores: deps.admin.stores });
  const administerCallbacks = adminCallbackRoutes(deps.callbackAdmin);
  const administerDestinations = adminDestinationRoutes(deps.destinationChecks);
  app.use(closeAfterUnreadBody());
  app.use(problemDetails(deps.logger));
  app.use(queryIsText);
  app.use(async function opsEndpoints(ctx, next) {
    const response = ctx.method === "GET" ? ops(ctx.path) : undefined;
    if (!response) return next();
    const answer = await response;
    ctx.status = answer.status;
    ctx.type = answer.contentType;
    ctx.body = answer.body;
  });
  app.use(apiDocs(deps.openApi));
  app.use(async function adminApi(ctx, next) {
    if (!ctx.path.startsWith("/admin/")) return next();
    await admin(ctx, () =>
      limitAdmin(ctx, () =>
        administer(ctx, () =>
          operate(ctx, () =>
            administerCallbacks(ctx, () => administerDestinations(ctx, () => notFound(ctx))),
          ),
        ),
      ),
    );
  });
  app.use(async function apiOnly(ctx, next) {
    if (!ctx.path.startsWith("/api/"))
      throw new Problem(404, "not-found", "Not found", `No resource at ${ctx.path}.`);
    await next();
  });
  app.use(authenticate({ ...deps.auth, verifyToken }));
  app.use(rateLimit(deps.rateLimit));
  app.use(oneLargeBodyAtATime());
  app.use(apiRoutes(deps.api));
  app.use(notFound);
  return app;
}

async function notFound(ctx: Context): Promise<never> {
  throw new Problem(404, "not-found", "Not found", `No resource at ${ctx.method} ${ctx.path}.`);
}
