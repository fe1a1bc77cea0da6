// Event backbone benchmark: the shared producer and consumer runner against raw kafkajs, on the same broker,
// in the same run; then produce->handler latency at a fixed rate. Run through `npm run bench` (root).
import { performance } from "node:perf_hooks";
import { createLogger } from "@flyt/logging";
import { type DeadLetter, deadLetterV1Schema } from "@flyt/schemas";
import { machineLine, percentile, trackPeakRss, writeReportSection } from "@flyt/testing/bench";
import { Kafka, logLevel } from "kafkajs";
import { Registry } from "prom-client";
import {
  ConsumerRunner,
  createTopicsAndWait,
  EventProducer,
  SchemaRegistryClient,
  type TopicDefinition,
  toKafkaHeaders,
} from "../src/index";

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 50_000);
const RATE = Number(process.env.BENCH_RATE ?? 1_000);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 15);
const WARM_UP_SECONDS = 3;
const PARTITIONS = 12;
const KEYS = 1_000;

interface BenchEvent {
  readonly key: string;
  readonly seq: number;
  /** performance.timeOrigin + performance.now() when published, in ms. */
  readonly sentAt: number;
}
const schema = {
  type: "record",
  name: "BenchEvent",
  namespace: "no.flyt.bench",
  fields: [
    { name: "key", type: "string" },
    { name: "seq", type: "int" },
    { name: "sentAt", type: "double" },
  ],
};

