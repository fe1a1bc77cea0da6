import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { migrateFileStore, PostgresFileStore } from "@flyt/file-store";
import { createKafka, EventProducer, SchemaRegistryClient } from "@flyt/kafka";
import { dropDatabase, ensureDatabase, PIPELINE_HEAP } from "@flyt/local-infra";
import { createLogger } from "@flyt/logging";
import { createMetricsRegistry } from "@flyt/observability";
import { createDatabase } from "@flyt/postgres";
import {
  ConfigurationStore,
  migrateRegistry,
  RegistryStore,
  seedDemoConfigurations,
  seedDemoCounty,
} from "@flyt/registry";
import type { SubmissionReceived } from "@flyt/schemas";
import {
  machineLine,
  percentile,
  startBuiltService,
  trackPeakRssOf,
  writeReportSection,
} from "@flyt/testing/bench";
import { provisionDeploymentTopics, registerSchemas, topicCatalogue } from "@flyt/topics";
import { receivedCase } from "../src/domain/submission.fixtures";

const MESSAGES = Number(process.env.BENCH_VALIDATION_MESSAGES ?? 30_000);
const CONCURRENCY = process.env.BENCH_VALIDATION_CONCURRENCY ?? "64";
const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const brokers = process.env.KAFKA_BROKERS ?? "127.0.0.1:9092";
const registryUrl = process.env.SCHEMA_REGISTRY_URL ?? "http://127.0.0.1:8081/apis/ccompat/v7";
const logger = createLogger({ service: "validation-bench", level: "warn" });
const run = `bench${Date.now().toString(36)}`;
const serviceDir = fileURLToPath(new URL("..", import.meta.url));

// --- A database (demo county, its configurations, one stored PDF) and topics of the run's own -----------
const databaseUrl = await ensureDatabase(serverUrl, run);
const db = createDatabase({ url: databaseUrl, applicationName: "flyt.bench" });
await migrateRegistry(db);
await seedDemoCounty(new RegistryStore(db));
await seedDemoConfigurations(new ConfigurationStore(db));
await migrateFileStore(db);
const fileId = `file_${randomUUID()}`;
const pdf = Buffer.from(`%PDF-1.7\n${"x".repeat(2_000)}\n`);
await new PostgresFileStore(db).store(
  {
    owner: { tenantId: "demo", sourceApplicationId: "egrunnerverv", environment: "test" },
    id: fileId,
    filename: "kontrakt.pdf",
    mimeType: "application/pdf",
  },
  pdf,
  1e6,
);

const topics = topicCatalogue({ namespace: run });
const kafka = createKafka({ clientId: "flyt.bench", brokers: brokers.split(","), logger });
await provisionDeploymentTopics({ brokers: brokers.split(","), namespace: run, logger });
const registry = new SchemaRegistryClient(registryUrl);
await registerSchemas(registry, [
  topics.submissionReceived,
  topics.submissionValidated,
  topics.submissionRejected,
]);

// --- The submissions: one case with one journal post and its PDF each, distinct keys ---------------------
const producer = new EventProducer({
  kafka,
  registry,
  logger,
  metrics: createMetricsRegistry({ service: "b" }),
});
await producer.connect();
const template = receivedCase({ fileId });
const publishes: Promise<void>[] = [];
for (let i = 0; i < MESSAGES; i += 1) {
  const id = `sub_01JD8Z6ZQ8${String(i).padStart(16, "0")}`;
  const value: SubmissionReceived = {
    ...template,
    meta: { ...template.meta, eventId: randomUUID(), correlationId: randomUUID() },
    submission: { ...template.submission, id, sourceInstanceId: `${run}-${i}` },
  };
  const headers = {
    correlationId: value.meta.correlationId,
    traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    tenant: "demo",
    sourceApplication: "egrunnerverv",
    submissionId: id,
  };
  publishes.push(producer.publish(topics.submissionReceived, { key: id, value, headers }));
  if (publishes.length >= 2_000) await Promise.all(publishes.splice(0));
}
await Promise.all(publishes);
await producer.disconnect();

