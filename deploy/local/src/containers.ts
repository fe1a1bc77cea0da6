import { request } from "node:http";
import type { Logger } from "@flyt/logging";
import { setGlobalCompatibility } from "./registry";
import type { InfraSettings } from "./settings";

/** True when a Docker-compatible engine answers `/_ping` (the client alone is not enough). */
export async function containerRuntimeAnswers(settings: InfraSettings): Promise<boolean> {
  const target = pingTarget(settings.dockerHost);
  if (!target) return false;
  return new Promise((resolve) => {
    const req = request({ ...target, path: "/_ping", method: "GET", timeout: 1_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once("timeout", () => req.destroy());
    req.once("error", () => resolve(false));
    req.end();
  });
}

function pingTarget(
  dockerHost: string | undefined,
): { socketPath: string } | { host: string; port: number } | undefined {
  if (!dockerHost) return { socketPath: "/var/run/docker.sock" };
  if (dockerHost.startsWith("unix://")) return { socketPath: dockerHost.slice("unix://".length) };
  if (dockerHost.startsWith("tcp://")) {
    const url = new URL(dockerHost.replace("tcp://", "http://"));
    return { host: url.hostname, port: Number(url.port || 2375) };
  }
  return undefined;
}

/**
 * Kafka (KRaft), Apicurio Registry and Postgres as containers, the same images as docker-compose.yml.
 * testcontainers is loaded only here, so machines without a runtime never pay for it.
 */
export async function startContainers(logger: Logger) {
  const log = logger.child({ component: "containers" });
  const { GenericContainer, Wait } = await import("testcontainers");
  const { KafkaContainer } = await import("@testcontainers/kafka");
  const { PostgreSqlContainer } = await import("@testcontainers/postgresql");

  log.info("starting Kafka, Apicurio Registry and Postgres containers");
  const [kafka, registry, postgres] = await Promise.all([
    new KafkaContainer("confluentinc/cp-kafka:7.9.1").withKraft().withExposedPorts(9093).start(),
    new GenericContainer("apicurio/apicurio-registry:3.3.3")
      .withExposedPorts(8080)
      .withWaitStrategy(Wait.forHttp("/apis/ccompat/v7/config", 8080))
      .start(),
    new PostgreSqlContainer("postgres:15-alpine").start(),
  ]);
  const schemaRegistryUrl = `http://${registry.getHost()}:${registry.getMappedPort(8080)}/apis/ccompat/v7`;
  await setGlobalCompatibility(schemaRegistryUrl, "BACKWARD");
  return {
    kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
    schemaRegistryUrl,
    postgresUrl: postgres.getConnectionUri(),
    stop: async () => {
      await Promise.all([kafka.stop(), registry.stop(), postgres.stop()]);
    },
  };
}
