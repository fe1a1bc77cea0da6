import { EventEmitter } from "node:events";
import { createLogger } from "@flyt/logging";
import type { Kafka } from "kafkajs";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import type { EventProducer } from "../producer";
import type { SchemaRegistryClient } from "../schema-registry";
import { ConsumerRunner } from "./consumer-runner";

/** kafkajs's consumer as far as the runner's start-up touches it: what it emits is the test's to say. */
function fakeKafka() {
  const emitter = new EventEmitter();
  const consumer = {
    events: { CRASH: "consumer.crash", GROUP_JOIN: "consumer.group_join" },
    on: (event: string, listener: (event: unknown) => void) => emitter.on(event, listener),
    connect: async () => {},
    subscribe: async () => {},
    run: async () => {},
    pause: () => {},
    commitOffsets: async () => {},
    disconnect: async () => {},
  };
  return {
    kafka: { consumer: () => consumer } as unknown as Kafka,
    crash: (restart: boolean) =>
      emitter.emit("consumer.crash", {
        payload: { error: new Error("GROUP_AUTHORIZATION_FAILED"), restart },
      }),
  };
}

describe("ConsumerRunner when kafkajs gives up", () => {
  it("tells the service that its consumer stopped for good, and not when kafkajs restarts it", async () => {
    const { kafka, crash } = fakeKafka();
    const stopped: Error[] = [];
    const runner = new ConsumerRunner({
      kafka,
      registry: {} as SchemaRegistryClient,
      producer: {} as EventProducer,
      logger: createLogger({ service: "test", level: "silent" }),
      metrics: new Registry(),
      groupId: "flyt.test",
      handlers: [],
      deadLetterTopic: { name: "deadLetter", topic: "flyt.test.dlq" } as never,
      onStoppedForGood: (error) => stopped.push(error),
    });
    await runner.start();
    crash(true);
    expect(stopped).toEqual([]);
    crash(false);
    expect(stopped.map((error) => error.message)).toEqual(["GROUP_AUTHORIZATION_FAILED"]);
    await runner.stop(1_000);
  });
});
