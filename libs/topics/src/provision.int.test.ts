import { createKafka } from "@flyt/kafka";
import { createLogger } from "@flyt/logging";
import { testInfra, uniqueName } from "@flyt/testing";
import { type Admin, ConfigResourceTypes } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { allTopics } from "./catalogue";
import { provisionTopics } from "./provision";

const logger = createLogger({ service: "test", level: "silent" });

describe("provisionTopics against Kafka", () => {
  let admin: Admin;
  beforeAll(async () => {
    admin = createKafka({ clientId: "flyt.test", brokers: testInfra().kafkaBrokers, logger }).admin();
    await admin.connect();
  });
  afterAll(() => admin.disconnect());

  it("creates every topic of the catalogue with its partitions, retention and cleanup policy, once", async () => {
    const topics = allTopics({ namespace: uniqueName("prov") });
    const first = await provisionTopics(admin, topics, logger);
    expect(first.created.sort()).toEqual(topics.map((topic) => topic.topic).sort());

    const received = topics.find((topic) => topic.name === "submissionReceived");
    if (!received) throw new Error("catalogue has no submissionReceived");
    const metadata = await admin.fetchTopicMetadata({ topics: [received.topic] });
    expect(metadata.topics[0]?.partitions).toHaveLength(received.partitions);
    expect(await topicConfig(admin, received.topic)).toEqual({
      "retention.ms": String(received.retentionMs),
      "cleanup.policy": "delete",
    });

    const second = await provisionTopics(admin, topics, logger);
    expect(second).toEqual({ created: [], reconfigured: [], underPartitioned: [] });
  });

  it("puts back a retention someone changed by hand", async () => {
    const topics = allTopics({ namespace: uniqueName("drift") });
    await provisionTopics(admin, topics, logger);
    const dlq = topics.find((topic) => topic.name === "validationDeadLetter");
    if (!dlq) throw new Error("catalogue has no validationDeadLetter");
    // A just-created topic can briefly be unknown to the broker's config handler (a retriable error).
    await vi.waitFor(
      () =>
        admin.alterConfigs({
          validateOnly: false,
          resources: [
            {
              type: ConfigResourceTypes.TOPIC,
              name: dlq.topic,
              configEntries: [{ name: "retention.ms", value: "1000" }],
            },
          ],
        }),
      { timeout: 10_000, interval: 200 },
    );

    // Config changes reach the broker's view through the KRaft metadata log, a moment after the answer.
    // On this 2-core machine under the parallel suite that moment has exceeded vi.waitFor's 1 s default.
    const propagation = { timeout: 15_000, interval: 100 };
    await vi.waitFor(
      async () => expect((await topicConfig(admin, dlq.topic))["retention.ms"]).toBe("1000"),
      propagation,
    );

    const report = await provisionTopics(admin, topics, logger);
    expect(report.reconfigured).toEqual([dlq.topic]);
    await vi.waitFor(
      async () => expect((await topicConfig(admin, dlq.topic))["retention.ms"]).toBe(String(dlq.retentionMs)),
      propagation,
    );
  });
});

async function topicConfig(admin: Admin, topic: string): Promise<Record<string, string>> {
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [
      { type: ConfigResourceTypes.TOPIC, name: topic, configNames: ["retention.ms", "cleanup.policy"] },
    ],
  });
  return Object.fromEntries(
    (resources[0]?.configEntries ?? []).map((entry) => [entry.configName, entry.configValue]),
  );
}
