import { randomBytes, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { CallbackEndpoints, migrateCallbacks } from "@flyt/callbacks";
import { createKafka, EventProducer, SchemaRegistryClient } from "@flyt/kafka";
import { dropDatabase, ensureDatabase, PIPELINE_HEAP } from "@flyt/local-infra";
import { createLogger } from "@flyt/logging";
import { createMetricsRegistry } from "@flyt/observability";
import { createDatabase } from "@flyt/postgres";
import type { SubmissionCompleted } from "@flyt/schemas";
import {
  machineLine,
  percentile,
  startBuiltService,
  trackPeakRssOf,
  writeReportSection,
} from "@flyt/testing/bench";
import { provisionDeploymentTopics, registerSchemas, topicCatalogue } from "@flyt/topics";
import { deliveryIdOf } from "../src/handlers/record-deliveries";

const BACKLOG = Number(process.env.BENCH_CALLBACK_BACKLOG ?? 20_000);
const STEADY_RATE = Number(process.env.BENCH_CALLBACK_RATE ?? 200);
const STEADY_SECONDS = Number(process.env.BENCH_CALLBACK_SECONDS ?? 15);
const ENDPOINTS = Number(process.env.BENCH_CALLBACK_ENDPOINTS ?? 32);
const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const brokers = process.env.KAFKA_BROKERS ?? "127.0.0.1:9092";
const registryUrl = process.env.SCHEMA_REGISTRY_URL ?? "http://127.0.0.1:8081/apis/ccompat/v7";
const logger = createLogger({ service: "dispatcher-bench", level: "warn" });
const run = `bench${Date.now().toString(36)}`;
const serviceDir = fileURLToPath(new URL("..", import.meta.url));

// --- A receiver on loopback: answers 204 at once, notes when each webhook-id first arrived ----------------
const arrivals = new Map<string, number>();
const receiver = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const id = String(req.headers["webhook-id"]);
    if (!arrivals.has(id)) arrivals.set(id, Date.now());
    res.writeHead(204).end();
  });
});
receiver.keepAliveTimeout = 30_000;
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

// --- A database with the endpoints (one per source application, all on the receiver) and topics -----------
const databaseUrl = await ensureDatabase(serverUrl, run);
const db = createDatabase({ url: databaseUrl, applicationName: "flyt.bench" });
await migrateCallbacks(db);
const endpoints = new CallbackEndpoints(db);
const owners = Array.from({ length: ENDPOINTS }, (_, i) => ({
  tenantId: "demo",
  sourceApplicationId: `app-${i}`,
}));
for (const owner of owners) {
  await endpoints.register(
    owner,
    `${receiverUrl}/${owner.sourceApplicationId}`,
    `whsec_${randomBytes(32).toString("base64")}`,
  );
}

const topics = topicCatalogue({ namespace: run });
const kafka = createKafka({ clientId: "flyt.bench", brokers: brokers.split(","), logger });
await provisionDeploymentTopics({ brokers: brokers.split(","), namespace: run, logger });
const registry = new SchemaRegistryClient(registryUrl);
await registerSchemas(registry, [topics.submissionCompleted, topics.callbackRequested]);
const producer = new EventProducer({
  kafka,
  registry,
  logger,
  metrics: createMetricsRegistry({ service: "b" }),
});
await producer.connect();

let sequence = 0;
/** Publishes one terminal transition, stamped with the time it is published; answers its webhook-id's seed. */
function publishCompleted(): { eventId: string; completedAt: number; sent: Promise<void> } {
  sequence += 1;
  const owner = owners[sequence % owners.length] as (typeof owners)[number];
  const id = `sub_01JD8Z6ZQ8${String(sequence).padStart(16, "0")}`;
  const now = new Date();
  const value: SubmissionCompleted = {
    meta: { eventId: randomUUID(), occurredAt: now, correlationId: randomUUID(), producer: "bench" },
    submission: {
      id,
      tenant: owner.tenantId,
      sourceApplication: owner.sourceApplicationId,
      integrationId: "egrunnerverv-sak",
      sourceInstanceId: `${run}-${sequence}`,
      kind: "CASE",
      run: 1,
    },
    status: "ARCHIVED",
    caseNumber: `2026/${sequence}`,
    journalPostNumbers: [`2026/${sequence}-1`],
    errors: [],
    history: [
      { status: "RECEIVED", at: new Date(now.getTime() - 300) },
      { status: "VALIDATED", at: new Date(now.getTime() - 200) },
      { status: "ARCHIVED", at: now },
    ],
    configurationVersion: 1,
    createdAt: new Date(now.getTime() - 300),
    updatedAt: now,
  };
  const headers = {
    correlationId: value.meta.correlationId,
    traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    tenant: owner.tenantId,
    sourceApplication: owner.sourceApplicationId,
    submissionId: id,
  };
  return {
    eventId: value.meta.eventId,
    completedAt: now.getTime(),
    sent: producer.publish(topics.submissionCompleted, { key: id, value, headers }),
  };
}

// --- Part 1: a backlog, drained ------------------------------------------------------------------------
const publishes: Promise<void>[] = [];
for (let i = 0; i < BACKLOG; i += 1) {
  publishes.push(publishCompleted().sent);
  if (publishes.length >= 2_000) await Promise.all(publishes.splice(0));
}
await Promise.all(publishes);

