import { type EventHeaders, eventHeadersOf, readHeaders, type SchemaRegistryClient } from "@flyt/kafka";
import type { Kafka } from "kafkajs";

/** Per topic, per partition: an offset (the next one to read, or the end of a snapshot). */
export type TopicOffsets = ReadonlyMap<string, ReadonlyMap<number, bigint>>;

/** Where every partition of the topics starts (what retention kept) and ends, now. */
export interface TopicRanges {
  readonly low: TopicOffsets;
  readonly high: TopicOffsets;
}

/** One decoded message of a topic read. */
export interface ReadMessage {
  readonly topic: string;
  readonly value: unknown;
  readonly headers: EventHeaders;
}

/** Where every partition of the topics starts and ends now: a snapshot to read up to. */
export async function topicRanges(kafka: Kafka, topics: readonly string[]): Promise<TopicRanges> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const low = new Map<string, Map<number, bigint>>();
    const high = new Map<string, Map<number, bigint>>();
    for (const topic of topics) {
      const partitions = await admin.fetchTopicOffsets(topic);
      low.set(topic, new Map(partitions.map((p) => [p.partition, BigInt(p.low)])));
      high.set(topic, new Map(partitions.map((p) => [p.partition, BigInt(p.high)])));
    }
    return { low, high };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads the topics from `from` (their beginning when left out) up to the snapshot's ends, decoding each value
 * through the registry, and hands the messages over in batches. A partition with nothing left to read (retention
 * may have emptied it) is done at once; the read fails rather than waits past `timeoutMs`. A consumer group of
 * its own that commits nothing, so it neither disturbs nor is disturbed by the services' groups.
 */
export async function readTopics(options: {
  readonly kafka: Kafka;
  readonly registry: SchemaRegistryClient;
  readonly groupId: string;
  /** Each topic's value schema, to decode with. */
  readonly schemas: ReadonlyMap<string, object>;
  readonly to: TopicRanges;
  readonly from?: TopicOffsets;
  readonly timeoutMs: number;
  readonly onBatch: (messages: readonly ReadMessage[]) => Promise<void>;
}): Promise<{ readonly messages: number }> {
  const { kafka, registry, to, from } = options;
  const remaining = new Set<string>();
  for (const [topic, partitions] of to.high) {
    for (const [partition, end] of partitions) {
      const kept = to.low.get(topic)?.get(partition) ?? 0n;
      const start = [from?.get(topic)?.get(partition) ?? 0n, kept].reduce((a, b) => (a > b ? a : b));
      if (end > start) remaining.add(`${topic}/${partition}`);
    }
  }
  if (remaining.size === 0) return { messages: 0 };
  if (from) {
    const admin = kafka.admin();
    await admin.connect();
    try {
      for (const [topic, partitions] of from) {
        await admin.setOffsets({
          groupId: options.groupId,
          topic,
          partitions: [...partitions].map(([partition, offset]) => ({ partition, offset: String(offset) })),
        });
      }
    } finally {
      await admin.disconnect();
    }
  }

  const consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
  let read = 0;
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...to.high.keys()], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(new Error(`the topics were not read in ${options.timeoutMs} ms (${read} messages read)`)),
        options.timeoutMs,
      );
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const end = to.high.get(batch.topic)?.get(batch.partition) ?? 0n;
            const messages: ReadMessage[] = [];
            for (const message of batch.messages) {
              if (BigInt(message.offset) >= end) break;
              messages.push({
                topic: batch.topic,
                value: await registry.decode(message.value, options.schemas.get(batch.topic) as object),
                headers: eventHeadersOf(readHeaders(message.headers)),
              });
            }
            if (messages.length > 0) await options.onBatch(messages);
            read += messages.length;
            const last = batch.messages.at(-1);
            if (last && BigInt(last.offset) + 1n >= end) {
              remaining.delete(`${batch.topic}/${batch.partition}`);
              consumer.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
            }
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return { messages: read };
}
