export { migrateFileStore } from "./migrations";
export {
  type FileStore,
  type HeadsRequest,
  type NewFile,
  PostgresFileStore,
  type StoreOutcome,
} from "./postgres-file-store";
