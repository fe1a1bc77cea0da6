import type { Logger } from "@flyt/logging";
import type { Kafka } from "kafkajs";
import { Registry } from "prom-client";
import { createKafka } from "../src/create-kafka";
import { EventProducer } from "../src/producer";
import { SchemaRegistryClient } from "../src/schema-registry";

/**
 * Kafka for an integration test against the test infrastructure: a client, the registry, and a producer that
 * registers schemas as it publishes (deployments register them beforehand). The producer is connected by the
 * test, in its `beforeAll`.
 */
export function testKafka(
  infra: { readonly kafkaBrokers: readonly string[]; readonly schemaRegistryUrl: string },
  clientId: string,
  logger: Logger,
): { kafka: Kafka; registry: SchemaRegistryClient; producer: EventProducer } {
  const kafka = createKafka({ clientId, brokers: infra.kafkaBrokers, logger });
  const registry = new SchemaRegistryClient(infra.schemaRegistryUrl);
  const producer = new EventProducer({
    kafka,
    registry,
    logger,
    metrics: new Registry(),
    registerSchemas: true,
  });
  return { kafka, registry, producer };
}
