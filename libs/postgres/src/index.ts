export { createDatabase, type DatabaseOptions, postgresHealthCheck } from "./database";
