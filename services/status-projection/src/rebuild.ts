// Rebuilds the status read model from the lifecycle topics, beside the live one, then swaps it in; the status
// projection keeps running meanwhile. The same environment as the service (see .env.example):
//   npm run status:rebuild                   (from the repository root, DATABASE_URL etc. set)
//   node dist/rebuild.js                      (in the service's image)
// Exit codes: 0 rebuilt, 1 failed (the live model is left as it was, unless the swap was done).
import { randomUUID } from "node:crypto";
import { answerEventId, createKafka, SchemaRegistryClient } from "@flyt/kafka";
import { createLogger } from "@flyt/logging";
import { createDatabase, withMigrationLock } from "@flyt/postgres";
import { migrateStatusReadModel } from "@flyt/status-read-model";
import { topicCatalogue } from "@flyt/topics";
import { endOffsets, readTopics } from "./adapters/kafka/topic-reader";
import { createRebuildSchema, swapInRebuiltTables } from "./adapters/postgres/read-model-swap";
import { StatusStore } from "./adapters/postgres/status-store";
import { loadConfig } from "./config";
import { statusSources } from "./handlers/project-status";
import { rebuildReadModel } from "./handlers/rebuild-read-model";

const REBUILD_SCHEMA = "flyt_status_rebuild";

const config = loadConfig();
const logger = createLogger({ service: "status-rebuild", level: config.logLevel });
const topics = topicCatalogue(config.kafka.topicNamespace ? { namespace: config.kafka.topicNamespace } : {});
const sources = statusSources(topics);
const kafka = createKafka({
  clientId: `${config.kafka.clientId}.rebuild`,
  brokers: config.kafka.brokers,
  logger,
});
const registry = new SchemaRegistryClient(config.schemaRegistry.url);
const live = createDatabase({ url: config.database.url, applicationName: "flyt.status-rebuild" });
const rebuilt = createDatabase({
  url: config.database.url,
  applicationName: "flyt.status-rebuild",
  searchPath: [REBUILD_SCHEMA],
});
// The same announcement ids as the live projection: what it already announced is recognised, not repeated.
const completionId = (terminalEventId: string) => answerEventId(terminalEventId, "completed");
const topicNames = sources.map((source) => source.topic.topic);
const schemas = new Map(sources.map((source) => [source.topic.topic, source.topic.valueSchema as object]));

try {
  const started = Date.now();
  const counts = await rebuildReadModel({
    sources,
    endOffsets: () => endOffsets(kafka, topicNames),
    read: (range, onBatch) =>
      readTopics({
        kafka,
        registry,
        schemas,
        groupId: `flyt.status-rebuild.${randomUUID()}`,
        ...range,
        onBatch,
      }),
    rebuilt: {
      prepare: async () => {
        await withMigrationLock(live, () => migrateStatusReadModel(live));
        await createRebuildSchema(live, REBUILD_SCHEMA);
        await migrateStatusReadModel(rebuilt);
      },
      apply: (events) => new StatusStore(rebuilt, completionId).apply(events),
    },
    swap: () => swapInRebuiltTables(live, REBUILD_SCHEMA),
    live: { apply: (events) => new StatusStore(live, completionId).apply(events) },
  });
  logger.info({ ...counts, ms: Date.now() - started }, "status read model rebuilt from the topics");
} catch (error) {
  logger.error({ err: error }, "status read model rebuild failed");
  process.exitCode = 1;
} finally {
  await rebuilt.destroy();
  await live.destroy();
}
