// For deployments: provisions every topic of the catalogue and registers every value schema.
//   KAFKA_BROKERS=... SCHEMA_REGISTRY_URL=... [FLYT_TOPIC_NAMESPACE=...] npm run topics:deploy
// With the deployment's Kafka security settings (KAFKA_SECURITY_PROTOCOL etc., as every service takes them),
// as a principal that may create and configure the topics (docs/kafka-security.md).
import { brokerList, kafkaSecurityEnv, kafkaSecurityOf, parseConfig } from "@flyt/config";
import { createKafka, SchemaRegistryClient } from "@flyt/kafka";
import { createLogger } from "@flyt/logging";
import { z } from "zod";
import { allTopics, provisionTopics, registerSchemas } from "../src/index";

const config = parseConfig(
  z
    .object({
      KAFKA_BROKERS: brokerList,
      ...kafkaSecurityEnv,
      SCHEMA_REGISTRY_URL: z.url(),
      FLYT_TOPIC_NAMESPACE: z.string().optional(),
    })
    .transform((env, ctx) => ({ ...env, kafkaSecurity: kafkaSecurityOf(env, ctx) })),
  process.env,
);
const logger = createLogger({ service: "deploy-topics", level: "info" });
const topics = allTopics(config.FLYT_TOPIC_NAMESPACE ? { namespace: config.FLYT_TOPIC_NAMESPACE } : {});

const admin = createKafka({
  clientId: "flyt.deploy",
  brokers: config.KAFKA_BROKERS,
  security: config.kafkaSecurity,
  logger,
}).admin();
await admin.connect();
try {
  const report = await provisionTopics(admin, topics, logger);
  const subjects = await registerSchemas(new SchemaRegistryClient(config.SCHEMA_REGISTRY_URL), topics);
  logger.info({ ...report, subjects }, "topics and schemas deployed");
} finally {
  await admin.disconnect();
}
