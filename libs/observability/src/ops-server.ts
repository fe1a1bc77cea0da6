import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "@flyt/logging";
import type { Registry } from "prom-client";
import { type HealthCheck, runHealthChecks } from "./health";

export interface OpsServerOptions {
  readonly host: string;
  readonly port: number;
  readonly logger: Logger;
  readonly checks: readonly HealthCheck[];
  readonly metrics: Registry;
  readonly checkTimeoutMs?: number;
}

export interface OpsServer {
  listen(): Promise<AddressInfo>;
  /** Readiness answers 503 from now on, so load balancers stop sending work before the listener closes. */
  markShuttingDown(): void;
  close(): Promise<void>;
}

/**
 * `/livez` (the process answers), `/readyz` (its dependencies answer) and `/metrics` (Prometheus text).
 * Services without a public HTTP API serve only these.
 */
export function createOpsServer(options: OpsServerOptions): OpsServer {
  const logger = options.logger.child({ component: "ops-server" });
  const checkTimeoutMs = options.checkTimeoutMs ?? 2_000;
  let shuttingDown = false;

  const routes: Record<string, (res: ServerResponse) => Promise<void>> = {
    "/livez": async (res) => sendJson(res, 200, { status: "alive" }),
    "/readyz": async (res) => {
      if (shuttingDown) return sendJson(res, 503, { status: "shutting_down", checks: {} });
      const report = await runHealthChecks(options.checks, checkTimeoutMs);
      sendJson(res, report.ready ? 200 : 503, {
        status: report.ready ? "ready" : "not_ready",
        checks: report.checks,
      });
    },
    "/metrics": async (res) => {
      const body = await options.metrics.metrics();
      res.writeHead(200, { "content-type": options.metrics.contentType }).end(body);
    },
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://ops").pathname;
    const route = routes[path];
    if (req.method !== "GET" || !route) {
      sendJson(res, 404, { status: "not_found" });
      return;
    }
    route(res).catch((error: unknown) => {
      logger.error({ err: error, path }, "ops request failed");
      if (!res.headersSent) sendJson(res, 500, { status: "error" });
    });
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

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}
