import {
  booleanFlag,
  commonServiceEnv,
  durationMs,
  httpHost,
  kafkaSecurityOf,
  parseConfig,
  port,
} from "@flyt/config";
import { z } from "zod";

const envSchema = z
  .object({
    ...commonServiceEnv,
    HTTP_PORT: port.default(8080),
    /** /livez, /readyz (with why a dependency is down) and /metrics: for operators, never published. */
    OPS_PORT: port.default(8089),
    /** Where the ops port listens (default: HTTP_HOST). */
    OPS_HOST: httpHost.optional(),
    /** test or production: a client registered for the other environment is refused. */
    FLYT_ENVIRONMENT: z.enum(["test", "production"]),
    OAUTH_ISSUER: z.url(),
    OAUTH_AUDIENCE: z.string().min(1),
    OAUTH_JWKS_URI: z.url(),
    /** The app role (in a token's `roles` claim) the admin API requires. */
    ADMIN_ROLE: z.string().min(1).default("flyt.admin"),
    /** Shown to integrators in the OpenAPI document; the issuer's `/token` when absent. */
    OAUTH_TOKEN_URL: z.url().optional(),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(50 * 1024 * 1024),
    FILE_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(500 * 1024 * 1024),
    RATE_LIMIT_BURST: z.coerce.number().int().positive().default(200),
    RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(50),
    /** Request body bytes per client: a burst, then a sustained rate (one body of any size always goes). */
    RATE_LIMIT_BODY_BYTES_BURST: z.coerce
      .number()
      .int()
      .positive()
      .default(100 * 1024 * 1024),
    RATE_LIMIT_BODY_BYTES_PER_SECOND: z.coerce
      .number()
      .positive()
      .default(5 * 1024 * 1024),
    /** Upload bytes per client (POST /api/v1/files), a budget of their own: a burst, then a sustained rate. */
    RATE_LIMIT_UPLOAD_BYTES_BURST: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 * 1024 * 1024),
    RATE_LIMIT_UPLOAD_BYTES_PER_SECOND: z.coerce
      .number()
      .positive()
      .default(20 * 1024 * 1024),
    /** The admin API's own limit, per admin client: people and the console, not bulk intake. */
    ADMIN_RATE_LIMIT_BURST: z.coerce.number().int().positive().default(60),
    ADMIN_RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(10),
    PUBLISH_TIMEOUT_MS: durationMs.default(10_000),
    /** How long a client's or integration's registry entry is reused before it is read again. */
    REGISTRY_CACHE_MS: durationMs.default(5_000),
    DATABASE_POOL_MAX: z.coerce.number().int().positive().default(20),
    /** Plain http callbacks: only where the deployment allows it (local runs). */
    CALLBACK_ALLOW_HTTP: booleanFlag.default(false),
    /** Hosts callbacks may reach although they resolve to private or loopback addresses. */
    CALLBACK_ALLOWLIST: z
      .string()
      .default("")
      .transform((value) =>
        value
          .split(",")
          .map((host) => host.trim())
          .filter(Boolean),
      ),
    CALLBACK_SECRET_OVERLAP_HOURS: z.coerce.number().positive().default(24),
    STALE_PENDING_MS: durationMs.default(30_000),
    /** Register a missing Avro schema on first publish (local runs); deployments register them with topics:deploy. */
    REGISTER_SCHEMAS: booleanFlag.default(false),
    FLYT_TOPIC_NAMESPACE: z.string().optional(),
  })
  .transform((env, ctx) => ({
    logLevel: env.LOG_LEVEL,
    environment: env.FLYT_ENVIRONMENT,
    http: {
      host: env.HTTP_HOST,
      port: env.HTTP_PORT,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      fileLimitBytes: env.FILE_LIMIT_BYTES,
    },
    ops: { host: env.OPS_HOST ?? env.HTTP_HOST, port: env.OPS_PORT },
    oauth: {
      issuer: env.OAUTH_ISSUER,
      audience: env.OAUTH_AUDIENCE,
      jwksUri: env.OAUTH_JWKS_URI,
      tokenUrl: env.OAUTH_TOKEN_URL ?? `${env.OAUTH_ISSUER.replace(/\/$/, "")}/token`,
    },
    admin: {
      role: env.ADMIN_ROLE,
      rateLimit: { burst: env.ADMIN_RATE_LIMIT_BURST, perSecond: env.ADMIN_RATE_LIMIT_PER_SECOND },
    },
    rateLimit: {
      burst: env.RATE_LIMIT_BURST,
      perSecond: env.RATE_LIMIT_PER_SECOND,
      bodyBytes: {
        burst: env.RATE_LIMIT_BODY_BYTES_BURST,
        perSecond: env.RATE_LIMIT_BODY_BYTES_PER_SECOND,
        maxBody: env.BODY_LIMIT_BYTES,
      },
      uploadBytes: {
        burst: env.RATE_LIMIT_UPLOAD_BYTES_BURST,
        perSecond: env.RATE_LIMIT_UPLOAD_BYTES_PER_SECOND,
        maxBody: env.FILE_LIMIT_BYTES,
      },
    },
    intake: { publishTimeoutMs: env.PUBLISH_TIMEOUT_MS, stalePendingMs: env.STALE_PENDING_MS },
    callbacks: {
      allowHttp: env.CALLBACK_ALLOW_HTTP,
      allowlist: env.CALLBACK_ALLOWLIST,
      secretOverlapMs: env.CALLBACK_SECRET_OVERLAP_HOURS * 3_600_000,
    },
    kafka: {
      clientId: "flyt.gateway",
      brokers: env.KAFKA_BROKERS,
      security: kafkaSecurityOf(env, ctx),
      registerSchemas: env.REGISTER_SCHEMAS,
      topicNamespace: env.FLYT_TOPIC_NAMESPACE,
    },
    schemaRegistry: { url: env.SCHEMA_REGISTRY_URL },
    database: { url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX },
    registryCacheMs: env.REGISTRY_CACHE_MS,
    shutdown: { deadlineMs: env.SHUTDOWN_TIMEOUT_MS },
  }));

export type GatewayConfig = ReturnType<typeof loadConfig>;

/** The service's configuration, parsed once from the environment. See .env.example. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env) {
  return parseConfig(envSchema, env);
}
