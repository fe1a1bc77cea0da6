export { migrateStatusReadModel } from "./migrations";
export {
  appliedHistories,
  decodeCursor,
  type ProjectedStatus,
  StatusReader,
  type StatusStep,
  type SubmissionFilter,
  type SubmissionSummary,
} from "./status-reader";
