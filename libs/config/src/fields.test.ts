import { describe, expect, it } from "vitest";
import { pipelineServiceSchema } from "./fields";
import { ConfigError, parseConfig } from "./parse-config";

const infrastructure = {
  KAFKA_BROKERS: "127.0.0.1:9092",
  SCHEMA_REGISTRY_URL: "http://127.0.0.1:8081/apis/ccompat/v7",
  DATABASE_URL: "postgres://postgres@127.0.0.1:5432/flyt",
};

describe("pipelineServiceSchema", () => {
  it("gives a service its own client id, port and bounded consumer defaults", () => {
    const config = parseConfig(pipelineServiceSchema("validation", 8091), infrastructure);
    expect(config).toMatchObject({
      http: { port: 8091 },
      kafka: {
        clientId: "flyt.validation",
        concurrency: 32,
        maxInFlightPerPartition: 200,
        registerSchemas: false,
        topicNamespace: undefined,
      },
      database: { poolMax: 10 },
    });
  });

  it("takes the consumer's limits, schema registration and a topic namespace from the environment", () => {
    const config = parseConfig(pipelineServiceSchema("validation", 8091), {
      ...infrastructure,
      CONSUMER_CONCURRENCY: "64",
      CONSUMER_MAX_IN_FLIGHT_PER_PARTITION: "500",
      REGISTER_SCHEMAS: "true",
      FLYT_TOPIC_NAMESPACE: "bench1",
      DATABASE_POOL_MAX: "4",
    });
    expect(config.kafka).toMatchObject({
      concurrency: 64,
      maxInFlightPerPartition: 500,
      registerSchemas: true,
      topicNamespace: "bench1",
    });
    expect(config.database.poolMax).toBe(4);
  });

  it("refuses limits out of range, naming each", () => {
    const refused = () =>
      parseConfig(pipelineServiceSchema("validation", 8091), {
        ...infrastructure,
        CONSUMER_CONCURRENCY: "0",
        CONSUMER_MAX_IN_FLIGHT_PER_PARTITION: "lots",
      });
    expect(refused).toThrow(ConfigError);
    expect(refused).toThrow(/CONSUMER_CONCURRENCY[\s\S]*CONSUMER_MAX_IN_FLIGHT_PER_PARTITION/);
  });
});
