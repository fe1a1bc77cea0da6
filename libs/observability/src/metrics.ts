import { collectDefaultMetrics, Registry } from "prom-client";

/** One Prometheus registry per process, with the process metrics (RSS, event loop lag, GC) and a `service` label. */
export function createMetricsRegistry(options: { service: string }): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
