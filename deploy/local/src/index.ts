export { DEMO_END, DEMO_START } from "./demo-session";
export { dropDatabase, ensureDatabase, withDatabase } from "./postgres";
export { readManaged } from "./process-control";
export { confluentApiPath } from "./registry";
export { type Infrastructure, type Provenance, resolveInfrastructure } from "./resolver";
export { localServices, opsPort, PIPELINE_HEAP, servicePort, serviceProcessName } from "./services";
export { type InfraSettings, loadSettings, repoRoot } from "./settings";
export { waitFor } from "./wait";
