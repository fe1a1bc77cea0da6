export { type HealthCheck, type HealthReport, runHealthChecks } from "./health";
export { createMetricsRegistry } from "./metrics";
export { createOpsServer, type OpsServer, type OpsServerOptions } from "./ops-server";
