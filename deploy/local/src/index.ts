export { dropDatabase, ensureDatabase, withDatabase } from "./postgres";
export { confluentApiPath } from "./registry";
export { type Infrastructure, type Provenance, resolveInfrastructure } from "./resolver";
export { type InfraSettings, loadSettings, repoRoot } from "./settings";
export { waitFor } from "./wait";
