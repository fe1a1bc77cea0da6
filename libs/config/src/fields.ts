import { z } from "zod";
import { kafkaSecurityEnv, kafkaSecurityOf } from "./kafka-security";

export const port = z.coerce.number().int().min(0).max(65535);

export const httpHost = z.string().min(1);

export const durationMs = z.coerce.number().int().positive();

export const logLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

export const booleanFlag = z
  .enum(["true", "false", "1", "0"])
  .transform((value) => value === "true" || value === "1");

/** `host:port[,host:port...]` as kafkajs expects it. */
export const brokerList = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((broker) => broker.trim())
      .filter((broker) => broker.length > 0),
  )
  .pipe(
    z
      .array(z.string().regex(/^[^\s:]+:\d{1,5}$/, "each broker must be host:port"))
      .min(1, "at least one broker"),
  );

export const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), "must be a postgres:// URL");

/**
 * Environment every service reads: logging, the infrastructure it talks to (Kafka with its TLS and SASL
 * settings: `kafkaSecurityOf` in the service's transform), its HTTP listener and shutdown.
 */
export const commonServiceEnv = {
  LOG_LEVEL: logLevel.default("info"),
  HTTP_HOST: httpHost.default("0.0.0.0"),
  KAFKA_BROKERS: brokerList,
  ...kafkaSecurityEnv,
  SCHEMA_REGISTRY_URL: z.url(),
  DATABASE_URL: postgresUrl,
  SHUTDOWN_TIMEOUT_MS: durationMs.default(15_000),
};

/** The environment every pipeline service reads; a service with settings of its own adds them to this shape. */
export function pipelineServiceEnv(defaultPort: number) {
  return {
    ...commonServiceEnv,
    HTTP_PORT: port.default(defaultPort),
    /** Messages handled at once, across keys; one key is always handled in order. */
    CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(32),
    /** A partition stops fetching while this many of its messages wait: bounds memory under a backlog. */
    CONSUMER_MAX_IN_FLIGHT_PER_PARTITION: z.coerce.number().int().min(1).max(10_000).default(200),
    /**
     * How long the consumer group waits for a silent member (a killed process) before moving its partitions, also to
     * the process restarted in its place: heartbeats go every second, so 10 s only drops a member stalled that long.
     */
    CONSUMER_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).max(300_000).default(10_000),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    /** Register a missing Avro schema on first publish (local runs); deployments register them with topics:deploy. */
    REGISTER_SCHEMAS: booleanFlag.default(false),
    /** Prefixes every topic name: tests and benchmarks run side by side on one broker. */
    FLYT_TOPIC_NAMESPACE: z.string().optional(),
  };
}

type PipelineServiceEnv = z.output<z.ZodObject<ReturnType<typeof pipelineServiceEnv>>>;

/**
 * The common part of a pipeline service's configuration, from its parsed environment; `ctx` (the transform's)
 * takes what is wrong with the Kafka security settings.
 */
export function pipelineServiceConfig(service: string, env: PipelineServiceEnv, ctx: z.RefinementCtx) {
  return {
    logLevel: env.LOG_LEVEL,
    http: { host: env.HTTP_HOST, port: env.HTTP_PORT },
    kafka: {
      clientId: `flyt.${service}`,
      brokers: env.KAFKA_BROKERS,
      security: kafkaSecurityOf(env, ctx),
      concurrency: env.CONSUMER_CONCURRENCY,
      maxInFlightPerPartition: env.CONSUMER_MAX_IN_FLIGHT_PER_PARTITION,
      sessionTimeoutMs: env.CONSUMER_SESSION_TIMEOUT_MS,
      registerSchemas: env.REGISTER_SCHEMAS,
      topicNamespace: env.FLYT_TOPIC_NAMESPACE,
    },
    schemaRegistry: { url: env.SCHEMA_REGISTRY_URL },
    database: { url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX },
    shutdown: { deadlineMs: env.SHUTDOWN_TIMEOUT_MS },
  };
}

/**
 * The configuration of a pipeline service (validation, archive adapter, status projection, callback dispatcher):
 * the common environment, its own default port and Kafka client id `flyt.<service>`.
 */
export function pipelineServiceSchema(service: string, defaultPort: number) {
  return z
    .object(pipelineServiceEnv(defaultPort))
    .transform((env, ctx) => pipelineServiceConfig(service, env, ctx));
}

export type PipelineServiceConfig = z.output<ReturnType<typeof pipelineServiceSchema>>;
