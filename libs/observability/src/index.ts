export { type HealthCheck, type HealthReport, runHealthChecks } from "./health";
export { createMetricsRegistry } from "./metrics";
export {
  createOpsResponder,
  createOpsServer,
  type OpsResponse,
  type OpsServer,
  type OpsServerOptions,
} from "./ops-server";
