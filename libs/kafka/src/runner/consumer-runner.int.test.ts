import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { PermanentError, TransientError } from "@flyt/errors";
import { createLogger } from "@flyt/logging";
import { type DeadLetter, deadLetterV1Schema } from "@flyt/schemas";
import { testInfra, uniqueName } from "@flyt/testing";
import type { Admin } from "kafkajs";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { testKafka } from "../../test-support/test-kafka";
import { childTraceparent, type EventHeaders } from "../headers";
import type { TopicDefinition } from "../topic";
import { createTopicsAndWait } from "../topics-admin";
import { type ConsumedMessage, ConsumerRunner, type MessageHandler } from "./consumer-runner";
import type { RetryPolicy } from "./retry-policy";
import { RetryWakeups } from "./retry-wakeups";

interface TestEvent {
  readonly key: string;
  readonly seq: number;
}

const testEventSchema = {
  type: "record",
  name: "RunnerTestEvent",
  namespace: "no.flyt.test",
  doc: "An event of the runner's tests.",
  fields: [
    { name: "key", type: "string", doc: "The message key, repeated for assertions." },
    { name: "seq", type: "int", doc: "Sequence number within the key." },
  ],
};

const logger = createLogger({ service: "runner-test", level: "silent" });
const repoRoot = fileURLToPath(new URL("../../../..", import.meta.url));
const infra = testInfra();
const { kafka, registry, producer } = testKafka(infra, "flyt.runner-test", logger);
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await Promise.all([admin.connect(), producer.connect()]);
});
afterAll(async () => {
  await producer.disconnect();
  await admin.disconnect();
});

/** Fresh topics for one test: events (with `partitions`), retry, dead-letter. */
async function freshTopics(partitions = 3) {
  const base = uniqueName("runner");
  const topic = (name: string, extra: Partial<TopicDefinition> = {}): TopicDefinition => ({
    name,
    topic: `${base}.${name}`,
    key: "test key",
    partitions,
    retentionMs: -1,
    cleanupPolicy: "delete",
    ...extra,
  });
  const topics = {
    events: topic("events", { valueSchema: testEventSchema }) as TopicDefinition<TestEvent>,
    retry: topic("retry"),
    deadLetter: topic("dlq", {
      valueSchema: deadLetterV1Schema,
      partitions: 1,
    }) as TopicDefinition<DeadLetter>,
  };
  await createTopicsAndWait(
    admin,
    Object.values(topics).map((t) => ({ topic: t.topic, numPartitions: t.partitions })),
  );
  return topics;
}

const headersFor = (key: string): EventHeaders => ({
  correlationId: `corr-${key}`,
  traceparent: childTraceparent(),
  tenant: "vestland",
  sourceApplication: "egrunnerverv",
  submissionId: key,
});

function publish(topic: TopicDefinition<TestEvent>, events: TestEvent[]) {
  return Promise.all(
    events.map((value) => producer.publish(topic, { key: value.key, value, headers: headersFor(value.key) })),
  );
}

function startRunner(
  topics: Awaited<ReturnType<typeof freshTopics>>,
  handle: (message: ConsumedMessage<TestEvent>) => Promise<void>,
  options: {
    retry?: RetryPolicy;
    timeoutMs?: number;
    groupId?: string;
    metrics?: Registry;
    concurrency?: number;
    wakeups?: RetryWakeups;
  } = {},
) {
  const handler: MessageHandler<TestEvent> = {
    topic: topics.events,
    handle,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  };
  const runner = new ConsumerRunner({
    kafka,
    registry,
    producer,
    logger,
    metrics: options.metrics ?? new Registry(),
    groupId: options.groupId ?? uniqueName("flyt.test"),
    handlers: [handler],
    retryTopic: topics.retry,
    deadLetterTopic: topics.deadLetter,
    concurrency: options.concurrency ?? 16,
    commitIntervalMs: 50,
    // Every test message goes to one archive; its key tells which (`a:...`, `b:...`).
    admissionGroup: (headers) => headers["submission-id"]?.split(":")[0],
    ...(options.wakeups ? { wakeups: options.wakeups } : {}),
  });
  return { runner, started: runner.start() };
}

