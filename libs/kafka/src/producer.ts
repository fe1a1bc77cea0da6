import { PermanentError, TransientError } from "@flyt/errors";
import type { Logger } from "@flyt/logging";
import type { Kafka, Message, Producer, TopicMessages } from "kafkajs";
import { Counter, Histogram, type Registry } from "prom-client";
import { type EventHeaders, toKafkaHeaders } from "./headers";
import type { SchemaRegistryClient } from "./schema-registry";
import type { TopicDefinition } from "./topic";

export interface EventProducerOptions {
  readonly kafka: Kafka;
  readonly registry: SchemaRegistryClient;
  readonly logger: Logger;
  readonly metrics: Registry;
  /** How long a message may wait for others to share its request. */
  readonly lingerMs?: number;
  /** A batch is sent at once when it reaches this many messages. */
  readonly maxBatchSize?: number;
  /** Register schemas that are missing (local runs, tests); deployments register them beforehand. */
  readonly registerSchemas?: boolean;
}

export interface OutgoingEvent<T> {
  readonly key: string;
  readonly value: T;
  readonly headers: EventHeaders;
  readonly extraHeaders?: Readonly<Record<string, string>>;
}

/** Raised when the broker has not acknowledged in time; the message may still be written later. */
export class PublishTimeoutError extends TransientError {
  /** Resolves if the broker acknowledges after all; rejects (never unhandled) if it does not. */
  readonly acknowledged: Promise<void>;

  constructor(message: string, acknowledged: Promise<void>) {
    super(message);
    this.acknowledged = acknowledged;
    acknowledged.catch(() => undefined);
  }
}

interface Pending {
  readonly topic: string;
  readonly message: Message;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Publishes Avro events: idempotent producer, acks from all in-sync replicas, and a short linger so that
 * concurrent publishes share one request. `publish` resolves only once the broker has acknowledged.
 * One request is in flight at a time, so messages of a key keep their order even across retries.
 */
export class EventProducer {
  readonly #producer: Producer;
  readonly #options: EventProducerOptions;
  readonly #lingerMs: number;
  readonly #maxBatchSize: number;
  #queue: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  #scheduled: "now" | "later" | undefined;
  #inFlight: Promise<void> | undefined;
  readonly #published: Counter<"topic">;
  readonly #batchSize: Histogram;

