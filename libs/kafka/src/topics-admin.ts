import { retryWhileRetriable, TransientError } from "@flyt/errors";
import type { Admin, ITopicConfig } from "kafkajs";

/**
 * Creates topics (existing ones are left as they are) and returns only once every partition has a leader in
 * the metadata. Right after creation KRaft can answer with UNKNOWN_TOPIC_OR_PARTITION for a moment, which
 * kafkajs does not retry everywhere (subscribe, metadata refreshes): every topic creation goes through here.
 */
export async function createTopicsAndWait(admin: Admin, topics: readonly ITopicConfig[]): Promise<void> {
  if (topics.length === 0) return;
  await retryWhileRetriable(() => admin.createTopics({ waitForLeaders: true, topics: [...topics] }));
  await retryWhileRetriable(async () => {
    const { topics: metadata } = await admin.fetchTopicMetadata({
      topics: topics.map((topic) => topic.topic),
    });
    const unready = metadata.filter(
      (topic) => topic.partitions.length === 0 || topic.partitions.some((partition) => partition.leader < 0),
    );
    if (unready.length > 0)
      throw new TransientError(`no leader yet for ${unready.map((t) => t.name).join(", ")}`);
  });
}