const brokers = (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(",");
const registryUrl = process.env.SCHEMA_REGISTRY_URL ?? "http://127.0.0.1:8081/apis/ccompat/v7";
const logger = createLogger({ service: "bench", level: "warn" });
const kafka = new Kafka({ clientId: "flyt.bench", brokers, logLevel: logLevel.NOTHING });
const registry = new SchemaRegistryClient(registryUrl);
const run = `bench-${Date.now().toString(36)}`;
const now = () => performance.timeOrigin + performance.now();

const admin = kafka.admin();
await admin.connect();
async function topic(name: string, partitions = PARTITIONS): Promise<TopicDefinition<BenchEvent>> {
  const definition = {
    name,
    topic: `${run}.${name}`,
    valueSchema: schema,
    key: "bench key",
    partitions,
    retentionMs: 3_600_000,
    cleanupPolicy: "delete" as const,
  };
  await createTopicsAndWait(admin, [{ topic: definition.topic, numPartitions: partitions }]);
  return definition;
}
const deadLetterTopic = (await topic("dlq", 1)) as unknown as TopicDefinition<DeadLetter>;
(deadLetterTopic as { valueSchema: object }).valueSchema = deadLetterV1Schema;

const event = (seq: number): BenchEvent => ({ key: `case-${seq % KEYS}`, seq, sentAt: now() });
const headers = {
  correlationId: "bench",
  traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
  tenant: "bench",
  sourceApplication: "bench",
  submissionId: "bench",
};

// --- Produce: raw kafkajs sendBatch of pre-encoded values vs EventProducer.publish (encodes each) ---------
async function produceRaw(target: TopicDefinition<BenchEvent>) {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const id = await registry.schemaIdFor(target, { register: true });
  const start = performance.now();
  for (let offset = 0; offset < MESSAGES; offset += 500) {
    const messages = Array.from({ length: Math.min(500, MESSAGES - offset) }, (_, i) => {
      const value = event(offset + i);
      return { key: value.key, value: registry.encode(target, id, value), headers: toKafkaHeaders(headers) };
    });
    await producer.sendBatch({ acks: -1, topicMessages: [{ topic: target.topic, messages }] });
  }
  const seconds = (performance.now() - start) / 1000;
  await producer.disconnect();
  return MESSAGES / seconds;
}

async function produceFlyt(target: TopicDefinition<BenchEvent>) {
  const producer = new EventProducer({
    kafka,
    registry,
    logger,
    metrics: new Registry(),
    registerSchemas: true,
  });
  await producer.connect();
  const start = performance.now();
  const window = 2_000; // publishes outstanding at once, as a busy gateway would have
  for (let offset = 0; offset < MESSAGES; offset += window) {
    await Promise.all(
      Array.from({ length: Math.min(window, MESSAGES - offset) }, (_, i) => {
        const value = event(offset + i);
        return producer.publish(target, { key: value.key, value, headers });
      }),
    );
  }
  const seconds = (performance.now() - start) / 1000;
  await producer.disconnect();
  return MESSAGES / seconds;
}

// --- Consume: raw kafkajs eachMessage (decode only) vs ConsumerRunner (decode, order per key, commits) -----
/** Stands for a handler's I/O (a database write, an HTTP call): `ioMs` of waiting, no CPU. */
const io = (ioMs: number) => (ioMs > 0 ? new Promise((resolve) => setTimeout(resolve, ioMs)) : undefined);

async function consumeRaw(source: TopicDefinition<BenchEvent>, ioMs: number, messages: number) {
  const consumer = kafka.consumer({ groupId: `${run}.raw.${ioMs}`, maxWaitTimeInMs: 250 });
  await consumer.connect();
  await consumer.subscribe({ topic: source.topic, fromBeginning: true });
  let count = 0;
  let start = 0;
  const finished = new Promise<number>((resolve) => {
    void consumer.run({
      partitionsConsumedConcurrently: PARTITIONS,
      eachMessage: async ({ message }) => {
        if (count === 0) start = performance.now();
        await registry.decode(message.value, schema);
        await io(ioMs);
        count += 1;
        if (count === messages) resolve(performance.now() - start);
      },
    });
  });
  const ms = await finished;
  await consumer.disconnect();
  return messages / (ms / 1000);
}

async function consumeFlyt(source: TopicDefinition<BenchEvent>, ioMs: number, messages: number) {
  const producer = new EventProducer({ kafka, registry, logger, metrics: new Registry() });
  await producer.connect();
  let count = 0;
  let start = 0;
  let resolveDone: (ms: number) => void = () => {};
  const finished = new Promise<number>((resolve) => {
    resolveDone = resolve;
  });
  const runner = new ConsumerRunner({
    kafka,
    registry,
    producer,
    logger,
    metrics: new Registry(),
    groupId: `${run}.flyt.${ioMs}`,
    deadLetterTopic,
    concurrency: 64,
    handlers: [
      {
        topic: source,
        handle: async () => {
          if (count === 0) start = performance.now();
          await io(ioMs);
          count += 1;
          if (count === messages) resolveDone(performance.now() - start);
        },
      },
    ],
  });
  await runner.start();
  const ms = await finished;
  await runner.stop(10_000);
  await producer.disconnect();
  return messages / (ms / 1000);
}

// --- Latency: publish at a fixed rate, measure publish -> handler ---------------------------------------
async function latency(target: TopicDefinition<BenchEvent>) {
  const producer = new EventProducer({
    kafka,
    registry,
    logger,
    metrics: new Registry(),
    registerSchemas: true,
  });
  await producer.connect();
  const samples: number[] = [];
  const runner = new ConsumerRunner({
    kafka,
    registry,
    producer,
    logger,
    metrics: new Registry(),
    groupId: `${run}.latency`,
    deadLetterTopic,
    fromBeginning: false,
    handlers: [
      {
        topic: target,
        // The first WARM_UP_SECONDS of messages only warm up (partition assignment, first fetches, JIT).
        handle: async ({ value }) => void (value.seq >= warmUp && samples.push(now() - value.sentAt)),
      },
    ],
  });
  await runner.start();
  const warmUp = RATE * WARM_UP_SECONDS;
  const total = warmUp + RATE * LATENCY_SECONDS;
  const start = performance.now();
  const sends: Promise<void>[] = [];
  for (let seq = 0; seq < total; seq += 1) {
    const due = start + (seq * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const value = event(seq);
    sends.push(producer.publish(target, { key: value.key, value, headers }));
  }
  await Promise.all(sends);
  while (samples.length < total - warmUp) await new Promise((resolve) => setTimeout(resolve, 50));
  await runner.stop(10_000);
  await producer.disconnect();
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    count: sorted.length,
  };
}

const peakRss = trackPeakRss();
const rawTopic = await topic("raw");
const flytTopic = await topic("flyt");
const rawProduce = await produceRaw(rawTopic);
const flytProduce = await produceFlyt(flytTopic);
const rawConsume = await consumeRaw(rawTopic, 0, MESSAGES);
const flytConsume = await consumeFlyt(flytTopic, 0, MESSAGES);
// With 1 ms of I/O per message only a few thousand are needed to see the steady rate.
const IO_MESSAGES = Math.min(MESSAGES, 10_000);
const rawConsumeIo = await consumeRaw(rawTopic, 1, IO_MESSAGES);
const flytConsumeIo = await consumeFlyt(flytTopic, 1, IO_MESSAGES);
const hop = await latency(await topic("latency"));
const rss = peakRss();
await admin.disconnect();

const pct = (a: number, b: number) => `${Math.round((a / b) * 100)} %`;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => `${n.toFixed(1)} ms`;
const markdown = `## Event backbone (libs/kafka)

${new Date().toISOString().slice(0, 10)} · ${machineLine()} · single-node Kafka 3.9.1 (KRaft) and Apicurio Registry 3.3.3 on the same machine · ${fmt(MESSAGES)} messages of ~40 bytes, ${KEYS} keys, ${PARTITIONS} partitions.

| | raw kafkajs | Flyt | Flyt / raw |
|---|---:|---:|---:|
| produce, msg/s (acks=all, idempotent) | ${fmt(rawProduce)} | ${fmt(flytProduce)} | ${pct(flytProduce, rawProduce)} |
| consume, msg/s, no-op handler (decode through the registry) | ${fmt(rawConsume)} | ${fmt(flytConsume)} | ${pct(flytConsume, rawConsume)} |
| consume, msg/s, handler with 1 ms of I/O (first ${fmt(IO_MESSAGES)}) | ${fmt(rawConsumeIo)} | ${fmt(flytConsumeIo)} | ${pct(flytConsumeIo, rawConsumeIo)} |

- Both sides carry the same key and the five contract headers. raw produce: \`sendBatch\` of 500 pre-encoded messages at a time; Flyt: \`EventProducer.publish\` per message (Avro encode + 2 ms linger batching), 2,000 outstanding.
- raw consume: \`eachMessage\` with ${PARTITIONS} partitions concurrently (so one message at a time per partition), decoding each value; Flyt: \`ConsumerRunner\` (decode, per-key ordering with up to 64 handlers at once, handler timeout, offset tracking and commits). The no-op row measures per-message overhead; the I/O row is what services do (a database write, an archive call).
- produce -> handler latency at ${fmt(RATE)} msg/s for ${LATENCY_SECONDS} s after ${WARM_UP_SECONDS} s of warm-up (${fmt(hop.count)} messages; publish called -> handler entered, one process): **p50 ${ms(hop.p50)}, p99 ${ms(hop.p99)}**, max ${ms(hop.max)}.
- peak RSS of the benchmark process (producers, consumers and runner together): ${rss} MB.

Aims: runner ≥ 80 % of raw kafkajs; p99 hop latency < 20 ms at 1,000 msg/s.`;

process.stdout.write(`${markdown}\n`);
await writeReportSection("event-backbone", markdown);
process.exit(0);
