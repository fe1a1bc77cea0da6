export { migrateStatusReadModel } from "./migrations";
export {
  decodeCursor,
  historyJson,
  type ProjectedStatus,
  StatusReader,
  type StatusStep,
  type SubmissionFilter,
  type SubmissionSummary,
  terminalStatuses,
  toProjectedStatus,
} from "./status-reader";
export {
  type CallbackEventType,
  type CallbackPayload,
  callbackEventTypes,
  callbackPayload,
  renderStatusResource,
  type StatusFacts,
  type StatusResource,
} from "./status-resource";
