import { fileURLToPath } from "node:url";
import { dropDatabase, ensureDatabase, PIPELINE_HEAP } from "@flyt/local-infra";
import { machineLine, startBuiltService, trackPeakRssOf, writeReportSection } from "@flyt/testing/bench";
import { journalpost, startPipelineHarness, validated } from "../test-support/pipeline-harness";

const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const brokers = process.env.KAFKA_BROKERS ?? "127.0.0.1:9092";
const registryUrl = process.env.SCHEMA_REGISTRY_URL ?? "http://127.0.0.1:8081/apis/ccompat/v7";
const CONCURRENCY = Number(process.env.BENCH_ARCHIVE_CONCURRENCY ?? 256);
const serviceDir = fileURLToPath(new URL("..", import.meta.url));

interface Scenario {
  readonly name: string;
  readonly latencyMs: number;
  readonly concurrency: number;
  readonly cases: number;
}

const scenarios: Scenario[] = [
  { name: "Flyt, 0 ms per archive call", latencyMs: 0, concurrency: CONCURRENCY, cases: 3_000 },
  { name: "one case at a time, 0 ms", latencyMs: 0, concurrency: 1, cases: 300 },
  { name: "Flyt, 500 ms per archive call", latencyMs: 500, concurrency: CONCURRENCY, cases: 3_000 },
  { name: "one case at a time, 500 ms", latencyMs: 500, concurrency: 1, cases: 10 },
];

const results: {
  scenario: Scenario;
  perSecond: number;
  seconds: number;
  peakRssMb: number;
  failed: number;
}[] = [];
for (const scenario of scenarios) results.push({ scenario, ...(await run(scenario)) });

const format = (n: number) => (n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(1));
const markdown = `## Archive adapter (services/archive-adapter)

${new Date().toISOString().slice(0, 10)} · ${machineLine()} · Kafka, Apicurio and Postgres on the same machine · one adapter process (\`NODE_OPTIONS=${PIPELINE_HEAP}\`) against the simulated archive (kept in Postgres); each case: create case, upload one 2 KB PDF from the file store, add one journal post (3 archive calls, 6 progress saves); distinct keys, 12 partitions.

| | cases | cases/s | wall time | failed | peak RSS |
|---|---:|---:|---:|---:|---:|
${results
  .map(
    ({ scenario, perSecond, seconds, peakRssMb, failed }) =>
      `| ${scenario.name} (${scenario.concurrency} in flight) | ${scenario.cases.toLocaleString("en-US")} | ${format(perSecond)} | ${seconds.toFixed(1)} s | ${failed} | ${peakRssMb} MB |`,
  )
  .join("\n")}

- "One case at a time" is the same adapter with \`CONSUMER_CONCURRENCY=1\`: each archive call waits for the one before it, the way a serial integration works.
- At 500 ms per call a case takes 1.5 s of archive time; many in flight (per-case order kept, bounded per destination) is what turns that into throughput.

Aim: ≥ 100 cases/s per instance at 500 ms archive latency; each Node service < 250 MB RSS.`;
process.stdout.write(`${markdown}\n`);
await writeReportSection("archive-adapter", markdown);
process.exit(0);

async function run(scenario: Scenario) {
  const name = `bench${Date.now().toString(36)}`;
  const databaseUrl = await ensureDatabase(serverUrl, name);
  const harness = await startPipelineHarness({
    namespace: name,
    databaseUrl,
    kafkaBrokers: brokers.split(","),
    schemaRegistryUrl: registryUrl,
  });
  try {
    const { reference } = await harness.storePdf();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < scenario.cases; i += 1) {
      const request = validated({ journalPosts: [journalpost(reference)] });
      pending.push(harness.publish(request, request.submission.id));
      if (pending.length >= 1_000) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);

    const adapter = startBuiltService(serviceDir, {
      LOG_LEVEL: "warn",
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: "18192",
      KAFKA_BROKERS: brokers,
      SCHEMA_REGISTRY_URL: registryUrl,
      DATABASE_URL: databaseUrl,
      FLYT_TOPIC_NAMESPACE: name,
      REGISTER_SCHEMAS: "true",
      NODE_OPTIONS: PIPELINE_HEAP,
      CONSUMER_CONCURRENCY: String(scenario.concurrency),
      ARCHIVE_CONCURRENCY_PER_DESTINATION: String(Math.max(scenario.concurrency, 1)),
      DATABASE_POOL_MAX: "20",
      SIMULATOR_LATENCY_MS: String(scenario.latencyMs),
    });
    const peakRss = trackPeakRssOf(adapter.pid);
    const firstAt: number[] = [];
    const deadline = Date.now() + 600_000;
    while (harness.outcomes.length < scenario.cases && Date.now() < deadline) {
      if (harness.outcomes.length > 0 && firstAt.length === 0) firstAt.push(performance.now());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const lastAt = performance.now();
    const peakRssMb = await peakRss();
    adapter.child.kill("SIGTERM");
    await new Promise((resolve) => adapter.child.once("exit", resolve));
    if (harness.outcomes.length < scenario.cases) {
      throw new Error(
        `${scenario.name}: only ${harness.outcomes.length} of ${scenario.cases} archived in time`,
      );
    }
    const seconds = (lastAt - (firstAt[0] ?? lastAt)) / 1000;
    return {
      perSecond: (scenario.cases - 1) / Math.max(seconds, 0.001),
      seconds,
      peakRssMb,
      failed: harness.outcomes.filter((outcome) => outcome.failed).length,
    };
  } finally {
    await harness.stop();
    await dropDatabase(serverUrl, name);
  }
}
