// Gateway benchmark: POST /api/v1/cases through the real gateway process (real token, real Kafka, one small
// document), beside a bare Koa JSON echo under the same load generator (autocannon) on the same machine; then
// the same load again while five clients send hostile bodies within the limits (issue 12), with /livez timed
// throughout. Run through `npm run bench` (root), which provides KAFKA_BROKERS, SCHEMA_REGISTRY_URL and
// DATABASE_URL. BENCH_DURATION_SECONDS shortens it; BENCH_HOSTILE="0,1,2" picks hostile clients (by index below).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createKafka, createTopicsAndWait, SchemaRegistryClient } from "@flyt/kafka";
import { dropDatabase, ensureDatabase } from "@flyt/local-infra";
import { createLogger } from "@flyt/logging";
import { startAuthorizationServer } from "@flyt/oauth-server";
import { createDatabase } from "@flyt/postgres";
import { migrateRegistry, RegistryStore, seedDemoCounty } from "@flyt/registry";
import {
  benchCaseBody,
  cpuSecondsOf,
  machineLine,
  percentile,
  trackPeakRssOf,
  writeReportSection,
} from "@flyt/testing/bench";
import { registerSchemas, topicCatalogue } from "@flyt/topics";
import autocannon from "autocannon";
import {
  amplificationBody,
  deepBody,
  escapesBody,
  largestBody,
  manyKeysBody,
} from "../src/security/hostile-bodies";

/** The baseline: Koa parsing the same JSON body and answering 202, nothing else. */
const ECHO_SERVER = `
import Koa from "koa";
import parse from "co-body";
const app = new Koa();
app.use(async (ctx) => {
  if (ctx.method === "POST") {
    const body = await parse.json(ctx.req, { limit: "50mb" });
    ctx.status = 202;
    ctx.body = { id: String(body.sourceInstanceId), status: "RECEIVED" };
  } else ctx.body = "ok";
});
app.listen(Number(process.env.PORT), "127.0.0.1");
`;

/** The hostile clients: each sends its body in a loop until stopped, as fast as the gateway answers. */
const HOSTILE_CLIENTS = `
import { readFileSync } from "node:fs";
const clients = JSON.parse(process.env.HOSTILE);
let running = true;
process.stdin.once("data", () => { running = false; });
const answers = await Promise.all(clients.map(async (client) => {
  const body = readFileSync(client.file);
  const answers = [];
  while (running) {
    const started = performance.now();
    try {
      const res = await fetch(process.env.URL, { method: "POST", headers: client.headers, body });
      const bytes = (await res.arrayBuffer()).byteLength;
      answers.push({ status: res.status, bytes, ms: performance.now() - started });
    } catch {
      // The gateway closed the connection before the whole body was sent (status 0: no answer read).
      answers.push({ status: 0, bytes: 0, ms: performance.now() - started });
    }
  }
  return answers;
}));
process.stdout.write(JSON.stringify(answers));
process.exit(0);
`;

const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 20);
/** The gateway's default body limit, which every hostile body keeps within. */
const BODY_LIMIT_BYTES = 50 * 1024 * 1024;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const brokers = process.env.KAFKA_BROKERS ?? "127.0.0.1:9092";
const registryUrl = process.env.SCHEMA_REGISTRY_URL ?? "http://127.0.0.1:8081/apis/ccompat/v7";
const logger = createLogger({ service: "gateway-bench", level: "warn" });
const run = `bench${Date.now().toString(36)}`;
const gatewayDir = fileURLToPath(new URL("..", import.meta.url));

// --- A database, topics and an authorization server of the run's own ------------------------------------
const databaseUrl = await ensureDatabase(serverUrl, run);
const db = createDatabase({ url: databaseUrl, applicationName: "flyt.bench" });
await migrateRegistry(db);
await seedDemoCounty(new RegistryStore(db));

const topics = topicCatalogue({ namespace: run });
const kafkaAdmin = createKafka({ clientId: "flyt.bench", brokers: brokers.split(","), logger }).admin();
await kafkaAdmin.connect();
await createTopicsAndWait(kafkaAdmin, [{ topic: topics.submissionReceived.topic, numPartitions: 12 }]);
await kafkaAdmin.disconnect();
await registerSchemas(new SchemaRegistryClient(registryUrl), [topics.submissionReceived]);

