import { createLogger } from "@flyt/logging";
import { afterEach, describe, expect, it } from "vitest";
import type { HealthCheck } from "./health";
import { createMetricsRegistry } from "./metrics";
import { createOpsResponder, createOpsServer, type OpsServer } from "./ops-server";

const logger = createLogger({ service: "test", level: "silent" });
const up: HealthCheck = { name: "kafka", check: async () => {} };
const down: HealthCheck = {
  name: "postgres",
  check: async () => {
    throw new Error("connect ECONNREFUSED 127.0.0.1:1");
  },
};
const hangs: HealthCheck = { name: "registry", check: () => new Promise(() => {}) };

let server: OpsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(checks: HealthCheck[]) {
  server = createOpsServer({
    host: "127.0.0.1",
    port: 0,
    logger,
    checks,
    metrics: createMetricsRegistry({ service: "unit" }),
    checkTimeoutMs: 50,
  });
  const { port } = await server.listen();
  return (path: string) => fetch(`http://127.0.0.1:${port}${path}`);
}

describe("ops server", () => {
  it("answers /livez while the process runs", async () => {
    const get = await start([down]);
    const res = await get("/livez");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "alive" });
  });

  it("is ready when every check answers", async () => {
    const get = await start([up]);
    const res = await get("/readyz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready", checks: { kafka: { status: "up" } } });
  });

  it("is not ready, naming the failing and the silent dependency, when one does not answer", async () => {
    const get = await start([up, down, hangs]);
    const res = await get("/readyz");
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: "not_ready",
      checks: {
        kafka: { status: "up" },
        postgres: { status: "down", error: "connect ECONNREFUSED 127.0.0.1:1" },
        registry: { status: "down", error: "no answer within 50 ms" },
      },
    });
  });

  it("stops being ready once shutdown begins", async () => {
    const get = await start([up]);
    server?.markShuttingDown();
    expect((await get("/readyz")).status).toBe(503);
  });

  it("serves Prometheus metrics with the service label", async () => {
    const get = await start([up]);
    const res = await get("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    expect(await res.text()).toMatch(/^process_resident_memory_bytes\{service="unit"\} \d+/m);
  });

  it("answers 404 for anything else", async () => {
    const get = await start([up]);
    expect((await get("/admin")).status).toBe(404);
  });
});

describe("ops answers on a public port", () => {
  it("say only up or down per dependency, and check at most once a second however often asked", async () => {
    let checked = 0;
    let clock = 0;
    const counted: HealthCheck = {
      name: "postgres",
      check: async () => {
        checked += 1;
        throw new Error("connect ECONNREFUSED 10.20.30.40:5432");
      },
    };
    const respond = createOpsResponder({
      checks: [up, counted],
      isShuttingDown: () => false,
      publicFacing: true,
      now: () => clock,
    });
    const readyz = async () => JSON.parse((await respond("/readyz"))?.body ?? "{}") as unknown;
    const answers = await Promise.all([readyz(), readyz(), readyz()]);
    expect(answers).toEqual(
      Array(3).fill({
        status: "not_ready",
        checks: { kafka: { status: "up" }, postgres: { status: "down" } },
      }),
    );
    expect(checked).toBe(1);
    clock += 1_000;
    await readyz();
    expect(checked).toBe(2);
  });

  it("serve /livez and /readyz, never /metrics (that is the ops port's)", async () => {
    const respond = createOpsResponder({ checks: [up], isShuttingDown: () => false, publicFacing: true });
    expect((await respond("/livez"))?.status).toBe(200);
    expect((await respond("/readyz"))?.status).toBe(200);
    expect(respond("/metrics")).toBeUndefined();
  });
});
