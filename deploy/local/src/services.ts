import { join } from "node:path";
import type { Logger } from "@flyt/logging";
import { isRunning, logTail, readManaged, spawnManaged, stopManaged } from "./process-control";
import { repoRoot } from "./settings";
import { type Supervisor, superviseProcesses } from "./supervisor";
import { waitFor } from "./wait";

/**
 * Pipeline services cap V8's heap, which otherwise grows lazily past 250 MB RSS under load (docs/benchmarks.md);
 * the gateway parses large request bodies and keeps V8's default. docker-compose.yml sets the same.
 */
export const PIPELINE_HEAP = "--max-old-space-size=192";

/**
 * The services of the local run: the port each serves (the gateway's API; the others' health and metrics) and
 * its ops port (health with reasons, and metrics: the gateway's own, apart from its public API).
 */
export const localServices = [
  { name: "gateway", port: 8080, opsPort: 8089, nodeArgs: [] },
  { name: "validation", port: 8091, opsPort: 8091, nodeArgs: [PIPELINE_HEAP] },
  { name: "archive-adapter", port: 8092, opsPort: 8092, nodeArgs: [PIPELINE_HEAP] },
  { name: "status-projection", port: 8093, opsPort: 8093, nodeArgs: [PIPELINE_HEAP] },
  { name: "callback-dispatcher", port: 8094, opsPort: 8094, nodeArgs: [PIPELINE_HEAP] },
] as const;

export const serviceProcessName = (service: string) => `service-${service}`;

export interface ServiceEnvironment {
  readonly kafkaBrokers: readonly string[];
  readonly schemaRegistryUrl: string;
  readonly databaseUrl: string;
  /** Prefixes the topics and consumer groups, so this run can share a broker with another. */
  readonly topicNamespace?: string;
  /** Added to every service's port. */
  readonly portOffset?: number;
  /** Settings only some services take, by service name (the gateway's OAuth issuer, say). */
  readonly perService?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

type LocalService = (typeof localServices)[number];

/** Where a service of the local run listens. */
export const servicePort = (service: LocalService, offset = 0) => service.port + offset;

/** Where a service of the local run serves /metrics and its whole readiness. */
export const opsPort = (service: LocalService, offset = 0) => service.opsPort + offset;

/** Starts one service from its build (`dist/main.js`) as a tracked background process. */
function startLocalService(stateDir: string, service: LocalService, infra: ServiceEnvironment) {
  const entry = join(repoRoot, "services", service.name, "dist", "main.js");
  return spawnManaged({
    stateDir,
    name: serviceProcessName(service.name),
    command: process.execPath,
    args: ["--enable-source-maps", ...service.nodeArgs, entry],
    marker: entry,
    env: {
      PATH: process.env.PATH,
      LOG_LEVEL: "info",
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: String(servicePort(service, infra.portOffset)),
      ...(service.opsPort !== service.port ? { OPS_PORT: String(opsPort(service, infra.portOffset)) } : {}),
      KAFKA_BROKERS: infra.kafkaBrokers.join(","),
      SCHEMA_REGISTRY_URL: infra.schemaRegistryUrl,
      DATABASE_URL: infra.databaseUrl,
      ...(infra.topicNamespace ? { FLYT_TOPIC_NAMESPACE: infra.topicNamespace } : {}),
      ...infra.perService?.[service.name],
    },
  });
}

/** Starts every service as a tracked background process and waits for /readyz. */
export async function startLocalServices(stateDir: string, infra: ServiceEnvironment, logger: Logger) {
  for (const service of localServices) {
    const managed = await startLocalService(stateDir, service, infra);
    logger.info({ service: service.name, pid: managed.pid, log: managed.logFile }, "service starting");
  }
  await Promise.all(
    localServices.map(async (service) => {
      const managed = await readManaged(stateDir, serviceProcessName(service.name));
      if (!managed) throw new Error(`${service.name} has no PID file`);
      try {
        await waitFor(
          service.name,
          async () => {
            const res = await fetch(`http://127.0.0.1:${opsPort(service, infra.portOffset)}/readyz`, {
              signal: AbortSignal.timeout(2_000),
            });
            await res.arrayBuffer();
            return res.status === 200;
          },
          { timeoutMs: 60_000, stillPossible: () => isRunning(managed) },
        );
      } catch (error) {
        throw new Error(
          `${(error as Error).message}\n--- ${managed.logFile} ---\n${await logTail(managed.logFile)}`,
        );
      }
    }),
  );
}

/** Restarts a service of the local run that died (with backoff, logged); the rest of the stack keeps running. */
export function superviseLocalServices(
  stateDir: string,
  infra: ServiceEnvironment,
  logger: Logger,
): Supervisor {
  return superviseProcesses({
    stateDir,
    logger,
    processes: localServices.map((service) => ({
      name: serviceProcessName(service.name),
      start: () => startLocalService(stateDir, service, infra),
    })),
  });
}

/** SIGTERM to every service at once; each drains within its own shutdown deadline. */
export async function stopLocalServices(stateDir: string): Promise<void> {
  await Promise.all(
    localServices.map((service) => stopManaged(stateDir, serviceProcessName(service.name), 20_000)),
  );
}