  constructor(options: EventProducerOptions) {
    this.#options = options;
    this.#lingerMs = options.lingerMs ?? 2;
    this.#maxBatchSize = options.maxBatchSize ?? 500;
    this.#producer = options.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    this.#published = new Counter({
      name: "flyt_producer_messages_published_total",
      help: "Messages the broker acknowledged, by topic.",
      labelNames: ["topic"],
      registers: [options.metrics],
    });
    this.#batchSize = new Histogram({
      name: "flyt_producer_batch_messages",
      help: "Messages per produce request.",
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500],
      registers: [options.metrics],
    });
  }

  connect(): Promise<void> {
    return this.#producer.connect();
  }

  /** Encodes and publishes one event; resolves when it is durably in Kafka (acks=all). */
  async publish<T>(topic: TopicDefinition<T>, event: OutgoingEvent<T>, options: { timeoutMs?: number } = {}) {
    const send = async () => {
      const schemaId = await this.#options.registry.schemaIdFor(topic, {
        register: this.#options.registerSchemas ?? false,
      });
      const value = this.#options.registry.encode(topic, schemaId, event.value);
      await this.publishRaw(topic.topic, {
        key: event.key,
        value,
        headers: toKafkaHeaders(event.headers, event.extraHeaders),
      });
    };
    // The deadline covers the schema lookup too, not only the broker's acknowledgement.
    await (options.timeoutMs ? withTimeout(send(), options.timeoutMs, topic.topic) : send());
  }

  /** Publishes bytes as they are (the consumer runner forwards messages to retry topics this way). */
  publishRaw(topic: string, message: Message, options: { timeoutMs?: number } = {}): Promise<void> {
    const sent = new Promise<void>((resolve, reject) => {
      this.#queue.push({ topic, message, resolve, reject });
      if (this.#queue.length >= this.#maxBatchSize) this.#flushSoon(0);
      else this.#flushSoon(this.#lingerMs);
    });
    if (!options.timeoutMs) return sent;
    return withTimeout(sent, options.timeoutMs, topic);
  }

  /** Sends what is queued, waits for it, then disconnects. */
  async disconnect(): Promise<void> {
    await this.#flushAll();
    await this.#producer.disconnect();
  }

  #flushSoon(delayMs: number) {
    if (this.#inFlight) return; // The request in flight flushes the queue when it returns.
    if (this.#scheduled === "now" || (this.#scheduled === "later" && delayMs > 0)) return;
    clearTimeout(this.#timer);
    const flush = () => {
      this.#scheduled = undefined;
      this.#timer = undefined;
      if (this.#inFlight) return;
      this.#inFlight = this.#send().finally(() => {
        this.#inFlight = undefined;
        if (this.#queue.length > 0) this.#flushSoon(0);
      });
    };
    // setTimeout(0) waits at least a millisecond; a full batch, or one queued behind a request, goes now.
    if (delayMs > 0) {
      this.#scheduled = "later";
      this.#timer = setTimeout(flush, delayMs);
    } else {
      this.#scheduled = "now";
      setImmediate(flush);
    }
  }

  async #send(): Promise<void> {
    await this.#deliver(this.#queue.splice(0, this.#maxBatchSize));
  }

  /** Sends a batch and settles each of its messages; answers what went wrong, if anything did. */
  async #deliver(batch: readonly Pending[]): Promise<unknown> {
    if (batch.length === 0) return undefined;
    const byTopic = new Map<string, Message[]>();
    for (const pending of batch) {
      const messages = byTopic.get(pending.topic) ?? [];
      messages.push(pending.message);
      byTopic.set(pending.topic, messages);
    }
    const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    try {
      await this.#producer.sendBatch({ topicMessages, acks: -1 });
      this.#batchSize.observe(batch.length);
      for (const { topic, messages } of topicMessages) this.#published.inc({ topic }, messages.length);
      for (const pending of batch) pending.resolve();
      return undefined;
    } catch (error) {
      if (batch.length > 1 && refusesMessages(error)) return this.#deliverOneByOne(batch);
      this.#options.logger.error({ err: error, messages: batch.length }, "publish failed");
      const failure = publishFailure(error);
      for (const pending of batch) pending.reject(failure);
      return error;
    }
  }

  /**
   * One message the broker refuses fails the whole request: sent one by one, only that one fails. Should the
   * broker fail otherwise meanwhile, the rest fail with it rather than wait out its retries one at a time.
   */
  async #deliverOneByOne(batch: readonly Pending[]): Promise<unknown> {
    for (const [index, pending] of batch.entries()) {
      const error = await this.#deliver([pending]);
      if (error !== undefined && !refusesMessages(error)) {
        const failure = publishFailure(error);
        for (const rest of batch.slice(index + 1)) rest.reject(failure);
        return error;
      }
    }
    return undefined;
  }

  async #flushAll(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#scheduled = undefined;
    while (this.#inFlight || this.#queue.length > 0) {
      if (this.#inFlight) await this.#inFlight;
      else {
        this.#inFlight = this.#send().finally(() => {
          this.#inFlight = undefined;
        });
      }
    }
  }
}

/** What the broker says about the messages themselves: sending them again cannot help. */
const REFUSED_MESSAGE_TYPES = new Set(["MESSAGE_TOO_LARGE", "RECORD_LIST_TOO_LARGE", "INVALID_RECORD"]);

function refusesMessages(error: unknown): boolean {
  const { type, cause } = (error ?? {}) as { type?: unknown; cause?: unknown };
  if (typeof type === "string" && REFUSED_MESSAGE_TYPES.has(type)) return true;
  return cause !== undefined && cause !== error && refusesMessages(cause);
}

/**
 * A failed publish as the callers' retry policies read it. kafkajs gives up on a broker it cannot reach with
 * `KafkaJSNumberOfRetriesExceeded`, which calls itself not retriable: taken at its word, a consumer would
 * dead-letter an accepted submission during a short broker outage. Only a message the broker refuses is.
 */
export function publishFailure(error: unknown): Error {
  const reason = (error as Error | undefined)?.message ?? String(error);
  return refusesMessages(error)
    ? new PermanentError(`Kafka refused the message: ${reason}`, { cause: error })
    : new TransientError(`Kafka did not acknowledge the message: ${reason}`, { cause: error });
}

function withTimeout(sent: Promise<void>, timeoutMs: number, topic: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new PublishTimeoutError(
            `Kafka did not acknowledge a message to ${topic} within ${timeoutMs} ms`,
            sent,
          ),
        ),
      timeoutMs,
    );
  });
  return Promise.race([sent, timeout]).finally(() => clearTimeout(timer));
}