/** Reads the dead-letter topic from the start until `count` letters arrived. */
async function deadLetters(topic: TopicDefinition<DeadLetter>, count: number): Promise<DeadLetter[]> {
  const consumer = kafka.consumer({ groupId: uniqueName("flyt.test.dlq-reader") });
  const letters: DeadLetter[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: topic.topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      letters.push(await registry.decode<DeadLetter>(message.value, deadLetterV1Schema));
    },
  });
  await vi.waitFor(() => expect(letters.length).toBeGreaterThanOrEqual(count), {
    timeout: 30_000,
    interval: 50,
  });
  await consumer.disconnect();
  return letters;
}

async function committedOffsets(groupId: string, topic: string): Promise<Record<number, string>> {
  const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return Object.fromEntries((result?.partitions ?? []).map((p) => [p.partition, p.offset]));
}

async function endOffsets(topic: string): Promise<Record<number, string>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return Object.fromEntries(offsets.map((p) => [p.partition, p.high]));
}

const fastRetry: RetryPolicy = {
  inPlaceAttempts: 3,
  inPlaceBackoff: { initialMs: 10, maxMs: 50, multiplier: 2 },
  retryTopicAttempts: 0,
  retryTopicBackoff: { initialMs: 10, maxMs: 50, multiplier: 2 },
};

