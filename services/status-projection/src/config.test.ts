import { ConfigError } from "@flyt/config";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";

const infrastructure = {
  KAFKA_BROKERS: "127.0.0.1:9092",
  SCHEMA_REGISTRY_URL: "http://127.0.0.1:8081/apis/ccompat/v7",
  DATABASE_URL: "postgres://postgres@127.0.0.1:5432/flyt",
};

describe("the status projection's configuration", () => {
  it("shows events held back for 2 minutes, looking every 15 seconds, unless told otherwise", () => {
    const config = loadConfig(infrastructure);
    expect(config.http.port).toBe(8093);
    expect(config.heldBack).toEqual({ releaseAfterMs: 120_000, sweepIntervalMs: 15_000 });
    expect(
      loadConfig({
        ...infrastructure,
        HELD_BACK_RELEASE_AFTER_MS: "600000",
        HELD_BACK_SWEEP_INTERVAL_MS: "60000",
      }).heldBack,
    ).toEqual({ releaseAfterMs: 600_000, sweepIntervalMs: 60_000 });
  });

  it("refuses a sweep less often than the age it releases at", () => {
    expect(() =>
      loadConfig({
        ...infrastructure,
        HELD_BACK_RELEASE_AFTER_MS: "1000",
        HELD_BACK_SWEEP_INTERVAL_MS: "5000",
      }),
    ).toThrow(ConfigError);
  });
});
