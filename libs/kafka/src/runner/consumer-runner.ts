import { performance } from "node:perf_hooks";
import { isRetriable, retryWhileRetriable, TransientError } from "@flyt/errors";
import type { Logger } from "@flyt/logging";
import type { DeadLetter } from "@flyt/schemas";
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from "kafkajs";
import type { Registry } from "prom-client";
import { reconnectBackoff } from "../create-kafka";
import { eventHeadersOf, headerNames, readHeaders } from "../headers";
import type { EventProducer } from "../producer";
import { NOT_YET_KNOWN, type SchemaRegistryClient, UndecodableMessageError } from "../schema-registry";
import type { TopicDefinition } from "../topic";
import { coPartitionedAssigner } from "./co-partitioned-assigner";
import { KeyedScheduler, Semaphore } from "./keyed-scheduler";
import { PartitionProgress } from "./partition-progress";
import { decideAfterFailure, defaultRetryPolicy, type RetryPolicy } from "./retry-policy";
import { RetryWakeups, type WaitingMessage } from "./retry-wakeups";
import { createRunnerMetrics, type RunnerMetrics } from "./runner-metrics";

/** What a handler gets: the decoded value and where it came from. */
export interface ConsumedMessage<T> {
  readonly value: T;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
  /** The topic the message was first published to (also when it is being retried from the retry topic). */
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly correlationId: string;
  /** Carries topic, partition, offset, key and correlation id. */
  readonly logger: Logger;
  /** Aborted when the attempt times out: stop work that no longer matters. */
  readonly signal: AbortSignal;
}

export interface MessageHandler<T = never> {
  readonly topic: TopicDefinition<T>;
  /** Must be idempotent: delivery is at least once. Throw a FlytError to say whether a retry can help. */
  readonly handle: (message: ConsumedMessage<T>) => Promise<void>;
  readonly retry?: RetryPolicy;
  readonly timeoutMs?: number;
}

/** Declares a handler with its value type inferred from the topic. */
export const handlerFor = <T>(handler: MessageHandler<T>): MessageHandler<T> => handler;

export interface ConsumerRunnerOptions {
  readonly kafka: Kafka;
  readonly registry: SchemaRegistryClient;
  readonly producer: EventProducer;
  readonly logger: Logger;
  readonly metrics: Registry;
  /** `flyt.<service>`. */
  readonly groupId: string;
  // biome-ignore lint/suspicious/noExplicitAny: handlers of different value types share one catalogue.
  readonly handlers: readonly MessageHandler<any>[];
  /** The service's retry topic: long retries wait there without holding up anything else. */
  readonly retryTopic?: TopicDefinition;
  readonly deadLetterTopic: TopicDefinition<DeadLetter>;
  /** Handler attempts running at once, across all keys and partitions. */
  readonly concurrency?: number;
  /**
   * Splits the concurrency by a message's headers (the archive a submission goes to, say): a group has at most
   * `groupConcurrency` attempts running, and its messages wait for a slot of their own group before they take a
   * shared one, so one slow group cannot hold every slot. Undefined for a message: no group.
   */
  readonly admissionGroup?: (headers: Readonly<Record<string, string>>) => string | undefined;
  readonly groupConcurrency?: number;
  /**
   * Lets the service cut retry waits short (an archive that is back wakes its group's messages): see
   * RetryWakeups.
   */
  readonly wakeups?: RetryWakeups;
  /** A partition stops fetching while this many of its messages are unhandled. */
  readonly maxInFlightPerPartition?: number;
  readonly commitIntervalMs?: number;
  readonly handlerTimeoutMs?: number;
  /** How long the group waits for a silent member before handing its partitions to others. */
  readonly sessionTimeoutMs?: number;
  /** A new consumer group starts at the beginning of its topics (default) or at their end. */
  readonly fromBeginning?: boolean;
  readonly random?: () => number;
  readonly now?: () => number;
  /**
   * The consumer stopped for good: kafkajs gave up and will not restart it (credentials or ACLs the brokers
   * refuse, say). Nothing is consumed from then on, so the process should go and be started again.
   */
  readonly onStoppedForGood?: (error: Error) => void;
}

/**
 * How long the group waits for a silent member. kafkajs has no static membership (a restarted process cannot
 * take over its predecessor's place), so a killed member's partitions wait this long before they move, also to
 * the process that replaced it. Heartbeats go out from the fetch loop, which handlers never block (they run
 * beside it), so a short session costs nothing while the process lives. A member stopped gracefully leaves the
 * group at once.
 */