const client = { clientId: "demo-egrunnerverv-test", clientSecret: randomBytes(16).toString("hex") };
/** The hostile bodies come from other source systems of the county, each with a client of its own. */
const hostileClientIds = [
  "demo-vigo-test",
  "demo-hmsreg-test",
  "demo-acos-interact-test",
  "demo-altinn-test",
  "demo-digisak-test",
];
const hostileRegistered = hostileClientIds.map((clientId) => ({
  clientId,
  clientSecret: randomBytes(16).toString("hex"),
}));
const oauth = await startAuthorizationServer({
  audience: "urn:flyt:gateway:test",
  clients: [client, ...hostileRegistered],
});
const token = await oauth.tokenFor(client);

// --- The two servers, each its own process -----------------------------------------------------------------
// BENCH_GATEWAY_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the gateway under load.
const gatewayNodeArgs = (process.env.BENCH_GATEWAY_NODE_ARGS ?? "").split(" ").filter(Boolean);
const gateway = await startProcess(process.execPath, [...gatewayNodeArgs, "dist/main.js"], {
  LOG_LEVEL: "warn",
  HTTP_HOST: "127.0.0.1",
  HTTP_PORT: "18180",
  OPS_PORT: "0",
  KAFKA_BROKERS: brokers,
  SCHEMA_REGISTRY_URL: registryUrl,
  DATABASE_URL: databaseUrl,
  FLYT_ENVIRONMENT: "test",
  FLYT_TOPIC_NAMESPACE: run,
  OAUTH_ISSUER: oauth.issuer,
  OAUTH_AUDIENCE: "urn:flyt:gateway:test",
  OAUTH_JWKS_URI: oauth.jwksUri,
  BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES),
  // The request limit out of the way of the load; the body-byte budget per client as deployed (its defaults).
  RATE_LIMIT_BURST: "1000000",
  RATE_LIMIT_PER_SECOND: "1000000",
});
const echo = await startProcess(process.execPath, ["--input-type=module", "-e", ECHO_SERVER], {
  PORT: "18181",
});
// Whatever happens to the benchmark, its servers do not outlive it.
process.once("exit", () => {
  gateway.child.kill("SIGKILL");
  echo.child.kill("SIGKILL");
});
await waitReady("http://127.0.0.1:18180/readyz");
await waitReady("http://127.0.0.1:18181/");

let sequence = 0;
const body = () => benchCaseBody(`${run}-${sequence++}`);

async function load(url: string, pid: number) {
  const peak = trackPeakRssOf(pid);
  const result = await autocannon({
    url,
    method: "POST",
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }],
  });
  return { result, peakRssMb: await peak() };
}

// Warm up both (JIT, connection pools, the first schema lookup), then measure.
await autocannon({
  url: "http://127.0.0.1:18181/api/v1/cases",
  method: "POST",
  duration: 3,
  connections: 8,
  body: body(),
});
await autocannon({
  url: "http://127.0.0.1:18180/api/v1/cases",
  method: "POST",
  duration: 3,
  connections: 8,
  headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
  requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }],
});
const bare = await load("http://127.0.0.1:18181/api/v1/cases", echo.pid);
const cleanCpu = await cpuSecondsOf(gateway.pid);
const clean = await whileTimingLivez(() => load("http://127.0.0.1:18180/api/v1/cases", gateway.pid));
const cleanCpuShare = (await cpuSecondsOf(gateway.pid)) - cleanCpu;
const flyt = clean.result;

