// End-to-end benchmark on the whole running stack, started as the README's run command starts it, with the
// simulated archive at 0 ms: sustained throughput from 202 to ARCHIVED, end-to-end latency at a fixed rate,
// the projection's lag, and status reads. Run through `npm run bench` (root), which provides KAFKA_BROKERS,
// SCHEMA_REGISTRY_URL and DATABASE_URL.
import { Agent, request } from "node:http";
import { createDatabase } from "@flyt/postgres";
import {
  benchCaseBody,
  machineLine,
  percentile,
  trackPeakRssOf,
  writeReportSection,
} from "@flyt/testing/bench";
import autocannon from "autocannon";
import { accessToken, startLocalStack } from "../src/local-stack";

const SUSTAINED_SECONDS = Number(process.env.BENCH_E2E_SECONDS ?? 60);
const SUBMITTERS = Number(process.env.BENCH_E2E_SUBMITTERS ?? 64);
const FIXED_RATE = Number(process.env.BENCH_E2E_RATE ?? 200);
const FIXED_SECONDS = Number(process.env.BENCH_E2E_FIXED_SECONDS ?? 30);
/** A rate below what the stack sustains on this machine, for latency without a queue. */
const SUSTAINABLE_RATE = Number(process.env.BENCH_E2E_SUSTAINABLE_RATE ?? 50);
const READ_SECONDS = Number(process.env.BENCH_E2E_READ_SECONDS ?? 20);
const CLIENT = "demo-egrunnerverv-test";
const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const runId = `bench${Date.now().toString(36)}`;

