export { migrateFileStore } from "./migrations";
export { type FileStore, type NewFile, PostgresFileStore, type StoreOutcome } from "./postgres-file-store";
