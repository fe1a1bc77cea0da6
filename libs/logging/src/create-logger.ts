import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger };

/** Keys whose values are never written, at any of the first three levels of a log record. */
export const REDACTED_KEYS = [
  "password",
  "secret",
  // Callback signing secrets (the current and, during a rotation, the previous one) and signatures.
  "secrets",
  "previousSecret",
  "previous_secret",
  "webhook-signature",
  "clientSecret",
  "client_secret",
  "token",
  "accessToken",
  "access_token",
  "refreshToken",
  "authorization",
  "cookie",
  "apiKey",
  "databaseUrl",
  "webhookSecret",
] as const;

const redactPaths = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export interface LoggerOptions {
  /** Service or tool name, on every record as `service`. */
  readonly service: string;
  readonly level: string;
  /** Where records go; stdout when absent. Tests pass a stream to read them back. */
  readonly destination?: DestinationStream;
}

/** The one logger of a process. Parts of the process take `logger.child({ component })`. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths, censor: "[REDACTED]" },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    options.destination,
  );
}