// --- Count decisions as they appear --------------------------------------------------------------------
const decidedAt: number[] = [];
let rejected = 0;
const counter = kafka.consumer({ groupId: `${run}-counter` });
await counter.connect();
await counter.subscribe({
  topics: [topics.submissionValidated.topic, topics.submissionRejected.topic],
  fromBeginning: true,
});
await counter.run({
  eachBatch: async ({ batch }) => {
    const now = performance.now();
    for (const _ of batch.messages) decidedAt.push(now);
    if (batch.topic === topics.submissionRejected.topic) rejected += batch.messages.length;
  },
});

// --- The service drains the backlog --------------------------------------------------------------------
const service = startBuiltService(serviceDir, {
  LOG_LEVEL: "warn",
  HTTP_HOST: "127.0.0.1",
  HTTP_PORT: "18191",
  KAFKA_BROKERS: brokers,
  SCHEMA_REGISTRY_URL: registryUrl,
  DATABASE_URL: databaseUrl,
  FLYT_TOPIC_NAMESPACE: run,
  CONSUMER_CONCURRENCY: CONCURRENCY,
  ...(process.env.BENCH_VALIDATION_MAX_IN_FLIGHT
    ? { CONSUMER_MAX_IN_FLIGHT_PER_PARTITION: process.env.BENCH_VALIDATION_MAX_IN_FLIGHT }
    : {}),
  // As the local run and docker-compose start it.
  NODE_OPTIONS: process.env.BENCH_VALIDATION_NODE_OPTIONS ?? PIPELINE_HEAP,
});
const peakRss = trackPeakRssOf(service.pid);
const deadline = Date.now() + 300_000;
while (decidedAt.length < MESSAGES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
const peakRssMb = await peakRss();
service.child.kill("SIGTERM");
await counter.disconnect();
const decisions = Number((await db("validation_decisions").count({ n: "*" }))[0]?.n);
await db.destroy();
await dropDatabase(serverUrl, run);
if (decidedAt.length < MESSAGES) throw new Error(`only ${decidedAt.length} of ${MESSAGES} decided in time`);

// Per second, from the first decision to the last; the steadiest second-long windows say what it sustains.
const first = decidedAt[0] ?? 0;
const seconds = ((decidedAt.at(-1) ?? first) - first) / 1000;
const perSecond = new Map<number, number>();
for (const at of decidedAt) {
  const second = Math.floor((at - first) / 1000);
  perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
}
const rates = [...perSecond.values()].sort((a, b) => a - b);
const format = (n: number) => Math.round(n).toLocaleString("en-US");
const markdown = `## Validation (services/validation)

${new Date().toISOString().slice(0, 10)} · ${machineLine()} · Kafka, Apicurio and Postgres on the same machine · ${format(MESSAGES)} received submissions published first (a case, one journal post, one stored 2 KB PDF each, distinct keys, 12 partitions), then drained by one validation process (consumer concurrency ${CONCURRENCY}, \`NODE_OPTIONS=${process.env.BENCH_VALIDATION_NODE_OPTIONS ?? PIPELINE_HEAP}\` as the local run and compose start it).

| | value |
|---|---:|
| throughput, first to last decision | ${format(MESSAGES / seconds)} msg/s |
| median one-second window | ${format(percentile(rates, 50))} msg/s |
| decisions recorded in Postgres / rejected | ${format(decisions)} / ${format(rejected)} |
| peak RSS of the validation process | ${peakRssMb} MB |

- Per submission: the integration's state and active version with any earlier decision, the files' first bytes, the configuration version (cached: immutable), the decision recorded, then \`submission.validated\` published with acks=all; the reads and inserts of messages handled together go to Postgres as one statement each. Offsets are committed only past handled messages.

Aim: ≥ 3,000 msg/s on this machine; each Node service < 250 MB RSS.`;
process.stdout.write(`${markdown}\n`);
await writeReportSection("validation", markdown);
process.exit(0);
