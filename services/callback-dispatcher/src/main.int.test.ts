import { createLogger } from "@flyt/logging";
import { describeServiceLifecycle, testInfra, uniqueName } from "@flyt/testing";
import { provisionDeploymentTopics } from "@flyt/topics";
import { beforeAll } from "vitest";

// The service consumes from the start: its topics must exist (deployments create them with topics:deploy).
const namespace = uniqueName("callback-dispatcher-lifecycle");
beforeAll(async () => {
  const logger = createLogger({ service: "test", level: "silent" });
  await provisionDeploymentTopics({ brokers: testInfra().kafkaBrokers, namespace, logger });
});

describeServiceLifecycle("callback-dispatcher", { FLYT_TOPIC_NAMESPACE: namespace });
