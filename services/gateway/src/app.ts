import type { Logger } from "@flyt/logging";
import { createOpsResponder, type HealthCheck } from "@flyt/observability";
import Koa from "koa";
import type { Registry } from "prom-client";
import { type ApiDependencies, apiRoutes } from "./adapters/http/api-routes";
import { type AuthenticateOptions, authenticate } from "./adapters/http/authenticate";
import { apiDocs } from "./adapters/http/docs";
import { Problem, problemDetails } from "./adapters/http/problem";
import { type RateLimitOptions, rateLimit } from "./adapters/http/rate-limit";

export interface AppDependencies {
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly checks: readonly HealthCheck[];
  readonly isShuttingDown: () => boolean;
  readonly auth: AuthenticateOptions;
  readonly rateLimit: RateLimitOptions;
  readonly api: ApiDependencies;
  /** The OpenAPI document served at /api/v1/openapi.json and rendered at /docs. */
  readonly openApi: object;
}

/** The gateway's HTTP app, built from its dependencies; `main.ts` listens, tests use `app.callback()`. */
export function createApp(deps: AppDependencies): Koa {
  const app = new Koa();
  const ops = createOpsResponder(deps);
  app.use(problemDetails(deps.logger));
  app.use(async function opsEndpoints(ctx, next) {
    const response = ctx.method === "GET" ? ops(ctx.path) : undefined;
    if (!response) return next();
    const answer = await response;
    ctx.status = answer.status;
    ctx.type = answer.contentType;
    ctx.body = answer.body;
  });
  app.use(apiDocs(deps.openApi));
  app.use(async function apiOnly(ctx, next) {
    if (!ctx.path.startsWith("/api/"))
      throw new Problem(404, "not-found", "Not found", `No resource at ${ctx.path}.`);
    await next();
  });
  app.use(authenticate(deps.auth));
  app.use(rateLimit(deps.rateLimit));
  app.use(apiRoutes(deps.api));
  app.use(async function notFound(ctx) {
    throw new Problem(404, "not-found", "Not found", `No resource at ${ctx.method} ${ctx.path}.`);
  });
  return app;
}
