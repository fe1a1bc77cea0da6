import { createKafka, createTopicsAndWait, type TopicDefinition } from "@flyt/kafka";
import type { Logger } from "@flyt/logging";
import kafkajs, { type Admin } from "kafkajs";
import { allTopics } from "./catalogue";

// kafkajs is CommonJS and Node cannot see this export by name from ESM; vitest can, so only a real run fails.
const { ConfigResourceTypes } = kafkajs;

export interface ProvisionReport {
  readonly created: string[];
  readonly reconfigured: string[];
  /** Topics with fewer partitions than the catalogue says: adding partitions remaps keys, so it is left to people. */
  readonly underPartitioned: string[];
}

const configOf = (topic: TopicDefinition) => ({
  "retention.ms": String(topic.retentionMs),
  "cleanup.policy": topic.cleanupPolicy,
});

/**
 * Creates the catalogue's topics that are missing and sets retention and cleanup policy on those that
 * drifted. Idempotent: run it at every start-up of the local run and at every deployment.
 */
export async function provisionTopics(
  admin: Admin,
  topics: readonly TopicDefinition[],
  logger: Logger,
): Promise<ProvisionReport> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic.topic));
  if (missing.length > 0) {
    await createTopicsAndWait(
      admin,
      missing.map((topic) => ({
        topic: topic.topic,
        numPartitions: topic.partitions,
        configEntries: Object.entries(configOf(topic)).map(([name, value]) => ({ name, value })),
      })),
    );
  }

  const present = topics.filter((topic) => existing.has(topic.topic));
  const reconfigured: string[] = [];
  const underPartitioned: string[] = [];
  if (present.length > 0) {
    const [{ resources }, metadata] = await Promise.all([
      admin.describeConfigs({
        includeSynonyms: false,
        resources: present.map((topic) => ({
          type: ConfigResourceTypes.TOPIC,
          name: topic.topic,
          configNames: Object.keys(configOf(topic)),
        })),
      }),
      admin.fetchTopicMetadata({ topics: present.map((topic) => topic.topic) }),
    ]);
    for (const topic of present) {
      const actual = resources.find((resource) => resource.resourceName === topic.topic)?.configEntries ?? [];
      const wanted = configOf(topic);
      const drifted = Object.entries(wanted).some(
        ([name, value]) => actual.find((entry) => entry.configName === name)?.configValue !== value,
      );
      if (drifted) reconfigured.push(topic.topic);
      const partitions = metadata.topics.find((t) => t.name === topic.topic)?.partitions.length ?? 0;
      if (partitions < topic.partitions) underPartitioned.push(topic.topic);
    }
    if (reconfigured.length > 0) {
      await admin.alterConfigs({
        validateOnly: false,
        resources: present
          .filter((topic) => reconfigured.includes(topic.topic))
          .map((topic) => ({
            type: ConfigResourceTypes.TOPIC,
            name: topic.topic,
            configEntries: Object.entries(configOf(topic)).map(([name, value]) => ({ name, value })),
          })),
      });
    }
  }

  const report = { created: missing.map((topic) => topic.topic), reconfigured, underPartitioned };
  if (underPartitioned.length > 0) {
    logger.warn(
      { topics: underPartitioned },
      "topics have fewer partitions than the catalogue; not changed automatically",
    );
  }
  logger.info(
    { created: report.created.length, reconfigured: reconfigured.length, total: topics.length },
    "topics provisioned",
  );
  return report;
}

/** Every topic of a deployment (or of a test run's namespace), provisioned through a short-lived admin client. */
export async function provisionDeploymentTopics(options: {
  readonly brokers: readonly string[];
  readonly namespace?: string;
  readonly logger: Logger;
}): Promise<ProvisionReport> {
  const admin = createKafka({
    clientId: "flyt.topics",
    brokers: options.brokers,
    logger: options.logger,
  }).admin();
  await admin.connect();
  try {
    return await provisionTopics(
      admin,
      allTopics(options.namespace ? { namespace: options.namespace } : {}),
      options.logger,
    );
  } finally {
    await admin.disconnect();
  }
}
