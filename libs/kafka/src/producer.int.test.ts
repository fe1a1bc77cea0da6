import { isRetriable, PermanentError, TransientError } from "@flyt/errors";
import { createLogger } from "@flyt/logging";
import { testInfra, uniqueName } from "@flyt/testing";
import {
  type Admin,
  type Kafka,
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from "kafkajs";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKafka } from "./create-kafka";
import { EventProducer, publishFailure } from "./producer";
import { SchemaRegistryClient } from "./schema-registry";
import { createTopicsAndWait } from "./topics-admin";

const logger = createLogger({ service: "producer-test", level: "silent" });
const infra = testInfra();
let kafka: Kafka;
let admin: Admin;
let producer: EventProducer;

beforeAll(async () => {
  kafka = createKafka({ clientId: "flyt.producer-test", brokers: infra.kafkaBrokers, logger });
  admin = kafka.admin();
  producer = new EventProducer({
    kafka,
    registry: new SchemaRegistryClient(infra.schemaRegistryUrl),
    logger,
    metrics: new Registry(),
    // Long enough that the messages below share one produce request.
    lingerMs: 50,
  });
  await Promise.all([admin.connect(), producer.connect()]);
});
afterAll(async () => {
  await producer.disconnect();
  await admin.disconnect();
});

describe("EventProducer", () => {
  it("fails only the message the broker refuses when it shared a request with others", async () => {
    const topic = uniqueName("producer.small");
    await createTopicsAndWait(admin, [
      { topic, numPartitions: 1, configEntries: [{ name: "max.message.bytes", value: "2048" }] },
    ]);
    const small = (key: string) => producer.publishRaw(topic, { key, value: Buffer.from(key) });
    const outcomes = await Promise.allSettled([
      small("before"),
      producer.publishRaw(topic, { key: "large", value: Buffer.alloc(16_384, 1) }),
      small("after"),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const refused = (outcomes[1] as PromiseRejectedResult).reason;
    expect(refused).toBeInstanceOf(PermanentError);
    expect(isRetriable(refused)).toBe(false);
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.map((partition) => partition.high)).toEqual(["2"]);
  });
});

describe("publishFailure", () => {
  it("calls a broker kafkajs gave up reaching transient, though kafkajs says its error is not retriable", () => {
    const gaveUp = new KafkaJSNumberOfRetriesExceeded(
      new KafkaJSConnectionError("Connection error: connect ECONNREFUSED 127.0.0.1:9092"),
      { retryCount: 5, retryTime: 7_000 },
    );
    expect(isRetriable(gaveUp)).toBe(false);
    const failure = publishFailure(gaveUp);
    expect(failure).toBeInstanceOf(TransientError);
    expect(isRetriable(failure)).toBe(true);
    expect(failure.cause).toBe(gaveUp);
  });

  it("calls a refused message permanent, also behind kafkajs' retries", () => {
    const tooLarge = new KafkaJSProtocolError({
      type: "MESSAGE_TOO_LARGE",
      code: 10,
      retriable: false,
      message: "The request included a message larger than the max message size the server will accept",
    } as unknown as Error);
    expect(publishFailure(tooLarge)).toBeInstanceOf(PermanentError);
    expect(
      publishFailure(new KafkaJSNumberOfRetriesExceeded(tooLarge, { retryCount: 1, retryTime: 100 })),
    ).toBeInstanceOf(PermanentError);
  });
});