const stack = await startLocalStack({
  kafkaBrokers: (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(","),
  schemaRegistryUrl: process.env.SCHEMA_REGISTRY_URL ?? "http://127.0.0.1:8081/apis/ccompat/v7",
  postgresUrl: serverUrl,
  runId,
  portOffset: 20_000,
  serviceSettings: {
    FLYT_LOCAL_ARCHIVE_ADAPTER__SIMULATOR_LATENCY_MS: "0",
    // As the archive adapter's own benchmark runs it: many cases in flight against one destination.
    FLYT_LOCAL_ARCHIVE_ADAPTER__CONSUMER_CONCURRENCY: "256",
    FLYT_LOCAL_ARCHIVE_ADAPTER__ARCHIVE_CONCURRENCY_PER_DESTINATION: "256",
    FLYT_LOCAL_VALIDATION__CONSUMER_CONCURRENCY: "64",
    FLYT_LOCAL_STATUS_PROJECTION__CONSUMER_CONCURRENCY: "128",
    // One client sends everything here: its rate limit would measure the limit, not the system.
    FLYT_LOCAL_GATEWAY__RATE_LIMIT_BURST: "1000000",
    FLYT_LOCAL_GATEWAY__RATE_LIMIT_PER_SECOND: "1000000",
  },
});
const db = createDatabase({ url: stack.databaseUrl, applicationName: "flyt.e2e-bench" });

try {
  const token = await accessToken(stack, CLIENT);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const pids = await stack.pids();
  let sequence = 0;

  /** One one-step case with a 2 KB PDF; resolves with its id and when its 202 came. */
  const submit = async (): Promise<{ id: string; acceptedAt: number; sentAt: number }> => {
    const sentAt = Date.now();
    const body = benchCaseBody(`${runId}-${sequence++}`);
    const answer = await post(`${stack.gatewayUrl}/api/v1/cases`, body, token, agent);
    if (answer.status !== 202)
      throw new Error(`POST /api/v1/cases answered ${answer.status}: ${answer.body}`);
    return { id: (JSON.parse(answer.body) as { id: string }).id, acceptedAt: Date.now(), sentAt };
  };

  // Warm-up: JIT, pools, the first schema lookups; not measured.
  await Promise.all(Array.from({ length: 200 }, () => submit()));

  // --- 1. Sustained: as many as the stack takes for SUSTAINED_SECONDS, then until every one is ARCHIVED ------
  const peaks = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, trackPeakRssOf(pid)]));
  const sustainedIds: string[] = [];
  const started = Date.now();
  const until = started + SUSTAINED_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: SUBMITTERS }, async () => {
      while (Date.now() < until) sustainedIds.push((await submit()).id);
    }),
  );
  const intakeSeconds = (Date.now() - started) / 1000;
  const drained = await untilTerminal(sustainedIds, 600_000);
  const sustained = await outcomes(sustainedIds);
  const sustainedSeconds = (drained - started) / 1000;
  const peakRss = Object.fromEntries(
    await Promise.all(Object.entries(peaks).map(async ([name, peak]) => [name, await peak()] as const)),
  );

  // --- 2. End-to-end latency at a fixed rate: the issue's, and one the stack sustains ---------------------
  const atRate = async (rate: number, seconds: number) => {
    const sent: { id: string; acceptedAt: number; sentAt: number }[] = [];
    const interval = 1000 / rate;
    const start = Date.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < rate * seconds; i += 1) {
      const wait = start + i * interval - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      pending.push(submit().then((accepted) => void sent.push(accepted)));
    }
    await Promise.all(pending);
    const ids = sent.map((item) => item.id);
    await untilTerminal(ids, 300_000);
    // The moment the projection recorded ARCHIVED is when polling sees it: each is then read once to confirm.
    const recorded = await recordedArchived(ids);
    const latencies = sent
      .map((item) => (recorded.get(item.id) ?? Number.NaN) - item.acceptedAt)
      .filter((ms) => !Number.isNaN(ms))
      .sort((a, b) => a - b);
    const intake = sent.map((item) => item.acceptedAt - item.sentAt).sort((a, b) => a - b);
    let confirmed = 0;
    for (const item of sent) {
      const answer = await get(`${stack.gatewayUrl}/api/v1/submissions/${item.id}`, token, agent);
      if (answer.includes('"status":"ARCHIVED"')) confirmed += 1;
    }
    return { rate, seconds, ids, latencies, intake, confirmed, lags: await projectionLags(ids) };
  };
  const fixed = await atRate(FIXED_RATE, FIXED_SECONDS);
  const sustainable = await atRate(SUSTAINABLE_RATE, FIXED_SECONDS);

  // --- 3. Status reads --------------------------------------------------------------------------------------
  const gatewayPeak = trackPeakRssOf(pids.gateway as number);
  const readIds = fixed.ids;
  let next = 0;
  const reads = await autocannon({
    url: stack.gatewayUrl,
    connections: 32,
    duration: READ_SECONDS,
    headers: { authorization: `Bearer ${token}` },
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          method: "GET",
          path: `/api/v1/submissions/${readIds[next++ % readIds.length]}`,
        }),
      },
    ],
  });
  const readPeak = await gatewayPeak();
  agent.destroy();

  const perSecond = (count: number, seconds: number) => Math.round(count / seconds).toLocaleString("en-US");
  const ms = (value: number) => `${Math.round(value)} ms`;
  const latencyRows = (run: Awaited<ReturnType<typeof atRate>>) =>
    [
      `| at ${run.rate} submissions/s for ${run.seconds} s: 202 → ARCHIVED visible, p50 / p99 | ${ms(percentile(run.latencies, 50))} / **${ms(percentile(run.latencies, 99))}** (${run.latencies.length.toLocaleString("en-US")} submissions, ${run.confirmed.toLocaleString("en-US")} confirmed ARCHIVED by a GET) |`,
      `| at ${run.rate}/s: the 202 itself, p50 / p99 | ${ms(percentile(run.intake, 50))} / ${ms(percentile(run.intake, 99))} |`,
      `| at ${run.rate}/s: projection lag (event → recorded in the read model), p50 / p99 | ${ms(percentile(run.lags, 50))} / **${ms(percentile(run.lags, 99))}** |`,
    ].join("\n");
  const rssRows = Object.entries(peakRss)
    .map(([name, mb]) => `| ${name} | ${name === "gateway" ? Math.max(mb, readPeak) : mb} MB |`)
    .join("\n");
  const markdown = `## The whole stack, end to end (deploy/e2e)

${new Date().toISOString().slice(0, 10)} · ${machineLine()} · Kafka, Apicurio and Postgres on the same machine · the five services started as \`npm start\` starts them (pipeline services with \`--max-old-space-size=192\`), the simulated archive at 0 ms per call, the archive adapter with 256 cases in flight · each submission a one-step case with one journal post and a 2 KB PDF, from one source-system client with its own token.

| | value |
|---|---:|
| sustained: submitted for ${SUSTAINED_SECONDS} s by ${SUBMITTERS} clients at once | ${sustainedIds.length.toLocaleString("en-US")} accepted, ${perSecond(sustainedIds.length, intakeSeconds)}/s |
| sustained: 202 → ARCHIVED, first 202 to last ARCHIVED | **${perSecond(sustained.ARCHIVED ?? 0, sustainedSeconds)}/s** over ${Math.round(sustainedSeconds)} s |
| sustained: ARCHIVED / accepted (none lost) | ${(sustained.ARCHIVED ?? 0).toLocaleString("en-US")} / ${sustainedIds.length.toLocaleString("en-US")}${Object.keys(sustained).length > 1 ? ` (${JSON.stringify(sustained)})` : ""} |
${[fixed, sustainable].map(latencyRows).join("\n")}
| \`GET /api/v1/submissions/{id}\` (32 connections, ${READ_SECONDS} s) | **${perSecond(reads["2xx"], reads.duration)}/s**, p50 ${reads.latency.p50} ms, p99 **${reads.latency.p99} ms**, ${reads.non2xx + reads.errors} non-2xx or errors |

Peak RSS per process during the sustained run (the gateway's also during the reads):

| process | peak RSS |
|---|---:|
${rssRows}

- Latency is measured from the 202 to the moment the status projection recorded ARCHIVED (its \`recorded_at\`), from which a poll answers it; every one was then read once through the API to confirm.
- Projection lag: for every lifecycle event of those submissions, when the projection recorded it minus when its producer observed it.

Aims on this machine: ≥ 1,000 submissions/s sustained with none lost; p99 end-to-end < 300 ms at 200/s; status reads ≥ 3,000/s with p99 < 20 ms; each Node service < 250 MB RSS.`;
  process.stdout.write(`${markdown}\n`);
  await writeReportSection("end-to-end", markdown);
} finally {
  await db.destroy();
  await stack.stop();
  await stack.cleanUp();
}
process.exit(0);