const service = startBuiltService(serviceDir, {
  LOG_LEVEL: "warn",
  HTTP_HOST: "127.0.0.1",
  HTTP_PORT: "18194",
  KAFKA_BROKERS: brokers,
  SCHEMA_REGISTRY_URL: registryUrl,
  DATABASE_URL: databaseUrl,
  FLYT_TOPIC_NAMESPACE: run,
  CALLBACK_ALLOW_HTTP: "true",
  CALLBACK_ALLOWLIST: "127.0.0.1",
  CONSUMER_CONCURRENCY: process.env.BENCH_CALLBACK_CONSUMER_CONCURRENCY ?? "64",
  // As the local run and docker-compose start it.
  NODE_OPTIONS: process.env.BENCH_CALLBACK_NODE_OPTIONS ?? PIPELINE_HEAP,
});
const peakRss = trackPeakRssOf(service.pid);
const deadline = Date.now() + 300_000;
while (arrivals.size < BACKLOG && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
if (arrivals.size < BACKLOG) throw new Error(`only ${arrivals.size} of ${BACKLOG} delivered in time`);
const times = [...arrivals.values()].sort((a, b) => a - b);
const first = times[0] ?? 0;
const drainSeconds = ((times.at(-1) ?? first) - first) / 1000;
const perSecond = new Map<number, number>();
for (const at of times) {
  const second = Math.floor((at - first) / 1000);
  perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
}
const rates = [...perSecond.values()].sort((a, b) => a - b);
// Let the backlog's last writes settle before the steady part.
await waitUntil(
  async () =>
    Number((await db("callback_deliveries").whereNot({ state: "delivered" }).count({ n: "*" }))[0]?.n) === 0,
);

// --- Part 2: a steady rate to an idle dispatcher -------------------------------------------------------
const steady: { eventId: string; completedAt: number }[] = [];
const interval = 1_000 / STEADY_RATE;
const startedAt = Date.now();
for (let i = 0; i < STEADY_RATE * STEADY_SECONDS; i += 1) {
  const due = startedAt + i * interval;
  if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
  const published = publishCompleted();
  steady.push(published);
  void published.sent;
}

await waitUntil(() => steady.every((item) => arrivals.has(deliveryIdOf(item.eventId))));
const delays = steady
  .map((item) => (arrivals.get(deliveryIdOf(item.eventId)) as number) - item.completedAt)
  .sort((a, b) => a - b);
const peakRssMb = await peakRss();

const counts: { state: string; n: string }[] = await db("callback_deliveries")
  .groupBy("state")
  .select("state", db.raw("count(*) as n"));
const attempts = Number((await db("callback_attempts").count({ n: "*" }))[0]?.n);
service.child.kill("SIGTERM");
await producer.disconnect();
await db.destroy();
await dropDatabase(serverUrl, run);
receiver.closeAllConnections();
receiver.close();

const format = (n: number) => Math.round(n).toLocaleString("en-US");
const stateCounts = counts.map((row) => `${row.state} ${format(Number(row.n))}`).join(", ");
const markdown = `## Callback dispatcher (services/callback-dispatcher)

${new Date().toISOString().slice(0, 10)} · ${machineLine()} · Kafka, Apicurio, Postgres and the receiver on the same machine · one dispatcher process (defaults: 256 attempts in flight, 8 per endpoint; consumer concurrency ${process.env.BENCH_CALLBACK_CONSUMER_CONCURRENCY ?? "64"}; \`NODE_OPTIONS=${process.env.BENCH_CALLBACK_NODE_OPTIONS ?? PIPELINE_HEAP}\` as the local run and compose start it) posting signed callbacks over kept-alive HTTP/1.1 to a receiver on loopback that answers 204 at once; ${ENDPOINTS} endpoints (source applications), each with its own path.

| | value |
|---|---:|
| backlog of ${format(BACKLOG)} completed submissions, first to last delivery | ${format(BACKLOG / drainSeconds)} deliveries/s |
| median one-second window while draining | ${format(percentile(rates, 50))} deliveries/s |
| first-attempt delay at ${STEADY_RATE}/s for ${STEADY_SECONDS} s, p50 (terminal status → arrival) | ${format(percentile(delays, 50))} ms |
| first-attempt delay, p99 | ${format(percentile(delays, 99))} ms |
| first-attempt delay, max | ${format(delays.at(-1) ?? 0)} ms |
| deliveries / attempts recorded | ${stateCounts} / ${format(attempts)} |
| peak RSS of the dispatcher process | ${peakRssMb} MB |

- Per delivery: the completed event recorded (one statement per batch of events handled together), the delivery leased to this instance and attempted at once off the consumer's path, the URL checked by the SSRF guard, signed (HMAC-SHA256), posted, and the attempt with what follows written (one transaction per batch of finished attempts). The backlog beyond what one instance holds (512) waits in Postgres and is claimed by the scheduler, at most 8 per endpoint per claim.
- The delay is measured from the event's \`updatedAt\` (when the submission reached its terminal status, stamped as it was published) to the receiver's arrival: Kafka, the consumer, Postgres and the HTTP attempt.

Aims: ≥ 1,000 deliveries/s; p99 first-attempt delay < 500 ms; each Node service < 250 MB RSS.`;
process.stdout.write(`${markdown}\n`);
await writeReportSection("callback-dispatcher", markdown);
process.exit(0);

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("the dispatcher did not finish in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}
