export { migrateStatusReadModel } from "./migrations";
export { type ProjectedStatus, StatusReader } from "./status-reader";
