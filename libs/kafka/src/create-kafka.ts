import type { KafkaSasl, KafkaSecurity } from "@flyt/config";
import type { Logger } from "@flyt/logging";
import { Kafka, type KafkaConfig, logLevel as KafkaLogLevel, type LogEntry, type SASLOptions } from "kafkajs";
import { clientCredentialsTokens } from "./oauth-bearer";

/**
 * Reconnection backoff of every Kafka client: kafkajs's default grows to 30 s between attempts, so after a broker
 * restart a client could sleep half a minute past the broker's return. Capped at 3 s.
 */
export const reconnectBackoff = { initialRetryTime: 300, maxRetryTime: 3_000 } as const;

export interface KafkaOptions {
  /** `flyt.<service>`: shows up in broker logs and quotas. */
  readonly clientId: string;
  readonly brokers: readonly string[];
  readonly logger: Logger;
  /** TLS and SASL, as the service's configuration read them (`kafkaSecurityOf`); absent: plaintext. */
  readonly security?: KafkaSecurity | undefined;
}

const levelNames: Record<number, "error" | "warn" | "info" | "debug"> = {
  [KafkaLogLevel.ERROR]: "error",
  [KafkaLogLevel.WARN]: "warn",
  [KafkaLogLevel.INFO]: "info",
  [KafkaLogLevel.DEBUG]: "debug",
};

/** A kafkajs client whose logs go through the process logger, as `component: kafkajs`. */
export function createKafka(options: KafkaOptions): Kafka {
  const logger = options.logger.child({ component: "kafkajs" });
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    ...connectionSecurity(options.security),
    // Producers and admin clients come back as soon as a restarted broker does (see reconnectBackoff).
    retry: { ...reconnectBackoff, retries: 8 },
    logLevel: KafkaLogLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, ...fields } = log;
        logger[levelNames[level] ?? "info"]({ namespace, ...fields }, message);
      },
  });
}

/**
 * kafkajs's `ssl` and `sasl` for the configured security: the one mapping every client of ours goes through
 * (services, readiness checks, scripts). TLS always verifies the brokers' certificates.
 */
export function connectionSecurity(security: KafkaSecurity | undefined): Pick<KafkaConfig, "ssl" | "sasl"> {
  if (!security) return {};
  const { tls, sasl } = security;
  return {
    ...(tls
      ? {
          ssl: {
            rejectUnauthorized: true,
            ...(tls.ca === undefined ? {} : { ca: tls.ca }),
            ...(tls.cert === undefined ? {} : { cert: tls.cert }),
            ...(tls.key === undefined ? {} : { key: tls.key }),
            ...(tls.servername === undefined ? {} : { servername: tls.servername }),
          },
        }
      : {}),
    ...(sasl ? { sasl: saslOptions(sasl) } : {}),
  };
}

function saslOptions(sasl: KafkaSasl): SASLOptions {
  switch (sasl.mechanism) {
    case "oauthbearer":
      return { mechanism: "oauthbearer", oauthBearerProvider: clientCredentialsTokens(sasl) };
    case "plain":
      return { mechanism: "plain", username: sasl.username, password: sasl.password };
    case "scram-sha-256":
      return { mechanism: "scram-sha-256", username: sasl.username, password: sasl.password };
    case "scram-sha-512":
      return { mechanism: "scram-sha-512", username: sasl.username, password: sasl.password };
  }
}
