export { DEMO_END, DEMO_START } from "./demo-session";
export { type KafkaBrokerOptions, kafkaAnswers, startKafkaBroker } from "./kafka";
export { dropDatabase, ensureDatabase, withDatabase } from "./postgres";
export { readManaged, stopManaged } from "./process-control";
export { confluentApiPath } from "./registry";
export { type Infrastructure, type Provenance, resolveInfrastructure } from "./resolver";
export { localServices, opsPort, PIPELINE_HEAP, servicePort, serviceProcessName } from "./services";
export { type InfraSettings, loadSettings, repoRoot } from "./settings";
export { waitFor } from "./wait";
