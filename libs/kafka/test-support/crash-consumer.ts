// A consumer process for the at-least-once test: it handles messages, prints "handled <offset>" for each, and
// commits only every COMMIT_INTERVAL_MS, so the test can kill it between handling and committing.
//   node --import tsx crash-consumer.ts   (configured through the environment, see below)
import { createLogger } from "@flyt/logging";
import { Registry } from "prom-client";
import { ConsumerRunner, createKafka, EventProducer, SchemaRegistryClient } from "../src/index";

const env = process.env;
const logger = createLogger({ service: "crash-consumer", level: "warn" });
const kafka = createKafka({
  clientId: "flyt.test.crash",
  brokers: (env.KAFKA_BROKERS ?? "").split(","),
  logger,
});
const registry = new SchemaRegistryClient(env.SCHEMA_REGISTRY_URL ?? "");
const topics = JSON.parse(env.TOPICS_JSON ?? "{}");
const producer = new EventProducer({
  kafka,
  registry,
  logger,
  metrics: new Registry(),
  registerSchemas: true,
});
await producer.connect();

const runner = new ConsumerRunner({
  kafka,
  registry,
  producer,
  logger,
  metrics: new Registry(),
  groupId: env.GROUP_ID ?? "",
  deadLetterTopic: topics.deadLetter,
  commitIntervalMs: Number(env.COMMIT_INTERVAL_MS ?? 200),
  // The runner's own default unless a test says otherwise.
  ...(env.SESSION_TIMEOUT_MS ? { sessionTimeoutMs: Number(env.SESSION_TIMEOUT_MS) } : {}),
  handlers: [
    {
      topic: topics.events,
      handle: async (message) => {
        process.stdout.write(`handled ${message.offset}\n`);
      },
    },
  ],
});
await runner.start();
process.stdout.write("started\n");
process.once("SIGTERM", async () => {
  await runner.stop(5_000);
  await producer.disconnect();
  process.stdout.write("stopped\n");
  process.exit(0);
});
