export { migrateFileStore } from "./migrations";
export {
  type FileOwner,
  type FileStore,
  type HeadsRequest,
  type NewFile,
  PostgresFileStore,
  type StoreOutcome,
  type SubmissionFileOwner,
} from "./postgres-file-store";
