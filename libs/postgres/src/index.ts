export { batched } from "./batched";
export { createDatabase, type DatabaseOptions, postgresHealthCheck } from "./database";
