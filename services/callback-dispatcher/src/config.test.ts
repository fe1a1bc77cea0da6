import { ConfigError } from "@flyt/config";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";

const infrastructure = {
  KAFKA_BROKERS: "127.0.0.1:9092",
  SCHEMA_REGISTRY_URL: "http://127.0.0.1:8081/apis/ccompat/v7",
  DATABASE_URL: "postgres://postgres@127.0.0.1:5432/flyt",
};

describe("the callback dispatcher's configuration", () => {
  it("defaults to about three days of retries, https only, nothing allowlisted, 5 days to disable", () => {
    const { callbacks, http, kafka } = loadConfig(infrastructure);
    expect(http.port).toBe(8094);
    expect(kafka.clientId).toBe("flyt.callback-dispatcher");
    expect(callbacks).toMatchObject({
      schedule: {
        delaysMs: [5e3, 3e5, 18e5, 72e5, 18e6, 36e6, 36e6, 864e5],
        jitter: 0.2,
        maxRetryAfterMs: 864e5,
      },
      disableAfterMs: 5 * 864e5,
      policy: { allowHttp: false, allowlist: [] },
      connectTimeoutMs: 5_000,
      timeoutMs: 15_000,
      responseBodyLimitBytes: 4_096,
      concurrency: 256,
      perEndpointConcurrency: 8,
    });
  });

  it("takes short schedules, an allowlist and limits from the environment (tests and local runs)", () => {
    const { callbacks } = loadConfig({
      ...infrastructure,
      CALLBACK_RETRY_SCHEDULE: "500ms, 2s",
      CALLBACK_ALLOW_HTTP: "true",
      CALLBACK_ALLOWLIST: "127.0.0.1, ::1/128",
      CALLBACK_DISABLE_AFTER: "3s",
      CALLBACK_CONCURRENCY_PER_ENDPOINT: "2",
    });
    expect(callbacks).toMatchObject({
      schedule: { delaysMs: [500, 2_000] },
      disableAfterMs: 3_000,
      policy: { allowHttp: true, allowlist: ["127.0.0.1", "::1/128"] },
      perEndpointConcurrency: 2,
    });
  });

  it("names every bad variable", () => {
    const refused = () =>
      loadConfig({
        ...infrastructure,
        CALLBACK_RETRY_SCHEDULE: "5 minutes",
        CALLBACK_TIMEOUT: "soon",
        CALLBACK_CONCURRENCY: "0",
      });
    expect(refused).toThrow(ConfigError);
    expect(refused).toThrow(/CALLBACK_RETRY_SCHEDULE[\s\S]*CALLBACK_TIMEOUT[\s\S]*CALLBACK_CONCURRENCY/);
  });

  it("refuses a lease that a slow attempt could outlive", () => {
    expect(() => loadConfig({ ...infrastructure, CALLBACK_LEASE: "20s" })).toThrow(/CALLBACK_LEASE/);
  });
});