// --- helpers ---------------------------------------------------------------------------------------------

/** Resolves when every submission has a terminal status in the read model; with when the last one got it. */
async function untilTerminal(ids: readonly string[], timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.raw<{ rows: { open: number; last: Date | null }[] }>(
      `select count(*) filter (where status not in ('ARCHIVED','REJECTED','FAILED','CANCELLED'))::int
              + (cardinality(?::text[]) - count(*))::int as open,
              max(updated_at) as last
         from submission_status where submission_id = any(?::text[])`,
      [[...ids], [...ids]],
    );
    const [state] = rows;
    if (state && state.open === 0) {
      const { rows: recorded } = await db.raw<{ rows: { last: Date }[] }>(
        "select max(recorded_at) as last from submission_status_history where submission_id = any(?::text[])",
        [[...ids]],
      );
      return new Date(recorded[0]?.last ?? Date.now()).getTime();
    }
    if (Date.now() > deadline) throw new Error(`${state?.open} submissions still open after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function outcomes(ids: readonly string[]): Promise<Record<string, number>> {
  const rows: { status: string; n: number }[] = await db("submission_status")
    .whereIn("submission_id", ids)
    .groupBy("status")
    .select("status", db.raw("count(*)::int as n"));
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

async function recordedArchived(ids: readonly string[]): Promise<Map<string, number>> {
  const rows: { submission_id: string; recorded_at: Date }[] = await db("submission_status_history")
    .whereIn("submission_id", ids)
    .andWhere({ status: "ARCHIVED" })
    .select("submission_id", "recorded_at");
  return new Map(rows.map((row) => [row.submission_id, new Date(row.recorded_at).getTime()]));
}

async function projectionLags(ids: readonly string[]): Promise<number[]> {
  const rows: { lag_ms: number }[] = await db("submission_status_history")
    .whereIn("submission_id", ids)
    .select(db.raw("extract(epoch from (recorded_at - at)) * 1000 as lag_ms"));
  return rows.map((row) => Number(row.lag_ms)).sort((a, b) => a - b);
}

async function post(url: string, body: string, token: string, agent: Agent) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function get(url: string, token: string, agent: Agent): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const req = request(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => {
        text += chunk.toString();
      });
      res.on("end", () => resolve(text));
    });
    req.on("error", reject);
    req.end();
  });
}
