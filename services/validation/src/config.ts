import { commonServiceEnv, parseConfig, port } from "@flyt/config";
import { z } from "zod";

const envSchema = z
  .object({
    ...commonServiceEnv,
    HTTP_PORT: port.default(8091),
  })
  .transform((env) => ({
    logLevel: env.LOG_LEVEL,
    http: { host: env.HTTP_HOST, port: env.HTTP_PORT },
    kafka: { clientId: "flyt.validation", brokers: env.KAFKA_BROKERS },
    schemaRegistry: { url: env.SCHEMA_REGISTRY_URL },
    database: { url: env.DATABASE_URL },
    shutdown: { deadlineMs: env.SHUTDOWN_TIMEOUT_MS },
  }));

export type ValidationConfig = ReturnType<typeof loadConfig>;

/** The service's configuration, parsed once from the environment. See .env.example. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env) {
  return parseConfig(envSchema, env);
}