describe("ConsumerRunner over Kafka and the registry", () => {
  it("keeps order per key while handling different keys concurrently", async () => {
    const topics = await freshTopics(3);
    const keys = Array.from({ length: 12 }, (_, i) => `case-${i}`);
    const events = Array.from({ length: 20 }, (_, seq) => keys.map((key) => ({ key, seq }))).flat();
    const seen = new Map<string, number[]>();
    let running = 0;
    let peak = 0;
    const { runner, started } = startRunner(topics, async ({ value }) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
      seen.set(value.key, [...(seen.get(value.key) ?? []), value.seq]);
      running -= 1;
    });
    await started;
    await publish(topics.events, events);

    await vi.waitFor(() => expect([...seen.values()].flat()).toHaveLength(events.length), {
      timeout: 30_000,
    });
    for (const key of keys) expect(seen.get(key)).toEqual(Array.from({ length: 20 }, (_, seq) => seq));
    expect(peak).toBeGreaterThan(1);
    expect(await runner.stop(5_000)).toBe("drained");
  });

  it("lets other keys of the same partition pass a slow one", async () => {
    const topics = await freshTopics(1);
    let releaseSlow: () => void = () => {};
    const slow = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    const done: string[] = [];
    const { runner, started } = startRunner(topics, async ({ value }) => {
      if (value.key === "slow" && value.seq === 0) await slow;
      done.push(`${value.key}#${value.seq}`);
    });
    await started;
    await publish(topics.events, [{ key: "slow", seq: 0 }]);
    await publish(topics.events, [
      { key: "slow", seq: 1 },
      { key: "fast", seq: 0 },
      { key: "fast", seq: 1 },
    ]);

    await vi.waitFor(() => expect(done).toEqual(["fast#0", "fast#1"]), { timeout: 15_000 });
    releaseSlow();
    await vi.waitFor(() => expect(done).toEqual(["fast#0", "fast#1", "slow#0", "slow#1"]), {
      timeout: 15_000,
    });
    await runner.stop(5_000);
  });

  it("dead-letters an undecodable message with its bytes, and handles the ones after it", async () => {
    const topics = await freshTopics(1);
    const groupId = uniqueName("flyt.test");
    const handled: number[] = [];
    const { runner, started } = startRunner(
      topics,
      async ({ value }) => {
        handled.push(value.seq);
      },
      { groupId },
    );
    await started;
    await publish(topics.events, [{ key: "k", seq: 1 }]);
    const poison = Buffer.from("not avro at all");
    await producer.publishRaw(topics.events.topic, { key: "k", value: poison });
    await publish(topics.events, [{ key: "k", seq: 2 }]);

    const [letter] = await deadLetters(topics.deadLetter, 1);
    expect(letter).toMatchObject({
      originalTopic: topics.events.topic,
      originalPartition: 0,
      originalOffset: 1,
      consumerGroup: groupId,
      reason: "UNDECODABLE",
      attempts: 0,
    });
    expect(letter?.value).toEqual(poison);
    expect(letter?.key?.toString()).toBe("k");
    await vi.waitFor(() => expect(handled).toEqual([1, 2]), { timeout: 15_000 });

    await runner.stop(5_000);
    expect(await committedOffsets(groupId, topics.events.topic)).toEqual(
      await endOffsets(topics.events.topic),
    );
  });

  it("retries a retriable failure in place until it succeeds", async () => {
    const topics = await freshTopics(1);
    const attempts: number[] = [];
    const metrics = new Registry();
    const { runner, started } = startRunner(
      topics,
      async ({ attempt }) => {
        attempts.push(attempt);
        if (attempt < 3) throw new TransientError("archive busy");
      },
      { retry: fastRetry, metrics },
    );
    await started;
    await publish(topics.events, [{ key: "k", seq: 1 }]);

    await vi.waitFor(() => expect(attempts).toEqual([1, 2, 3]), { timeout: 15_000 });
    await runner.stop(5_000);
    const retried = await metrics.getSingleMetric("flyt_consumer_messages_retried_total")?.get();
    expect(retried?.values).toContainEqual(
      expect.objectContaining({ value: 2, labels: expect.objectContaining({ via: "in_place" }) }),
    );
  });

  it("retries through the retry topic without holding up other keys, and keeps the failing key's order", async () => {
    const topics = await freshTopics(3);
    const throughRetryTopic: RetryPolicy = {
      inPlaceAttempts: 1,
      inPlaceBackoff: fastRetry.inPlaceBackoff,
      retryTopicAttempts: 2,
      retryTopicBackoff: { initialMs: 1_000, maxMs: 1_000, multiplier: 1 },
    };
    const done: { event: string; attempt: number; at: number }[] = [];
    const { runner, started } = startRunner(
      topics,
      async ({ value, attempt }) => {
        if (value.key === "failing" && value.seq === 0 && attempt === 1)
          throw new TransientError("archive down");
        done.push({ event: `${value.key}#${value.seq}`, attempt, at: Date.now() });
      },
      { retry: throughRetryTopic },
    );
    await started;
    const publishedAt = Date.now();
    await publish(topics.events, [{ key: "failing", seq: 0 }]);
    await publish(topics.events, [
      { key: "failing", seq: 1 },
      { key: "other", seq: 0 },
    ]);

    await vi.waitFor(() => expect(done).toHaveLength(3), { timeout: 20_000 });
    const order = done.map((entry) => entry.event);
    expect(order.indexOf("failing#0")).toBeLessThan(order.indexOf("failing#1"));
    expect(done.find((entry) => entry.event === "failing#0")?.attempt).toBe(2);
    const other = done.find((entry) => entry.event === "other#0");
    const failing = done.find((entry) => entry.event === "failing#0");
    expect(other && failing && other.at < failing.at).toBe(true);
    expect((failing?.at ?? 0) - publishedAt).toBeGreaterThanOrEqual(500);
    await runner.stop(5_000);
  });

  it("keeps the order of a key when its first message fails again in the retry topic", async () => {
    const topics = await freshTopics(1);
    const policy: RetryPolicy = {
      inPlaceAttempts: 1,
      inPlaceBackoff: fastRetry.inPlaceBackoff,
      retryTopicAttempts: 3,
      retryTopicBackoff: { initialMs: 300, maxMs: 300, multiplier: 1 },
    };
    const done: string[] = [];
    const { runner, started } = startRunner(
      topics,
      async ({ value, attempt }) => {
        if (value.seq === 0 && attempt < 3) throw new TransientError("archive down");
        done.push(`${value.key}#${value.seq}@${attempt}`);
      },
      { retry: policy },
    );
    await started;
    await publish(topics.events, [{ key: "k", seq: 0 }]);
    await publish(topics.events, [{ key: "k", seq: 1 }]);
    await vi.waitFor(() => expect(done).toHaveLength(2), { timeout: 20_000 });
    expect(done).toEqual(["k#0@3", "k#1@1"]);
    await runner.stop(5_000);
  });

  it("retries at once what the service wakes, by group or by key, instead of after its backoff", async () => {
    const topics = await freshTopics(3);
    const hourLong: RetryPolicy = {
      inPlaceAttempts: 1,
      inPlaceBackoff: { initialMs: 3_600_000, maxMs: 3_600_000, multiplier: 1 },
      retryTopicAttempts: 3,
      retryTopicBackoff: { initialMs: 3_600_000, maxMs: 3_600_000, multiplier: 1 },
    };
    const wakeups = new RetryWakeups();
    const down = new Set(["a", "b"]);
    const failed = new Map<string, number>();
    const done: string[] = [];
    const { runner, started } = startRunner(
      topics,
      async ({ value }) => {
        if (down.has(value.key.split(":")[0] ?? "")) {
          failed.set(value.key, (failed.get(value.key) ?? 0) + 1);
          throw new TransientError("archive down");
        }
        done.push(value.key);
      },
      { retry: hourLong, wakeups },
    );
    await started;
    // Each fails once and waits an hour in the retry topic; a's are woken before they are read from there.
    const keys = ["a:1", "a:2", "b:1", "b:2"];
    await publish(
      topics.events,
      keys.map((key) => ({ key, seq: 0 })),
    );
    await vi.waitFor(() => expect(failed.size).toBe(4), { timeout: 20_000 });

    down.delete("a");
    wakeups.wakeGroup("a");
    await vi.waitFor(() => expect([...done].sort()).toEqual(["a:1", "a:2"]), { timeout: 20_000 });

    // Woken one key at a time, only that key goes: b:1 fails again (it waits again), then goes.
    wakeups.wakeKey("b:1");
    await vi.waitFor(() => expect(failed.get("b:1")).toBe(2), { timeout: 20_000 });
    down.delete("b");
    wakeups.wakeKey("b:1");
    await vi.waitFor(() => expect(done).toContain("b:1"), { timeout: 20_000 });
    expect(done).not.toContain("b:2");
    await runner.stop(5_000);
  });

  it("dead-letters a permanent error at once, and a retriable one when the policy runs out", async () => {
    const topics = await freshTopics(1);
    const { runner, started } = startRunner(
      topics,
      async ({ value }) => {
        if (value.seq === 1) throw new PermanentError("integration is deactivated");
        throw new TransientError("archive down");
      },
      { retry: fastRetry },
    );
    await started;
    await publish(topics.events, [
      { key: "a", seq: 1 },
      { key: "b", seq: 2 },
    ]);

    const letters = await deadLetters(topics.deadLetter, 2);
    const byReason = Object.fromEntries(letters.map((letter) => [letter.reason, letter]));
    expect(byReason.PERMANENT_ERROR).toMatchObject({
      attempts: 1,
      errorName: "PermanentError",
      errorMessage: "integration is deactivated",
    });
    expect(byReason.RETRIES_EXHAUSTED).toMatchObject({ attempts: 3, errorName: "TransientError" });
    expect(byReason.RETRIES_EXHAUSTED?.headers["correlation-id"]).toBe("corr-b");
    await runner.stop(5_000);
  });

  it("gives up on an attempt that outlives its timeout", async () => {
    const topics = await freshTopics(1);
    const { runner, started } = startRunner(topics, () => new Promise<void>(() => {}), {
      retry: { ...fastRetry, inPlaceAttempts: 2 },
      timeoutMs: 100,
    });
    await started;
    await publish(topics.events, [{ key: "k", seq: 1 }]);
    const [letter] = await deadLetters(topics.deadLetter, 1);
    expect(letter).toMatchObject({
      reason: "RETRIES_EXHAUSTED",
      attempts: 2,
      errorName: "HandlerTimeoutError",
    });
    await runner.stop(1_000);
  });

  it("drains in-flight work on stop and commits it", async () => {
    const topics = await freshTopics(3);
    const groupId = uniqueName("flyt.test");
    let started = 0;
    let finished = 0;
    const { runner, started: running } = startRunner(
      topics,
      async () => {
        started += 1;
        await new Promise((resolve) => setTimeout(resolve, 300));
        finished += 1;
      },
      { groupId },
    );
    await running;
    await publish(
      topics.events,
      Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, seq: i })),
    );
    await vi.waitFor(() => expect(started).toBe(6), { timeout: 15_000 });

    expect(await runner.stop(5_000)).toBe("drained");
    expect(finished).toBe(6);
    expect(await committedOffsets(groupId, topics.events.topic)).toEqual(
      await endOffsets(topics.events.topic),
    );
  });

  it("handles again what a killed process handled but had not committed (at least once)", async () => {
    const topics = await freshTopics(1);
    const groupId = uniqueName("flyt.test");
    await publish(
      topics.events,
      Array.from({ length: 5 }, (_, seq) => ({ key: `k${seq}`, seq })),
    );

    // Commits every 10 minutes: killed long before its first commit.
    const first = startCrashConsumer(topics, groupId, 600_000);
    await first.handled(5);
    first.child.kill("SIGKILL");
    await once(first.child, "exit");
    expect(await committedOffsets(groupId, topics.events.topic)).toEqual({ 0: "-1" });

    const second = startCrashConsumer(topics, groupId, 50);
    expect(await second.handled(5)).toEqual(["0", "1", "2", "3", "4"]);
    second.child.kill("SIGTERM");
    await once(second.child, "exit");
    expect(await committedOffsets(groupId, topics.events.topic)).toEqual({ 0: "5" });
  });
});

