/**
 * One topic of the catalogue (libs/topics). `T` is the decoded value type; the schema is the Avro schema the
 * producer writes and the consumer reads with. Topic names appear nowhere else in code.
 */
export interface TopicDefinition<T = unknown> {
  /** The name code uses, e.g. `submissionReceived`. */
  readonly name: string;
  /** The Kafka topic, e.g. `flyt.submission.received.v1`. */
  readonly topic: string;
  /** Avro schema of the value. Absent for topics that carry other topics' bytes unchanged (retry topics). */
  readonly valueSchema?: object;
  /** What the key is, for people: `case key`, `submission id`. */
  readonly key: string;
  readonly partitions: number;
  /** `retention.ms`; -1 keeps messages forever. */
  readonly retentionMs: number;
  readonly cleanupPolicy: "delete" | "compact" | "compact,delete";
  /** Phantom field carrying `T`; never set. */
  readonly valueType?: T;
}

/** The registry subject of a topic's value (TopicNameStrategy). */
export const valueSubject = (topic: Pick<TopicDefinition, "topic">): string => `${topic.topic}-value`;
