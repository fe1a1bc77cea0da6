import { createServer as createHttpServer } from "node:http";
import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";
import { createKafka, EventProducer, SchemaRegistryClient } from "@flyt/kafka";
import { testKafka } from "@flyt/kafka/testing";
import { createLogger } from "@flyt/logging";
import { type RunningAuthorizationServer, startAuthorizationServer } from "@flyt/oauth-server";
import { createDatabase } from "@flyt/postgres";
import { migrateRegistry, RegistryStore, seedDemoCounty } from "@flyt/registry";
import { createTestDatabase, testInfra, uniqueName } from "@flyt/testing";
import { topicCatalogue } from "@flyt/topics";
import type { Knex } from "knex";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { migrateGateway } from "./adapters/postgres/migrations";
import { createApp } from "./app";
import { listen, testAppDependencies } from "./app.fixtures";

/**
 * Every dependency going away mid-request answers 503 problem+json with Retry-After, never a 500: the source
 * system is told to send the same request again. Real Postgres, Kafka and registry clients, each cut off.
 */

const AUDIENCE = "urn:flyt:gateway:unavailable-test";
const client = { clientId: "demo-egrunnerverv-test", clientSecret: "s1" };
const logger = createLogger({ service: "gateway-test", level: "silent" });
const infra = testInfra();
const topics = topicCatalogue({ namespace: uniqueName("gw-unavailable") });
const { producer } = testKafka(infra, "flyt.gateway-test", logger);

let oauth: RunningAuthorizationServer;
let databaseUrl: string;
let dropDatabase: () => Promise<void>;
let db: Knex;
let token: string;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  oauth = await startAuthorizationServer({ audience: AUDIENCE, clients: [client] });
  const database = await createTestDatabase();
  databaseUrl = database.url;
  dropDatabase = database.drop;
  db = createDatabase({ url: databaseUrl, applicationName: "flyt.gateway-test" });
  await migrateRegistry(db);
  await migrateGateway(db);
  await seedDemoCounty(new RegistryStore(db));
  await producer.connect();
  token = await oauth.tokenFor(client);
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await producer.disconnect();
  await oauth.stop();
  await db.destroy();
  await dropDatabase();
});

type AppOptions = Parameters<typeof testAppDependencies>[0];

/** A gateway of the test's own: over `database` (the test database by default), publishing as `publish` says. */
async function gateway(options: { database?: Knex; publish?: AppOptions["publish"] } = {}) {
  const served = await listen(
    createApp(
      testAppDependencies({
        db: options.database ?? db,
        oauth,
        audience: AUDIENCE,
        publish:
          options.publish ??
          ((event, key, headers) =>
            producer.publish(
              topics.submissionReceived,
              { key, value: event, headers },
              { timeoutMs: 10_000 },
            )),
      }),
    ),
  );
  cleanups.push(() => served.close());
  return served.base;
}

const caseBody = () => ({
  integrationId: "egrunnerverv-sak",
  sourceInstanceId: uniqueName("GRV"),
  case: {
    tittel: "Erverv av grunn - gnr 12 bnr 4",
    klassering: [{ ordningsprinsipp: "GBNR", ordningsverdi: "12/4" }],
    part: [{ navn: "Kari Hansen", rolle: "GRUNNEIER" }],
  },
  journalPosts: [],
});

async function call(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

function expectUnavailable(answer: Awaited<ReturnType<typeof call>>) {
  expect({ status: answer.status, type: answer.body.type }).toEqual({
    status: 503,
    type: "urn:flyt:problem:unavailable",
  });
  expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(answer.headers.get("retry-after")).toBe("5");
}

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function listening(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

/**
 * A TCP proxy in front of Postgres that can drop every connection the moment the next bytes go through it: a
 * server that goes away mid-query without a word (as in a restart), which node-postgres reports with no SQLSTATE.
 */
async function postgresProxy() {
  const target = new URL(databaseUrl);
  const sockets = new Set<Socket>();
  let cutOnNextQuery = false;
  const server = createServer((downstream) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [downstream, upstream]) {
      sockets.add(socket);
      socket.on("error", () => undefined);
      socket.on("close", () => sockets.delete(socket));
    }
    downstream.on("data", (chunk) => {
      if (!cutOnNextQuery) {
        upstream.write(chunk);
        return;
      }
      cutOnNextQuery = false;
      for (const socket of sockets) socket.destroy();
    });
    upstream.pipe(downstream);
  });
  const port = await listening(server);
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
  });
  const url = new URL(databaseUrl);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.toString(),
    cutOnNextQuery: () => {
      cutOnNextQuery = true;
    },
  };
}

function databaseAt(url: string, applicationName = "flyt.gateway-test"): Knex {
  const database = createDatabase({ url, applicationName });
  cleanups.push(() => database.destroy());
  return database;
}

