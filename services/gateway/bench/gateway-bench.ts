// Gateway benchmark: POST /api/v1/cases through the real gateway process (real token, real Kafka, one small
// document), beside a bare Koa JSON echo under the same load generator (autocannon) on the same machine.
// Run through `npm run bench` (root), which provides KAFKA_BROKERS, SCHEMA_REGISTRY_URL and DATABASE_URL.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createKafka, createTopicsAndWait, SchemaRegistryClient } from "@flyt/kafka";
import { dropDatabase, ensureDatabase } from "@flyt/local-infra";
import { createLogger } from "@flyt/logging";
import { startAuthorizationServer } from "@flyt/oauth-server";
import { createDatabase } from "@flyt/postgres";
import { migrateRegistry, RegistryStore, seedDemoCounty } from "@flyt/registry";
import { benchCaseBody, machineLine, trackPeakRssOf, writeReportSection } from "@flyt/testing/bench";
import { registerSchemas, topicCatalogue } from "@flyt/topics";
import autocannon from "autocannon";

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

const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 20);
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
const oauth = await startAuthorizationServer({ audience: "urn:flyt:gateway:test", clients: [client] });
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
  RATE_LIMIT_BURST: "1000000",
  RATE_LIMIT_PER_SECOND: "1000000",
});
const echo = await startProcess(process.execPath, ["--input-type=module", "-e", ECHO_SERVER], {
  PORT: "18181",
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
const flyt = await load("http://127.0.0.1:18180/api/v1/cases", gateway.pid);

const accepted = Number(
  (await db("intake_submissions").where({ state: "accepted" }).count({ n: "*" }))[0]?.n,
);
gateway.child.kill("SIGTERM");
echo.child.kill("SIGTERM");
await oauth.stop();
await db.destroy();
await dropDatabase(serverUrl, run);

const rate = (r: autocannon.Result) => Math.round(r["2xx"] / r.duration).toLocaleString("en-US");
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

Aims: ≥ 2,000 accepted/s with p99 < 50 ms, at least a quarter of bare Koa; each Node service < 250 MB RSS.`;
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
