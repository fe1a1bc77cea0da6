import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createKafka } from "@flyt/kafka";
import { createLogger } from "@flyt/logging";
import { testInfra, uniqueName } from "@flyt/testing";
import { describe, expect, it } from "vitest";
import { allTopics } from "../src/catalogue";

const run = promisify(execFile);

// Run as deployments run it: a real Node process, where CommonJS interop differs from vitest's.
describe("npm run topics:deploy", () => {
  it("provisions every topic and registers every schema", async () => {
    const namespace = uniqueName("deploy");
    const infra = testInfra();
    const script = fileURLToPath(new URL("./deploy-topics.ts", import.meta.url));
    const { stdout } = await run(process.execPath, ["--import", "tsx", script], {
      env: {
        PATH: process.env.PATH,
        KAFKA_BROKERS: infra.kafkaBrokers.join(","),
        SCHEMA_REGISTRY_URL: infra.schemaRegistryUrl,
        FLYT_TOPIC_NAMESPACE: namespace,
      },
    });
    expect(stdout).toContain("topics and schemas deployed");

    const admin = createKafka({
      clientId: "flyt.test",
      brokers: infra.kafkaBrokers,
      logger: createLogger({ service: "t", level: "silent" }),
    }).admin();
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    await admin.disconnect();
    for (const topic of allTopics({ namespace })) expect(existing.has(topic.topic)).toBe(true);
  });
});
