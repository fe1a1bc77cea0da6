import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "@flyt/logging";
import type { Registry } from "prom-client";
import { type HealthCheck, type HealthReport, runHealthChecks } from "./health";

export interface OpsServerOptions {
  readonly host: string;
  readonly port: number;
  readonly logger: Logger;
  readonly checks: readonly HealthCheck[];
  readonly metrics: Registry;
  readonly checkTimeoutMs?: number;
  /** The process's own shutdown: readiness answers 503 from its first moment, while work is still draining. */
  readonly isShuttingDown?: () => boolean;
}

export interface OpsServer {
  listen(): Promise<AddressInfo>;
  /** Readiness answers 503 from now on, so load balancers stop sending work before the listener closes. */
  markShuttingDown(): void;
  close(): Promise<void>;
}

/**
 * `/livez` (the process answers), `/readyz` (its dependencies answer) and `/metrics` (Prometheus text), on a
 * port of their own: a pipeline service's only port, the gateway's ops port beside its public API.
 */
export function createOpsServer(options: OpsServerOptions): OpsServer {
  const logger = options.logger.child({ component: "ops-server" });
  let shuttingDown = false;
  const respond = createOpsResponder({
    ...options,
    isShuttingDown: () => shuttingDown || (options.isShuttingDown?.() ?? false),
  });

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://ops").pathname;
    const response = req.method === "GET" ? respond(path) : undefined;
    if (!response) {
      sendJson(res, 404, { status: "not_found" });
      return;
    }
    response.then(
      (answer) => res.writeHead(answer.status, { "content-type": answer.contentType }).end(answer.body),
      (error: unknown) => {
        logger.error({ err: error, path }, "ops request failed");
        if (!res.headersSent) sendJson(res, 500, { status: "error" });
      },
    );
  });

  return {
    listen: () =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port, options.host, () => {
          server.off("error", reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    markShuttingDown: () => {
      shuttingDown = true;
    },
    close: () =>
      new Promise((resolve, reject) => {
        shuttingDown = true;
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

export interface OpsResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

interface OpsResponderCommon {
  readonly checks: readonly HealthCheck[];
  readonly checkTimeoutMs?: number;
  readonly isShuttingDown: () => boolean;
  /** Where a public-facing readiness writes what its answer leaves out: why a dependency is down. */
  readonly logger?: Logger;
  readonly now?: () => number;
}

export type OpsResponderOptions = OpsResponderCommon &
  (
    | { readonly publicFacing?: false; readonly metrics: Registry }
    | {
        /**
         * Served on a port anyone can reach (the gateway's API port): `/livez` and a readiness that says only up
         * or down per dependency (its errors can name internal hosts), its checks run at most once a second
         * however often it is asked. Never `/metrics`: volumes per route and status are for operators, on the
         * ops port.
         */
        readonly publicFacing: true;
        readonly metrics?: never;
      }
  );

/**
 * The answers of `/livez`, `/readyz` and `/metrics`, for the standalone ops server and for a public port that
 * serves the first two beside its own API (the gateway's). Undefined for any other path.
 */
export function createOpsResponder(
  options: OpsResponderOptions,
): (path: string) => Promise<OpsResponse> | undefined {
  const json = (status: number, body: unknown): OpsResponse => ({
    status,
    contentType: "application/json; charset=utf-8",
    body: JSON.stringify(body),
  });
  const now = options.now ?? Date.now;
  const check = () => runHealthChecks(options.checks, options.checkTimeoutMs ?? 2_000);
  let shared: { readonly at: number; readonly report: Promise<HealthReport> } | undefined;
  const report = (): Promise<HealthReport> => {
    if (!options.publicFacing) return check();
    if (!shared || now() - shared.at >= 1_000) {
      const report = check().then((result) => {
        const down = Object.entries(result.checks).filter(([, { status }]) => status === "down");
        if (down.length > 0) options.logger?.warn({ checks: Object.fromEntries(down) }, "not ready");
        return result;
      });
      shared = { at: now(), report };
    }
    return shared.report;
  };
  const shown = (checks: HealthReport["checks"]) =>
    options.publicFacing
      ? Object.fromEntries(Object.entries(checks).map(([name, { status }]) => [name, { status }]))
      : checks;
  const routes: Record<string, () => Promise<OpsResponse>> = {
    "/livez": async () => json(200, { status: "alive" }),
    "/readyz": async () => {
      if (options.isShuttingDown()) return json(503, { status: "shutting_down", checks: {} });
      const { ready, checks } = await report();
      return json(ready ? 200 : 503, { status: ready ? "ready" : "not_ready", checks: shown(checks) });
    },
  };
  const { metrics } = options;
  if (metrics) {
    routes["/metrics"] = async () => ({
      status: 200,
      contentType: metrics.contentType,
      body: await metrics.metrics(),
    });
  }
  return (path) => routes[path]?.();
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}