describe("a restarted process", () => {
  it("receives work soon after its killed predecessor, whose session it has to wait out", async () => {
    const topics = await freshTopics(1);
    const groupId = uniqueName("flyt.test");
    await publish(topics.events, [{ key: "k0", seq: 0 }]);
    const first = startCrashConsumer(topics, groupId, 50);
    await first.handled(1);
    await vi.waitFor(
      async () => expect(await committedOffsets(groupId, topics.events.topic)).toEqual({ 0: "1" }),
      {
        timeout: 10_000,
      },
    );
    first.child.kill("SIGKILL");
    await once(first.child, "exit");

    // Work is waiting, and a process is started in the dead one's place, as a supervisor would: the group still
    // counts the dead member until its session ends, and only then hands its partition on.
    await publish(topics.events, [{ key: "k1", seq: 1 }]);
    const second = startCrashConsumer(topics, groupId, 50);
    // Generous for the runner's 10 s session; a 30 s one (kafkajs's default) keeps the work from it past this.
    expect(await second.handled(1, 25_000)).toEqual(["1"]);
    second.child.kill("SIGTERM");
    await once(second.child, "exit");

    // Stopped gracefully, it left the group: the next one need not wait out a session at all.
    await publish(topics.events, [{ key: "k2", seq: 2 }]);
    const third = startCrashConsumer(topics, groupId, 50);
    expect(await third.handled(1, 8_000)).toEqual(["2"]);
    third.child.kill("SIGTERM");
    await once(third.child, "exit");
  });
});

function startCrashConsumer(
  topics: Awaited<ReturnType<typeof freshTopics>>,
  groupId: string,
  commitIntervalMs: number,
) {
  const script = fileURLToPath(new URL("../../test-support/crash-consumer.ts", import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      KAFKA_BROKERS: infra.kafkaBrokers.join(","),
      SCHEMA_REGISTRY_URL: infra.schemaRegistryUrl,
      GROUP_ID: groupId,
      COMMIT_INTERVAL_MS: String(commitIntervalMs),
      TOPICS_JSON: JSON.stringify(topics),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const offsets: string[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
    if (line.startsWith("handled ")) offsets.push(line.slice("handled ".length));
  });
  return {
    child,
    handled: async (count: number, timeout = 30_000) => {
      await vi.waitFor(() => expect(offsets.length).toBeGreaterThanOrEqual(count), { timeout, interval: 50 });
      return offsets;
    },
  };
}