export const DEFAULT_SESSION_TIMEOUT_MS = 10_000;

/**
 * The consumer group's timings for a session timeout: heartbeats every second (at most a third of the session),
 * so a rebalance is noticed within a second; members get twice the session to rejoin one, since the runner's
 * batch callback returns at once and rejoining only waits for a fetch.
 */
export function groupTimings(sessionTimeoutMs: number) {
  return {
    sessionTimeout: sessionTimeoutMs,
    heartbeatInterval: Math.min(1_000, Math.floor(sessionTimeoutMs / 3)),
    rebalanceTimeout: sessionTimeoutMs * 2,
  } as const;
}

/** Headers the runner adds to a message it moves to the retry topic. */
export const retryHeaders = {
  attempt: "flyt-attempt",
  notBefore: "flyt-not-before",
  originalTopic: "flyt-original-topic",
  originalPartition: "flyt-original-partition",
  originalOffset: "flyt-original-offset",
  firstFailedAt: "flyt-first-failed-at",
  /** When the attempt before the move failed: a wake-up of its group or key since then ends its wait. */
  lastFailedAt: "flyt-last-failed-at",
  lastError: "flyt-last-error",
} as const;

/** A handler attempt that did not finish within its time. */
export class HandlerTimeoutError extends TransientError {}

/** A logger made on first use. */
type LazyLogger = () => Logger;

interface Fetched {
  readonly batchTopic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
  readonly key: string | null;
  /** Messages sharing it are handled one at a time, in order. */
  readonly orderingKey: string;
}

/**
 * The one Kafka consumer loop every service uses. A service declares its handlers; the runner decodes
 * through the registry, runs different keys concurrently (bounded) and each key in order, retries in place
 * and through the retry topic, dead-letters what it cannot handle, commits an offset only when every earlier
 * message of its partition is done, and drains on stop. Delivery is at least once: handlers are idempotent.
 */
export class ConsumerRunner {
  readonly #options: ConsumerRunnerOptions;
  readonly #consumer: Consumer;
  readonly #logger: Logger;
  readonly #metrics: RunnerMetrics;
  // biome-ignore lint/suspicious/noExplicitAny: see ConsumerRunnerOptions.handlers.
  readonly #handlers: Map<string, MessageHandler<any>>;
  readonly #scheduler = new KeyedScheduler();
  readonly #semaphore: Semaphore;
  readonly #groupSemaphores = new Map<string, Semaphore>();
  readonly #stopping = new AbortController();
  /** Progress per `topic/partition` for the current group generation. */
  #progress = new Map<string, PartitionProgress>();
  readonly #resumes = new Map<string, () => void>();
  /** Keys with messages waiting in the retry topic: later messages of the key queue up behind them there. */
  readonly #parked = new Map<string, number>();
  #inFlight = 0;
  /** Set once the consumer loop runs: before that, stopping is only disconnecting. */
  #running = false;
  #commitTimer: NodeJS.Timeout | undefined;
  #committing: Promise<void> | undefined;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #wakeups: RetryWakeups;
  /** Metric children per topic: resolving labels on every message costs more than the handling. */
  readonly #topicMetrics = new Map<string, ReturnType<typeof labelled>>();

