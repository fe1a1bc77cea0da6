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
    // A TLS handshake with SASL (and a token request) takes longer than a plain connection on a busy machine.
    connectionTimeout: options.security ? 5_000 : 1_000,
    retry: { retries: 0 },
  });
  // One connection, made by one check at a time: a check that times out while TLS, SASL and a token request
  // take their time must not leave a connection behind it for each probe.
  let admin: Promise<Admin> | undefined;
  const connected = () => {
    admin ??= (async () => {
      const client = kafka.admin();
      try {
        await client.connect();
        return client;
      } catch (error) {
        admin = undefined;
        await client.disconnect().catch(() => undefined);
        throw error;
      }
    })();
    return admin;
  };
  return {
    name: "kafka",
    check: async () => {
      const client = await connected();
      await client.describeCluster().catch(async (error: unknown) => {
        // Reconnect from scratch next time rather than trust a half-broken connection.
        if (admin) admin = undefined;
        await client.disconnect().catch(() => undefined);
        throw error;
      });
    },
    close: async () => {
      const client = await admin?.catch(() => undefined);
      await client?.disconnect();
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
