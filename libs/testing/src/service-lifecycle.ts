import { describe, expect, it } from "vitest";
import { startServiceProcess, waitForReady } from "./service-process";

/**
 * The contract every service process keeps, run against its build and the real infrastructure:
 * it starts, reports health and metrics, says which dependency is missing, and stops cleanly on SIGTERM/SIGINT.
 */
export function describeServiceLifecycle(service: string, env: Readonly<Record<string, string>> = {}): void {
  describe(`${service} process`, () => {
    it("starts, is live and ready, serves metrics, and exits 0 on SIGTERM", async () => {
      const proc = await startServiceProcess(service, env);
      try {
        const live = await fetch(`${proc.baseUrl}/livez`);
        expect(live.status).toBe(200);

        // Every service checks Kafka, the registry and Postgres; some add their own (the gateway: its tables).
        // Work a service does at start-up may take a moment; the body then names every check.
        await waitForReady(proc, 10_000).catch(() => undefined);
        const res = await fetch(`${proc.baseUrl}/readyz`);
        const ready = { status: res.status, body: (await res.json()) as unknown };
        expect(ready.body).toMatchObject({
          status: "ready",
          checks: {
            kafka: { status: "up" },
            "schema-registry": { status: "up" },
            postgres: { status: "up" },
          },
        });
        expect(ready.status).toBe(200);

        const metrics = await (await fetch(`${proc.opsBaseUrl}/metrics`)).text();
        expect(metrics).toMatch(
          new RegExp(`^process_resident_memory_bytes\\{service="${service}"\\} \\d+`, "m"),
        );
      } finally {
        expect(await proc.stop("SIGTERM")).toBe(0);
      }
      expect(proc.records).toContainEqual(
        expect.objectContaining({ msg: "shutdown complete", outcome: "clean" }),
      );
    });

    it("exits 0 on SIGINT too", async () => {
      const proc = await startServiceProcess(service, env);
      expect(await proc.stop("SIGINT")).toBe(0);
    });

    it("is live but not ready while Postgres is unreachable, naming it", async () => {
      const proc = await startServiceProcess(service, {
        ...env,
        DATABASE_URL: "postgres://nobody@127.0.0.1:1/none",
      });
      try {
        expect((await fetch(`${proc.baseUrl}/livez`)).status).toBe(200);
        const ready = await fetch(`${proc.baseUrl}/readyz`);
        expect(ready.status).toBe(503);
        const body = (await ready.json()) as { checks: Record<string, { status: string }> };
        expect(body.checks.postgres?.status).toBe("down");
        expect(body.checks.kafka?.status).toBe("up");
      } finally {
        await proc.stop();
      }
    });

    it("refuses to start on invalid configuration, naming every bad variable", async () => {
      await expect(
        startServiceProcess(service, {
          ...env,
          KAFKA_BROKERS: "",
          SCHEMA_REGISTRY_URL: "not a url",
          HTTP_PORT: "99999",
        }),
      ).rejects.toThrow(
        /exited with 1 before it started:[\s\S]*KAFKA_BROKERS[\s\S]*SCHEMA_REGISTRY_URL[\s\S]*HTTP_PORT/,
      );
    });

    it("refuses to start on a half Kafka security configuration rather than connect without it", async () => {
      await expect(
        startServiceProcess(service, {
          ...env,
          KAFKA_SECURITY_PROTOCOL: "SSL",
          KAFKA_SSL_CA_FILE: "/nonexistent/flyt/kafka-ca.pem",
          KAFKA_SASL_USERNAME: `flyt.${service}`,
        }),
      ).rejects.toThrow(
        /exited with 1 before it started:[\s\S]*KAFKA_SSL_CA_FILE: cannot read[\s\S]*KAFKA_SASL_USERNAME: is a SASL setting/,
      );
    });
  });
}
