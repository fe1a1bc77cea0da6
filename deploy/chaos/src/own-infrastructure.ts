import { join } from "node:path";
import {
  ensureEmbeddedPostgres,
  ensureLocalKafka,
  ensureLocalRegistry,
  type Infrastructure,
  isRunning,
  loadSettings,
  portAnswers,
  readManaged,
  repoRoot,
  resolveInfrastructure,
  waitFor,
} from "@flyt/local-infra";
import type { Logger } from "@flyt/logging";

/** Ports of the full profile's own Kafka, registry and Postgres, apart from the shared ones and `npm start`'s. */
const PORTS = { kafka: 29092, controller: 29093, registry: 28081, postgres: 25432 };

/** Kafka, the registry and Postgres started for the run alone (deploy/local's processes), so it may kill them. */
export interface OwnInfrastructure {
  readonly infra: Infrastructure;
  /** SIGKILL, then started again; resolves once it answers. */
  killKafka(): Promise<void>;
  killRegistry(): Promise<void>;
  /** A fast shutdown (SIGINT: clients cut off), then started again. */
  restartPostgres(): Promise<void>;
  stop(): Promise<void>;
}

export async function startOwnInfrastructure(logger: Logger): Promise<OwnInfrastructure> {
  const settings = loadSettings({
    FLYT_INFRA: "local",
    FLYT_POSTGRES: "embedded",
    FLYT_STATE_DIR: join(repoRoot, ".flyt", "chaos", "infrastructure"),
    FLYT_KAFKA_PORT: String(PORTS.kafka),
    FLYT_KAFKA_CONTROLLER_PORT: String(PORTS.controller),
    FLYT_REGISTRY_PORT: String(PORTS.registry),
    FLYT_EMBEDDED_POSTGRES_PORT: String(PORTS.postgres),
    HOME: process.env.HOME,
    XDG_CACHE_HOME: process.env.XDG_CACHE_HOME,
    FLYT_CACHE_DIR: process.env.FLYT_CACHE_DIR,
    JAVA_HOME: process.env.JAVA_HOME,
    FLYT_REGISTRY_JAVA_HOME: process.env.FLYT_REGISTRY_JAVA_HOME,
  });
  const infra = await resolveInfrastructure({ settings, logger, reapWithOwner: true });
  const kill = async (name: string, port: number, signal: NodeJS.Signals) => {
    const managed = await readManaged(settings.stateDir, name);
    if (!managed || !isRunning(managed)) throw new Error(`the run's ${name} is not running`);
    process.kill(managed.pid, signal);
    // Its port too: a dying process loses its command line before it closes its sockets, and starting it again
    // on a port still taken fails.
    await waitFor(
      `${name} gone`,
      async () => !isRunning(managed) && !(await portAnswers("127.0.0.1", port)),
      {
        timeoutMs: 60_000,
        intervalMs: 50,
      },
    );
  };
  return {
    infra,
    async killKafka() {
      await kill("kafka", PORTS.kafka, "SIGKILL");
      await ensureLocalKafka(settings, logger);
    },
    async killRegistry() {
      await kill("registry", PORTS.registry, "SIGKILL");
      await ensureLocalRegistry(settings, infra.postgresUrl, logger);
    },
    async restartPostgres() {
      await kill("postgres", PORTS.postgres, "SIGINT");
      await ensureEmbeddedPostgres(settings, logger);
    },
    stop: () => infra.stop(),
  };
}