  constructor(options: ConsumerRunnerOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ component: "consumer-runner", group: options.groupId });
    this.#metrics = createRunnerMetrics(options.metrics, options.groupId, () => this.#inFlight);
    this.#handlers = new Map(options.handlers.map((handler) => [handler.topic.topic, handler]));
    this.#semaphore = new Semaphore(options.concurrency ?? 32);
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
    this.#wakeups = options.wakeups ?? new RetryWakeups(this.#now);
    this.#consumer = options.kafka.consumer({
      groupId: options.groupId,
      partitionAssigners: [coPartitionedAssigner],
      maxWaitTimeInMs: 250,
      ...groupTimings(options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS),
      retry: { ...reconnectBackoff, retries: 10 },
    });
  }

  async start(): Promise<void> {
    const topics = [...this.#handlers.keys()];
    if (this.#options.retryTopic) topics.push(this.#options.retryTopic.topic);
    await this.#consumer.connect();
    // A just-created topic can briefly be unknown to the broker (retriable); kafkajs does not retry subscribe.
    await retryWhileRetriable(() =>
      this.#consumer.subscribe({ topics, fromBeginning: this.#options.fromBeginning ?? true }),
    );
    if (this.#stopping.signal.aborted) return;
    this.#consumer.on(this.#consumer.events.GROUP_JOIN, ({ payload }) => {
      // A new generation: partitions may have moved. Work still in flight from before finishes, but only
      // offsets tracked from now on are committed; whatever it leaves uncommitted is read again.
      this.#progress = new Map();
      // kafkajs keeps a partition paused across rebalances; the new generation starts with nothing in flight.
      for (const resume of this.#resumes.values()) resume();
      this.#resumes.clear();
      this.#logger.info({ memberAssignment: payload.memberAssignment }, "joined consumer group");
    });
    this.#consumer.on(this.#consumer.events.CRASH, ({ payload }) => {
      // A retriable crash is restarted by kafkajs itself; one it will not restart leaves the group for good.
      if (payload.restart || this.#stopping.signal.aborted) return;
      this.#logger.error({ err: payload.error }, "consumer stopped for good");
      this.#options.onStoppedForGood?.(payload.error);
    });
    await this.#consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.#onBatch(payload),
    });
    this.#running = true;
    this.#commitTimer = setInterval(() => void this.#commit(), this.#options.commitIntervalMs ?? 200);
    this.#logger.info({ topics }, "consumer started");
  }

  /**
   * Stops fetching, lets running handler attempts finish (pending retries are left for the next run),
   * commits what is done, and leaves the group. Resolves with whether everything drained before the deadline.
   */
  async stop(deadlineMs: number): Promise<"drained" | "deadline-exceeded"> {
    this.#stopping.abort();
    if (!this.#running) {
      // Stopped while starting (a signal right after start-up): nothing was handled, nothing to commit.
      await this.#consumer.disconnect();
      return "drained";
    }
    const topics = [
      ...this.#handlers.keys(),
      ...(this.#options.retryTopic ? [this.#options.retryTopic.topic] : []),
    ];
    this.#consumer.pause(topics.map((topic) => ({ topic })));
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      this.#scheduler.idle().then(() => "drained" as const),
      new Promise<"deadline-exceeded">((resolve) => {
        timer = setTimeout(() => resolve("deadline-exceeded"), deadlineMs);
      }),
    ]);
    clearTimeout(timer);
    clearInterval(this.#commitTimer);
    // A commit already in flight was computed before the drain finished: wait for it, then commit the rest.
    await this.#committing;
    await this.#commit();
    await this.#consumer.disconnect();
    this.#logger.info({ outcome }, "consumer stopped");
    return outcome;
  }

  async #onBatch({ batch, resolveOffset, heartbeat, pause, isRunning, isStale }: EachBatchPayload) {
    if (this.#stopping.signal.aborted) return;
    const partitionKey = `${batch.topic}/${batch.partition}`;
    let progress = this.#progress.get(partitionKey);
    if (!progress) {
      progress = new PartitionProgress();
      this.#progress.set(partitionKey, progress);
    }
    for (const message of batch.messages) {
      if (!isRunning() || isStale() || this.#stopping.signal.aborted) break;
      progress.track(message.offset);
      this.#dispatch(batch.topic, batch.partition, message, progress);
      resolveOffset(message.offset);
    }
    this.#metrics.lag.set(
      { group: this.#options.groupId, topic: batch.topic, partition: batch.partition },
      Number(batch.offsetLag()),
    );
    if (progress.inFlight >= (this.#options.maxInFlightPerPartition ?? 1_000)) {
      this.#resumes.set(partitionKey, pause());
    }
    await heartbeat();
  }

  #dispatch(batchTopic: string, partition: number, message: KafkaMessage, progress: PartitionProgress) {
    const key = message.key ? message.key.toString() : null;
    const fetched: Fetched = {
      batchTopic,
      partition,
      message,
      key,
      orderingKey: key ?? `\u0000${batchTopic}/${partition}/${message.offset}`,
    };
    this.#inFlight += 1;
    this.#scheduler.enqueue(fetched.orderingKey, async () => {
      const done = await this.#process(fetched);
      this.#inFlight -= 1;
      if (!done) return;
      progress.complete(message.offset);
      const partitionKey = `${batchTopic}/${partition}`;
      const resume = this.#resumes.get(partitionKey);
      if (resume && progress.inFlight < (this.#options.maxInFlightPerPartition ?? 1_000) / 2) {
        this.#resumes.delete(partitionKey);
        resume();
      }
    });
  }

  /** Handles one message to its end (handled, moved to the retry topic, dead-lettered): true; false if abandoned. */
  async #process(fetched: Fetched): Promise<boolean> {
    if (this.#stopping.signal.aborted) return false;
    const headers = readHeaders(fetched.message.headers);
    const fromRetryTopic = fetched.batchTopic === this.#options.retryTopic?.topic;
    const topic = fromRetryTopic ? (headers[retryHeaders.originalTopic] ?? "") : fetched.batchTopic;
    // A child logger costs more than handling a message: build it only when something is logged.
    let contextLogger: Logger | undefined;
    const logger = () =>
      (contextLogger ??= this.#logger.child({
        topic: fetched.batchTopic,
        partition: fetched.partition,
        offset: fetched.message.offset,
        key: fetched.key,
        correlationId: headers[headerNames.correlationId],
      }));
    const handler = this.#handlers.get(topic);
    if (!handler) {
      return this.#deadLetter(
        fetched,
        headers,
        topic,
        "PERMANENT_ERROR",
        new Error(`no handler for ${topic}`),
        0,
        logger,
      );
    }
    if (!fromRetryTopic && this.#parked.has(fetched.orderingKey)) {
      // An earlier message of this key is waiting in the retry topic: queue up behind it to keep the order.
      return this.#toRetryTopic(
        fetched,
        headers,
        topic,
        1,
        0,
        undefined,
        "an earlier message of its key is being retried",
        logger,
      );
    }
    let attempt = fromRetryTopic ? Number(headers[retryHeaders.attempt] ?? 1) : 1;
    let firstFailedAt = fromRetryTopic
      ? Number(headers[retryHeaders.firstFailedAt] ?? this.#now())
      : undefined;
    const waiting = (failedAt: number) => ({
      group: this.#options.admissionGroup?.(headers),
      key: fetched.key,
      failedAt,
    });
    if (
      fromRetryTopic &&
      !(await this.#retryWait(
        Number(headers[retryHeaders.notBefore] ?? 0) - this.#now(),
        waiting(Number(headers[retryHeaders.lastFailedAt] ?? fetched.message.timestamp)),
      ))
    )
      return false;

    const policy = handler.retry ?? defaultRetryPolicy;
    const group = this.#groupSemaphore(headers);
    for (;;) {
      try {
        if (group && !group.tryAcquire()) await group.acquire();
        try {
          if (!this.#semaphore.tryAcquire()) await this.#semaphore.acquire();
          try {
            await this.#attempt(handler, fetched, headers, topic, attempt, logger);
          } finally {
            this.#semaphore.release();
          }
        } finally {
          group?.release();
        }
        this.#metricsFor(topic).handled.inc();
        if (fromRetryTopic) this.#unpark(fetched.orderingKey);
        return true;
      } catch (error) {
        this.#metricsFor(topic).failed.inc();
        const failedAt = this.#now();
        firstFailedAt ??= failedAt;
        if (error instanceof UndecodableMessageError) {
          logger().error({ err: error }, "message cannot be decoded; dead-lettering it");
          const done = await this.#deadLetter(
            fetched,
            headers,
            topic,
            "UNDECODABLE",
            error,
            attempt - 1,
            logger,
            firstFailedAt,
          );
          if (done && fromRetryTopic) this.#unpark(fetched.orderingKey);
          return done;
        }
        const decision = decideAfterFailure(
          policy,
          { retriable: isRetriable(error), attempt, retryAfterMs: retryAfterOf(error) },
          this.#random,
        );
        if (decision.action === "retry-in-place") {
          this.#metrics.retried.inc({ group: this.#options.groupId, topic, via: "in_place" });
          logger().warn(
            { err: error, attempt, delayMs: decision.delayMs },
            "handler failed; retrying in place",
          );
          if (!(await this.#retryWait(decision.delayMs, waiting(failedAt)))) return false;
          attempt += 1;
          continue;
        }
        if (decision.action === "retry-topic" && fromRetryTopic) {
          // Already in the retry topic: wait here, in this key's chain, rather than go round again. Sending it
          // back would put it behind later messages of its key that queued up behind it.
          this.#metrics.retried.inc({ group: this.#options.groupId, topic, via: "retry_topic" });
          logger().warn(
            { err: error, attempt, delayMs: decision.delayMs },
            "handler failed again; waiting to retry",
          );
          if (!(await this.#retryWait(decision.delayMs, waiting(failedAt)))) return false;
          attempt += 1;
          continue;
        }
        if (decision.action === "retry-topic" && this.#options.retryTopic) {
          this.#metrics.retried.inc({ group: this.#options.groupId, topic, via: "retry_topic" });
          logger().warn(
            { err: error, attempt, delayMs: decision.delayMs },
            "handler failed; retrying through the retry topic",
          );
          return this.#toRetryTopic(
            fetched,
            headers,
            topic,
            attempt + 1,
            decision.delayMs,
            firstFailedAt,
            error,
            logger,
            failedAt,
          );
        }
        const reason = decision.action === "dead-letter" ? decision.reason : "RETRIES_EXHAUSTED";
        logger().error({ err: error, attempt, reason }, "giving up on message; dead-lettering it");
        const done = await this.#deadLetter(
          fetched,
          headers,
          topic,
          reason,
          error,
          attempt,
          logger,
          firstFailedAt,
        );
        if (done && fromRetryTopic) this.#unpark(fetched.orderingKey);
        return done;
      }
    }
  }

  #groupSemaphore(headers: Readonly<Record<string, string>>): Semaphore | undefined {
    const group = this.#options.admissionGroup?.(headers);
    if (group === undefined) return undefined;
    let semaphore = this.#groupSemaphores.get(group);
    if (!semaphore) {
      semaphore = new Semaphore(this.#options.groupConcurrency ?? this.#options.concurrency ?? 32);
      this.#groupSemaphores.set(group, semaphore);
    }
    return semaphore;
  }

  async #attempt(
    // biome-ignore lint/suspicious/noExplicitAny: see ConsumerRunnerOptions.handlers.
    handler: MessageHandler<any>,
    fetched: Fetched,
    headers: Record<string, string>,
    topic: string,
    attempt: number,
    logger: LazyLogger,
  ): Promise<void> {
    const timeoutMs = handler.timeoutMs ?? this.#options.handlerTimeoutMs ?? 30_000;
    const metrics = this.#metricsFor(topic);
    const started = performance.now();
    // A plain timer, and an AbortController only for handlers that read `signal`: this runs for every
    // message, and AbortSignal.timeout or an eager controller cost more than the handling itself.
    let controller: AbortController | undefined;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller?.abort();
        reject(new HandlerTimeoutError(`handler did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      const schema = handler.topic.valueSchema ?? {};
      const known = this.#options.registry.decodeIfKnown(fetched.message.value, schema);
      const value =
        known === NOT_YET_KNOWN ? await this.#options.registry.decode(fetched.message.value, schema) : known;
      const handled = handler.handle({
        value,
        key: fetched.key,
        headers,
        topic,
        partition: fromHeader(headers[retryHeaders.originalPartition]) ?? fetched.partition,
        offset: headers[retryHeaders.originalOffset] ?? fetched.message.offset,
        attempt,
        correlationId: headers[headerNames.correlationId] ?? "",
        get logger() {
          return logger();
        },
        get signal() {
          controller ??= new AbortController();
          return controller.signal;
        },
      });
      await Promise.race([handled, timedOut]);
    } finally {
      clearTimeout(timer);
      metrics.duration.observe((performance.now() - started) / 1000);
    }
  }

  async #toRetryTopic(
    fetched: Fetched,
    headers: Record<string, string>,
    topic: string,
    nextAttempt: number,
    delayMs: number,
    firstFailedAt: number | undefined,
    reason: unknown,
    logger: LazyLogger,
    failedAt = this.#now(),
  ): Promise<boolean> {
    const retryTopic = this.#options.retryTopic as TopicDefinition;
    const fromRetryTopic = fetched.batchTopic === retryTopic.topic;
    const moved = {
      ...headers,
      [retryHeaders.attempt]: String(nextAttempt),
      [retryHeaders.notBefore]: String(this.#now() + delayMs),
      [retryHeaders.originalTopic]: topic,
      [retryHeaders.originalPartition]: headers[retryHeaders.originalPartition] ?? String(fetched.partition),
      [retryHeaders.originalOffset]: headers[retryHeaders.originalOffset] ?? fetched.message.offset,
      [retryHeaders.lastError]: errorMessage(reason).slice(0, 1_000),
      [retryHeaders.lastFailedAt]: String(failedAt),
      ...(firstFailedAt === undefined ? {} : { [retryHeaders.firstFailedAt]: String(firstFailedAt) }),
    };
    const sent = await this.#publishReliably(logger, () =>
      this.#options.producer.publishRaw(retryTopic.topic, {
        key: fetched.message.key,
        value: fetched.message.value,
        headers: moved,
      }),
    );
    if (sent && !fromRetryTopic)
      this.#parked.set(fetched.orderingKey, (this.#parked.get(fetched.orderingKey) ?? 0) + 1);
    return sent;
  }

  async #deadLetter(
    fetched: Fetched,
    headers: Record<string, string>,
    topic: string,
    reason: DeadLetter["reason"],
    error: unknown,
    attempts: number,
    logger: LazyLogger,
    firstFailedAt = this.#now(),
  ): Promise<boolean> {
    const deadLetter: DeadLetter = {
      originalTopic: topic,
      originalPartition: fromHeader(headers[retryHeaders.originalPartition]) ?? fetched.partition,
      originalOffset: Number(headers[retryHeaders.originalOffset] ?? fetched.message.offset),
      consumerGroup: this.#options.groupId,
      key: fetched.message.key ?? null,
      value: fetched.message.value ?? null,
      headers,
      reason,
      errorName: error instanceof Error ? error.name : "Error",
      errorMessage: errorMessage(error),
      attempts,
      firstFailedAt: new Date(firstFailedAt),
      deadLetteredAt: new Date(this.#now()),
    };
    const sent = await this.#publishReliably(logger, () =>
      this.#options.producer.publish(this.#options.deadLetterTopic, {
        key: fetched.key ?? "",
        value: deadLetter,
        headers: eventHeadersOf(headers),
      }),
    );
    if (sent) this.#metrics.deadLettered.inc({ group: this.#options.groupId, topic, reason });
    return sent;
  }

  /** Keeps trying to publish (Kafka may be briefly away) until it works or the runner stops. */
  async #publishReliably(logger: LazyLogger, publish: () => Promise<void>): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await publish();
        return true;
      } catch (error) {
        logger().error({ err: error, attempt }, "could not publish to the retry or dead-letter topic");
        if (!(await this.#sleep(Math.min(30_000, 200 * 2 ** attempt)))) return false;
      }
    }
  }

  #unpark(orderingKey: string) {
    const left = (this.#parked.get(orderingKey) ?? 1) - 1;
    if (left > 0) this.#parked.set(orderingKey, left);
    else this.#parked.delete(orderingKey);
  }

  #metricsFor(topic: string) {
    let metrics = this.#topicMetrics.get(topic);
    if (!metrics) {
      metrics = labelled(this.#metrics, this.#options.groupId, topic);
      this.#topicMetrics.set(topic, metrics);
    }
    return metrics;
  }

  /** A retry's wait: `ms`, or until the service wakes the message; false if the runner began stopping meanwhile. */
  #retryWait(ms: number, message: WaitingMessage): Promise<boolean> {
    return this.#wakeups.wait(ms, message, this.#stopping.signal);
  }

  /** Waits `ms`; false if the runner began stopping meanwhile. */
  #sleep(ms: number): Promise<boolean> {
    const signal = this.#stopping.signal;
    if (signal.aborted) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  async #commit(): Promise<void> {
    if (this.#committing) return this.#committing;
    const progressByPartition = this.#progress;
    const commits: { topic: string; partition: number; offset: string; progress: PartitionProgress }[] = [];
    for (const [partitionKey, progress] of progressByPartition) {
      const offset = progress.pendingCommit();
      if (offset === undefined) continue;
      const separator = partitionKey.lastIndexOf("/");
      commits.push({
        topic: partitionKey.slice(0, separator),
        partition: Number(partitionKey.slice(separator + 1)),
        offset,
        progress,
      });
    }
    if (commits.length === 0) return;
    this.#committing = this.#consumer
      .commitOffsets(commits.map(({ topic, partition, offset }) => ({ topic, partition, offset })))
      .then(() => {
        for (const { offset, progress } of commits) progress.markCommitted(offset);
      })
      .catch((error: unknown) => this.#logger.warn({ err: error }, "offset commit failed; will try again"))
      .finally(() => {
        this.#committing = undefined;
      });
    return this.#committing;
  }
}

function labelled(metrics: RunnerMetrics, group: string, topic: string) {
  return {
    handled: metrics.handled.labels(group, topic),
    failed: metrics.failed.labels(group, topic),
    duration: metrics.duration.labels(group, topic),
  };
}

function fromHeader(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** How long a failure said to wait before trying again (an error carrying the archive's Retry-After, say). */
function retryAfterOf(error: unknown): number | undefined {
  const retryAfterMs = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof retryAfterMs === "number" && retryAfterMs > 0 ? retryAfterMs : undefined;
}