// --- The hostile mix: the same load, while five clients each send one kind of hostile body in a loop ----------
const hostileBodies = [
  {
    name: "lists within lists: 101 journal posts × 101 correspondents × 101 address lines (2.8 MB)",
    body: amplificationBody(),
  },
  { name: "a million different field names (12 MB)", body: manyKeysBody() },
  { name: "one string of 20 million escapes (40 MB)", body: escapesBody() },
  {
    name: "nested a million levels deep (2 MB), with an Idempotency-Key",
    body: deepBody(1_000_000),
    key: true,
  },
  {
    // Read, scanned, parsed, hashed for its key and validated in full; then 404 (no such integration), so no
    // 37 MB file is stored each time.
    name: "a valid body of 50 MB (one inline document), with an Idempotency-Key, for an integration the client does not have",
    body: largestBody(`${run}-largest`, BODY_LIMIT_BYTES - 1024).replace(
      "egrunnerverv-sak",
      "no-such-integration",
    ),
    key: true,
  },
].filter((_, index) => (process.env.BENCH_HOSTILE ?? "0,1,2,3,4").split(",").includes(String(index)));
const peakHostileRss = trackPeakRssOf(gateway.pid, 50);
// The hostile clients are a process of their own, so sending their bodies does not slow the load generator.
const hostileClients = await startHostileClients(hostileBodies);
const hostileCpu = [await cpuSecondsOf(gateway.pid), await cpuSecondsOf(hostileClients.pid)];
const hostile = await whileTimingLivez(() => load("http://127.0.0.1:18180/api/v1/cases", gateway.pid));
const hostileCpuShare = [
  (await cpuSecondsOf(gateway.pid)) - (hostileCpu[0] ?? 0),
  (await cpuSecondsOf(hostileClients.pid)) - (hostileCpu[1] ?? 0),
];
const hostileAnswers = await hostileClients.stop();
const hostileRssMb = await peakHostileRss();

const accepted = Number(
  (await db("intake_submissions").where({ state: "accepted" }).count({ n: "*" }))[0]?.n,
);
// Let them exit on their own (a profile, BENCH_GATEWAY_NODE_ARGS, is written on exit).
await Promise.all([gateway, echo].map(({ child }) => stopped(child)));
await oauth.stop();
await db.destroy();
await dropDatabase(serverUrl, run);

const rate = (r: autocannon.Result) => Math.round(r["2xx"] / r.duration).toLocaleString("en-US");
const ms = (value: number) => `${Math.round(value)} ms`;
const share = (cpuSeconds: number) => `${Math.round((cpuSeconds / DURATION_SECONDS) * 100)} %`;
const p99Ratio = hostile.result.result.latency.p99 / flyt.result.latency.p99;
const hostileRows = hostileBodies
  .map((body, index) => {
    const answers = hostileAnswers[index] ?? [];
    const statuses = [...new Set(answers.map((answer) => answer.status))].join(", ");
    const latencies = answers.map((answer) => answer.ms).sort((a, b) => a - b);
    const largest = Math.max(0, ...answers.map((answer) => answer.bytes));
    return `| ${body.name} | ${answers.length} | ${statuses} | ${largest.toLocaleString("en-US")} B | ${ms(percentile(latencies, 50))} |`;
  })
  .join("\n");
const row = (name: string, r: autocannon.Result, rss: number) =>
  `| ${name} | ${rate(r)} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${r.non2xx + r.errors} | ${rss} MB |`;
