export { LOCAL_AUDIENCE } from "./demo-auth";
export { verifyCallback } from "./demo-receiver";
export { DEMO_END, DEMO_START } from "./demo-session";
export { ensureLocalKafka, type KafkaBrokerOptions, kafkaAnswers, startKafkaBroker } from "./kafka";
export {
  dropDatabase,
  ensureDatabase,
  ensureEmbeddedPostgres,
  stopEmbeddedPostgres,
  withDatabase,
} from "./postgres";
export { isRunning, readManaged, stopManaged } from "./process-control";
export { confluentApiPath, ensureLocalRegistry } from "./registry";
export { type Infrastructure, type Provenance, resolveInfrastructure } from "./resolver";
export { localServices, opsPort, PIPELINE_HEAP, servicePort, serviceProcessName } from "./services";
export { type InfraSettings, loadSettings, repoRoot } from "./settings";
export { portAnswers, waitFor } from "./wait";
export { deployTopics, registeredClientIds, seedRegistries } from "./workspace-scripts";
