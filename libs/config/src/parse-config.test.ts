import { describe, expect, it } from "vitest";
import { z } from "zod";
import { brokerList, commonServiceEnv, port } from "./fields";
import { ConfigError, parseConfig } from "./parse-config";

const schema = z
  .object({ ...commonServiceEnv, HTTP_PORT: port.default(8080) })
  .transform((env) => ({ http: { port: env.HTTP_PORT }, kafka: { brokers: env.KAFKA_BROKERS } }));

const validEnv = {
  KAFKA_BROKERS: "127.0.0.1:9092, 127.0.0.1:9094",
  SCHEMA_REGISTRY_URL: "http://127.0.0.1:8081/apis/ccompat/v7",
  DATABASE_URL: "postgres://flyt:s3cret@127.0.0.1:5432/flyt",
};

describe("parseConfig", () => {
  it("parses and transforms the environment into typed values", () => {
    const config = parseConfig(schema, { ...validEnv, HTTP_PORT: "9000" });
    expect(config).toEqual({
      http: { port: 9000 },
      kafka: { brokers: ["127.0.0.1:9092", "127.0.0.1:9094"] },
    });
  });

  it("freezes the result deeply", () => {
    const config = parseConfig(schema, validEnv);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.kafka.brokers)).toBe(true);
    expect(() => {
      (config.http as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it("reports every problem at once, by variable name", () => {
    const error = catchError(() =>
      parseConfig(schema, { KAFKA_BROKERS: "not a broker", DATABASE_URL: "mysql://x", HTTP_PORT: "70000" }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    expect(problems).toMatch(/^KAFKA_BROKERS/m);
    expect(problems).toMatch(/^SCHEMA_REGISTRY_URL/m);
    expect(problems).toMatch(/^DATABASE_URL/m);
    expect(problems).toMatch(/^HTTP_PORT/m);
  });

  it("never echoes a value, which may be a secret", () => {
    const error = catchError(() =>
      parseConfig(schema, {
        ...validEnv,
        DATABASE_URL: "mysql://user:hunter2@db/flyt",
        HTTP_PORT: "hunter2",
      }),
    );
    expect((error as Error).message).not.toContain("hunter2");
  });
});

describe("brokerList", () => {
  it("rejects an empty list", () => {
    expect(brokerList.safeParse(" , ").success).toBe(false);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}
