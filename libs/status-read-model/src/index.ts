export { migrateStatusReadModel } from "./migrations";
export {
  decodeCursor,
  type ProjectedStatus,
  StatusReader,
  type SubmissionFilter,
  type SubmissionSummary,
} from "./status-reader";
