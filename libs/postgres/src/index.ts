export { batched } from "./batched";
export { createDatabase, type DatabaseOptions, postgresHealthCheck } from "./database";
export { withMigrationLock } from "./migration-lock";
