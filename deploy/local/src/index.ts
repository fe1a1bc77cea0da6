export { dropDatabase, ensureDatabase, withDatabase } from "./postgres";
export { confluentApiPath } from "./registry";
export { type Infrastructure, type Provenance, resolveInfrastructure } from "./resolver";
export { PIPELINE_HEAP } from "./services";
export { type InfraSettings, loadSettings, repoRoot } from "./settings";
export { waitFor } from "./wait";
