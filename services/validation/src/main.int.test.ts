import { createKafka } from "@flyt/kafka";
import { createLogger } from "@flyt/logging";
import { describeServiceLifecycle, testInfra, uniqueName } from "@flyt/testing";
import { allTopics, provisionTopics } from "@flyt/topics";
import { beforeAll } from "vitest";

// The service consumes from the start: its topics must exist (deployments create them with topics:deploy).
const namespace = uniqueName("validation-lifecycle");
beforeAll(async () => {
  const logger = createLogger({ service: "test", level: "silent" });
  const admin = createKafka({ clientId: "flyt.test", brokers: testInfra().kafkaBrokers, logger }).admin();
  await admin.connect();
  try {
    await provisionTopics(admin, allTopics({ namespace }), logger);
  } finally {
    await admin.disconnect();
  }
});

describeServiceLifecycle("validation", { FLYT_TOPIC_NAMESPACE: namespace });