/** A producer of our own (the gateway's kind) over the given brokers and registry. */
function producerFor(options: { brokers?: string[]; registryUrl?: string }) {
  const kafka = createKafka({
    clientId: "flyt.gateway-test",
    brokers: options.brokers ?? [...infra.kafkaBrokers],
    logger,
  });
  const cutOff = new EventProducer({
    kafka,
    registry: new SchemaRegistryClient(options.registryUrl ?? infra.schemaRegistryUrl),
    logger,
    metrics: new Registry(),
    registerSchemas: true,
  });
  cleanups.push(() => cutOff.disconnect().catch(() => undefined));
  return cutOff;
}

/** Publishes through `cutOff`, connecting it first, as a gateway that has just started would. */
const publishingThrough =
  (cutOff: EventProducer): AppOptions["publish"] =>
  async (event, key, headers) => {
    await cutOff.connect();
    await cutOff.publish(topics.submissionReceived, { key, value: event, headers }, { timeoutMs: 10_000 });
  };

describe("Postgres going away mid-request", () => {
  it("a connection dropped mid-query (node-postgres: 'Connection terminated unexpectedly', no SQLSTATE) is 503", async () => {
    const proxy = await postgresProxy();
    const base = await gateway({ database: databaseAt(proxy.url) });
    expect((await call(base, "GET", "/api/v1/submissions/sub_01JX0000000000000000000000")).status).toBe(404);

    proxy.cutOnNextQuery();
    expectUnavailable(await call(base, "GET", "/api/v1/submissions/sub_01JX0000000000000000000000"));
    // The pool drops the dead connection: the same request again is answered.
    expect((await call(base, "GET", "/api/v1/submissions/sub_01JX0000000000000000000000")).status).toBe(404);
  });

  it("a backend terminated (pg_terminate_backend) while the request's query waits is 503", async () => {
    const applicationName = uniqueName("flyt.gateway-terminated");
    const base = await gateway({ database: databaseAt(databaseUrl, applicationName) });
    // Holds the intake table so that the gateway's claim waits, in Postgres, until its backend is terminated.
    const blocker = await db.transaction();
    try {
      await blocker.raw("lock table intake_submissions in access exclusive mode");
      const answer = call(base, "POST", "/api/v1/cases", caseBody());
      const pid = await vi.waitFor(
        async () => {
          const { rows } = await db.raw(
            "select pid from pg_stat_activity where application_name = ? and wait_event_type = 'Lock'",
            [applicationName],
          );
          expect(rows).toHaveLength(1);
          return rows[0].pid as number;
        },
        { timeout: 10_000, interval: 20 },
      );
      await db.raw("select pg_terminate_backend(?)", [pid]);
      expectUnavailable(await answer);
    } finally {
      await blocker.rollback();
    }
  });

  it("no connection free in the pool in time (knex's acquire timeout) is 503", async () => {
    const pool = createDatabase({
      url: databaseUrl,
      applicationName: "flyt.gateway-test",
      pool: { min: 0, max: 1 },
    });
    cleanups.push(() => pool.destroy());
    const base = await gateway({ database: pool });
    // The pool's one connection, held by a transaction until the request has been answered.
    const holder = await pool.transaction();
    try {
      expectUnavailable(await call(base, "GET", "/api/v1/submissions/sub_01JX0000000000000000000000"));
    } finally {
      await holder.rollback();
    }
  });

  it("a server that refuses connections, or whose name does not resolve, is 503", async () => {
    const refused = new URL(databaseUrl);
    refused.host = `127.0.0.1:${await closedPort()}`;
    expectUnavailable(
      await call(
        await gateway({ database: databaseAt(refused.toString()) }),
        "POST",
        "/api/v1/cases",
        caseBody(),
      ),
    );

    const unresolvable = new URL(databaseUrl);
    unresolvable.hostname = "postgres.flyt-test.invalid";
    expectUnavailable(
      await call(
        await gateway({ database: databaseAt(unresolvable.toString()) }),
        "POST",
        "/api/v1/cases",
        caseBody(),
      ),
    );
  });
});

describe("Kafka going away mid-request", () => {
  it.each([
    ["at a closed port", async () => `127.0.0.1:${await closedPort()}`],
    ["whose name does not resolve", async () => "kafka.flyt-test.invalid:9092"],
  ])("a broker %s is 503", async (_, broker) => {
    const base = await gateway({ publish: publishingThrough(producerFor({ brokers: [await broker()] })) });
    expectUnavailable(await call(base, "POST", "/api/v1/cases", caseBody()));
  });
});

describe("the schema registry going away mid-request", () => {
  it("a registry that resets the connection, answers 5xx, or whose name does not resolve, is 503", async () => {
    const resetting = createServer((socket) => socket.resetAndDestroy());
    const failing = createHttpServer((_, res) => res.writeHead(503).end("down for maintenance"));
    const registries = [
      `http://127.0.0.1:${await listening(resetting)}/apis/ccompat/v7`,
      `http://127.0.0.1:${await listening(failing)}/apis/ccompat/v7`,
      "http://registry.flyt-test.invalid:8081/apis/ccompat/v7",
    ];
    for (const registryUrl of registries) {
      const base = await gateway({ publish: publishingThrough(producerFor({ registryUrl })) });
      expectUnavailable(await call(base, "POST", "/api/v1/cases", caseBody()));
    }
  });
});