const markdown = `## Gateway (services/gateway)

${new Date().toISOString().slice(0, 10)} · ${machineLine()} · Kafka, Apicurio and Postgres on the same machine · autocannon, ${CONNECTIONS} connections, ${DURATION_SECONDS} s after a 3 s warm-up, each server its own process.

| | accepted/s (2xx) | p50 | p99 | non-2xx + errors | peak RSS |
|---|---:|---:|---:|---:|---:|
${row("gateway: `POST /api/v1/cases` (JWT, validation, idempotency row, 2 KB document stored, acks=all)", flyt.result, flyt.peakRssMb)}
${row("bare Koa: parse JSON, answer 202", bare.result, bare.peakRssMb)}

- Gateway / bare Koa: ${Math.round((flyt.result["2xx"] / bare.result["2xx"]) * 100)} % of the throughput.
- Every 2xx is a submission durably in Kafka: ${accepted.toLocaleString("en-US")} intake rows accepted in the run's database (warm-up included).

Aims: ≥ 2,000 accepted/s with p99 < 50 ms, at least a quarter of bare Koa; each Node service < 250 MB RSS.

### Hostile mix

The same load again (${CONNECTIONS} connections, ${DURATION_SECONDS} s) while ${hostileBodies.length} more clients (a process of their own; each another source system's registered client, as an attacker holding a county's test credentials would be) each send one hostile body within the limits in a loop, as fast as the gateway answers; \`/livez\` is asked every 20 ms throughout, in both runs. The gateway runs with its deployed per-client body-byte budget (\`RATE_LIMIT_BODY_BYTES_*\`: 100 MiB burst, 5 MiB/s), so a client sending large bodies back to back gets 429 until it has paid for the last; the request-count limit is raised out of the normal load's way.

| | accepted/s (2xx) | p50 | p99 | \`/livez\` p50 | \`/livez\` p99 | \`/livez\` max | gateway CPU | gateway peak RSS |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
| normal clients alone | ${rate(flyt.result)} | ${flyt.result.latency.p50} ms | ${flyt.result.latency.p99} ms | ${ms(clean.livez.p50)} | ${ms(clean.livez.p99)} | ${ms(clean.livez.max)} | ${share(cleanCpuShare)} | ${flyt.peakRssMb} MB |
| normal clients beside the hostile clients | ${rate(hostile.result.result)} | ${hostile.result.result.latency.p50} ms | ${hostile.result.result.latency.p99} ms | ${ms(hostile.livez.p50)} | ${ms(hostile.livez.p99)} | ${ms(hostile.livez.max)} | ${share(hostileCpuShare[0] ?? 0)} | ${hostileRssMb} MB |

| hostile client's body | requests answered | status | largest answer | median time to answer |
|---|---:|---|---:|---:|
${hostileRows}

- Normal clients' p99 beside the hostile clients: ${p99Ratio.toFixed(1)} × the run without them (aim ≤ 2 ×: ${p99Ratio <= 2 ? "met" : "**not met**"}); non-2xx + errors among them: ${hostile.result.result.non2xx + hostile.result.result.errors}.
- CPU is the share of one core over the run; the hostile clients' own process used ${share(hostileCpuShare[1] ?? 0)} of a core on the same machine.`;
process.stdout.write(`${markdown}\n`);
await writeReportSection("gateway", markdown);
process.exit(0);

// --- helpers ---------------------------------------------------------------------------------------------
async function startProcess(command: string, args: string[], env: Record<string, string>) {
  const child: ChildProcess = spawn(command, args, {
    cwd: gatewayDir,
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (!child.pid) throw new Error(`could not start ${args.join(" ")}`);
  return { child, pid: child.pid };
}

async function startHostileClients(bodies: readonly { body: string; key?: boolean }[]) {
  const dir = await mkdtemp(join(tmpdir(), "flyt-hostile-"));
  const clients = await Promise.all(
    bodies.map(async (hostile, index) => {
      const file = join(dir, `${index}.json`);
      await writeFile(file, hostile.body);
      const registered = hostileRegistered[
        index % hostileRegistered.length
      ] as (typeof hostileRegistered)[number];
      return {
        file,
        headers: {
          authorization: `Bearer ${await oauth.tokenFor(registered)}`,
          "content-type": "application/json",
          ...(hostile.key ? { "idempotency-key": `${run}-hostile-${index}` } : {}),
        },
      };
    }),
  );
  const child = spawn(process.execPath, ["--input-type=module", "-e", HOSTILE_CLIENTS], {
    env: {
      PATH: process.env.PATH,
      URL: "http://127.0.0.1:18180/api/v1/cases",
      HOSTILE: JSON.stringify(clients),
    },
    stdio: ["pipe", "pipe", "inherit"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return {
    pid: child.pid ?? 0,
    stop: async () => {
      child.stdin?.end("stop\n");
      await exited;
      await rm(dir, { recursive: true, force: true });
      return JSON.parse(output) as { status: number; bytes: number; ms: number }[][];
    },
  };
}

function stopped(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  return exited;
}

/** Runs `work` while asking /livez every 20 ms; its latencies (ms) beside what `work` gives. */
async function whileTimingLivez<T>(work: () => Promise<T>) {
  let running = true;
  const latencies: number[] = [];
  const sampler = (async () => {
    while (running) {
      const started = performance.now();
      await (await fetch("http://127.0.0.1:18180/livez")).arrayBuffer();
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const result = await work();
  running = false;
  await sampler;
  latencies.sort((a, b) => a - b);
  return {
    result,
    livez: {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? Number.NaN,
    },
  };
}

async function waitReady(url: string) {
  for (let i = 0; i < 200; i += 1) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never answered`);
}
