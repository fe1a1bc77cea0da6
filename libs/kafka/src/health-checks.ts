import type { KafkaSecurity } from "@flyt/config";
import type { HealthCheck } from "@flyt/observability";
import { type Admin, Kafka, logLevel } from "kafkajs";
import { connectionSecurity } from "./create-kafka";
import { httpJson } from "./http-json";

/**
 * Ready when the cluster answers a metadata request. Uses its own quiet client that never retries: an
 * unreachable broker is reported by /readyz, not by a stream of connection errors in the log.
 */
export function kafkaHealthCheck(options: {
  readonly clientId: string;
  readonly brokers: readonly string[];
  /** The service's own TLS and SASL: readiness means its credentials are accepted, too. */
  readonly security?: KafkaSecurity | undefined;
}): HealthCheck & { close(): Promise<void> } {
  const kafka = new Kafka({
    clientId: `${options.clientId}.health`,
    brokers: [...options.brokers],
    ...connectionSecurity(options.security),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    retry: { retries: 0 },
  });
  let admin: Admin | undefined;
  return {
    name: "kafka",
    check: async () => {
      if (!admin) {
        const client = kafka.admin();
        await client.connect();
        admin = client;
      }
      await admin.describeCluster().catch(async (error: unknown) => {
        // Reconnect from scratch next time rather than trust a half-broken connection.
        const broken = admin;
        admin = undefined;
        await broken?.disconnect();
        throw error;
      });
    },
    close: async () => {
      await admin?.disconnect();
    },
  };
}

/** Ready when the Confluent-compatible registry answers its global config. */
export function schemaRegistryHealthCheck(registryUrl: string): HealthCheck {
  return {
    name: "schema-registry",
    check: async () => {
      const answer = await httpJson("GET", `${registryUrl.replace(/\/$/, "")}/config`, { timeoutMs: 2_000 });
      if (answer.status !== 200) throw new Error(`registry answered ${answer.status}`);
    },
  };
}
