import {
  durationMs,
  parseConfig,
  pipelineServiceConfig,
  pipelineServiceEnv,
  postgresUrl,
} from "@flyt/config";
import { DESTINATION_CHECK_EXPIRES_AFTER_MS } from "@flyt/registry";
import { z } from "zod";

const driverKinds = ["SIMULATOR", "FINT", "NOARK5"] as const;
/** Below what the adapter's retry policy covers (1,000 retry-topic attempts of at most 10 minutes). */
const MAX_RETRY_BUDGET_MS = 6 * 86_400_000;
const share = z.coerce.number().min(0).max(1);

/** `2026-11-23T08:00:00Z/2026-11-23T08:05:00Z,...`: when the simulated archive is down. */
const outages = z
  .string()
  .default("")
  .transform((value, ctx) =>
    value
      .split(",")
      .map((interval) => interval.trim())
      .filter(Boolean)
      .map((interval) => {
        const [from, to] = interval.split("/").map((instant) => new Date(instant ?? ""));
        if (!from || !to || Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from) {
          ctx.addIssue({ code: "custom", message: "each outage is <ISO start>/<ISO end>, end after start" });
          return { from: new Date(0), to: new Date(0) };
        }
        return { from, to };
      }),
  );

/** How this deployment reaches and treats its archives: what the service and its connection-check script share. */
const archiveEnv = {
  /** The archive systems this deployment writes to: one deployment per kind, each scaled on its own. */
  ARCHIVE_DRIVERS: z
    .string()
    .default("SIMULATOR")
    .transform((value) => value.split(",").map((kind) => kind.trim().toUpperCase()))
    .pipe(z.array(z.enum(driverKinds)).min(1)),
  /**
   * Cases (and archive calls) in flight per destination: a slow archive fills only its own share of the
   * handlers, so keep it below CONSUMER_CONCURRENCY.
   */
  ARCHIVE_CONCURRENCY_PER_DESTINATION: z.coerce.number().int().min(1).max(1_000).default(16),
  /** How long a run holds a submission without renewing (a killed run's submission waits this long). */
  ARCHIVE_LEASE_MS: durationMs.default(60_000),
  /** How long transient archive failures are retried before the submission is FAILED with the archive's message. */
  ARCHIVE_RETRY_BUDGET_MS: durationMs.default(2 * 3_600_000),
  /** JSON with how to reach each FINT or Noark 5 destination (secrets: mount it from the secret store). */
  ARCHIVE_CONNECTIONS_FILE: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.string().min(1).optional(),
  ),
  /**
   * How long a destination's connection check may take in all before it ends as timed out: under the 2 minutes
   * after which the admin API reads an unanswered check as expired.
   */
  DESTINATION_CHECK_TIMEOUT_MS: durationMs.max(DESTINATION_CHECK_EXPIRES_AFTER_MS - 20_000).default(60_000),
  CIRCUIT_FAILURE_THRESHOLD: z.coerce.number().int().min(1).default(5),
  CIRCUIT_OPEN_MS: durationMs.default(30_000),
  /** How often an open circuit probes its archive (one cheap read), to resume its waiting submissions when it is back. */
  CIRCUIT_PROBE_MS: durationMs.default(2_000),
  SIMULATOR_LATENCY_MS: z.coerce.number().int().min(0).default(0),
  SIMULATOR_ERROR_RATE: share.default(0),
  SIMULATOR_UNCERTAIN_RATE: share.default(0),
  SIMULATOR_OUTAGES: outages,
  /** The simulated destinations the latency, errors, lost answers and outages apply to; empty: all of them. */
  SIMULATOR_MISBEHAVING_DESTINATIONS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean),
    ),
};

type ArchiveEnv = z.output<z.ZodObject<typeof archiveEnv>>;

/** The archive part of the configuration, from the parsed environment. */
function archiveSettings(env: ArchiveEnv) {
  return {
    archive: {
      drivers: env.ARCHIVE_DRIVERS,
      connectionsFile: env.ARCHIVE_CONNECTIONS_FILE,
      concurrencyPerDestination: env.ARCHIVE_CONCURRENCY_PER_DESTINATION,
      leaseMs: env.ARCHIVE_LEASE_MS,
      retryBudgetMs: env.ARCHIVE_RETRY_BUDGET_MS,
      circuit: {
        failureThreshold: env.CIRCUIT_FAILURE_THRESHOLD,
        openMs: env.CIRCUIT_OPEN_MS,
        probeMs: env.CIRCUIT_PROBE_MS,
      },
      checkTimeoutMs: env.DESTINATION_CHECK_TIMEOUT_MS,
    },
    simulator: {
      latencyMs: env.SIMULATOR_LATENCY_MS,
      errorRate: env.SIMULATOR_ERROR_RATE,
      uncertainRate: env.SIMULATOR_UNCERTAIN_RATE,
      outages: env.SIMULATOR_OUTAGES,
      misbehavingDestinations: env.SIMULATOR_MISBEHAVING_DESTINATIONS,
    },
  };
}

const schema = z
  .object({
    ...pipelineServiceEnv(8092),
    ...archiveEnv,
  })
  .refine((env) => env.ARCHIVE_RETRY_BUDGET_MS <= MAX_RETRY_BUDGET_MS, {
    path: ["ARCHIVE_RETRY_BUDGET_MS"],
    message: "must be at most 6 days: the retry topic gives up after about a week",
  })
  .refine((env) => env.ARCHIVE_CONCURRENCY_PER_DESTINATION <= env.CONSUMER_CONCURRENCY, {
    path: ["ARCHIVE_CONCURRENCY_PER_DESTINATION"],
    message: "must not exceed CONSUMER_CONCURRENCY, or one slow archive can take every handler",
  })
  .transform((env, ctx) => ({
    ...pipelineServiceConfig("archive-adapter", env, ctx),
    ...archiveSettings(env),
  }));

export type ArchiveAdapterConfig = ReturnType<typeof loadConfig>;

/** The service's configuration, parsed once from the environment. See .env.example. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env) {
  return parseConfig(schema, env);
}

/**
 * What the connection-check script needs: the database (registry and reports) and how to reach the archives, as
 * the deployment sets them (run it where the adapter runs: the connections file holds the archives' secrets).
 */
export function loadCheckConfig(env: Readonly<Record<string, string | undefined>> = process.env) {
  return parseConfig(
    z.object({ DATABASE_URL: postgresUrl, ...archiveEnv }).transform((parsed) => ({
      databaseUrl: parsed.DATABASE_URL,
      ...archiveSettings(parsed),
    })),
    env,
  );
}
