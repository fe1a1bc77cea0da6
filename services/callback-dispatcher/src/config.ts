import { booleanFlag, parseConfig, pipelineServiceConfig, pipelineServiceEnv } from "@flyt/config";
import { z } from "zod";

const units: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as `250ms`, `5s`, `30m`, `2h` or `5d`. */
const duration = z
  .string()
  .trim()
  .regex(/^\d+(ms|s|m|h|d)$/, "a duration such as 250ms, 5s, 30m, 2h or 5d")
  .transform((value) => {
    const [, amount = "0", unit = "ms"] = /^(\d+)(ms|s|m|h|d)$/.exec(value) ?? [];
    return Number(amount) * (units[unit] ?? 1);
  });

/** A duration variable with its default. */
const durationOr = (fallback: string) => z.string().default(fallback).pipe(duration);

/** A comma-separated list variable, with its default. */
const listOr = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean),
    );

const count = (max: number) => z.coerce.number().int().min(1).max(max);

const envSchema = z
  .object({
    ...pipelineServiceEnv(8094),
    /** The waits after each failed attempt; when they run out, the delivery is parked (replayable). */
    CALLBACK_RETRY_SCHEDULE: listOr("5s,5m,30m,2h,5h,10h,10h,24h").pipe(
      z.array(duration).min(1, "at least one wait"),
    ),
    /** Share of each wait spread at random either way. */
    CALLBACK_RETRY_JITTER: z.coerce.number().min(0).max(0.5).default(0.2),
    /** The longest wait a Retry-After answer can ask for. */
    CALLBACK_MAX_RETRY_AFTER: durationOr("24h"),
    /** An endpoint that failed every attempt for this long is disabled and flagged for its tenant's operators. */
    CALLBACK_DISABLE_AFTER: durationOr("5d"),
    CALLBACK_ALLOW_HTTP: booleanFlag.default(false),
    /** Host names, addresses or CIDR ranges that may be called although private or loopback. */
    CALLBACK_ALLOWLIST: listOr(""),
    CALLBACK_CONNECT_TIMEOUT: durationOr("5s"),
    CALLBACK_TIMEOUT: durationOr("15s"),
    CALLBACK_RESPONSE_BODY_LIMIT_BYTES: count(1_048_576).default(4_096),
    /** Attempts in flight at once, in all. */
    CALLBACK_CONCURRENCY: count(10_000).default(256),
    /** Attempts in flight at once to one endpoint: a slow or dead endpoint holds at most these. */
    CALLBACK_CONCURRENCY_PER_ENDPOINT: count(1_000).default(8),
    /** How often due retries are looked for. */
    CALLBACK_POLL_INTERVAL: durationOr("1s"),
    /** How long a claimed delivery is this instance's; a killed instance's deliveries are taken over after it. */
    CALLBACK_LEASE: durationOr("60s"),
  })
  .transform((env, ctx) => ({
    ...pipelineServiceConfig("callback-dispatcher", env, ctx),
    callbacks: {
      schedule: {
        delaysMs: env.CALLBACK_RETRY_SCHEDULE,
        jitter: env.CALLBACK_RETRY_JITTER,
        maxRetryAfterMs: env.CALLBACK_MAX_RETRY_AFTER,
      },
      disableAfterMs: env.CALLBACK_DISABLE_AFTER,
      policy: { allowHttp: env.CALLBACK_ALLOW_HTTP, allowlist: env.CALLBACK_ALLOWLIST },
      connectTimeoutMs: env.CALLBACK_CONNECT_TIMEOUT,
      timeoutMs: env.CALLBACK_TIMEOUT,
      responseBodyLimitBytes: env.CALLBACK_RESPONSE_BODY_LIMIT_BYTES,
      concurrency: env.CALLBACK_CONCURRENCY,
      perEndpointConcurrency: env.CALLBACK_CONCURRENCY_PER_ENDPOINT,
      pollIntervalMs: env.CALLBACK_POLL_INTERVAL,
      leaseMs: env.CALLBACK_LEASE,
    },
  }))
  .refine((config) => config.callbacks.leaseMs > 2 * config.callbacks.timeoutMs, {
    message: "CALLBACK_LEASE must be more than twice CALLBACK_TIMEOUT",
    path: ["CALLBACK_LEASE"],
  });

export type CallbackDispatcherConfig = ReturnType<typeof loadConfig>;

/** The service's configuration, parsed once from the environment. See .env.example. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env) {
  return parseConfig(envSchema, env);
}
