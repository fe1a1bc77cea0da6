import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { DispatcherMetrics } from "../handlers/dispatcher";

/** The dispatcher's Prometheus metrics. */
export function metricsOf(registry: Registry): DispatcherMetrics {
  const attempts = new Counter({
    name: "flyt_callback_attempts_total",
    help: "Callback attempts, by what followed: delivered, retry or parked (and refused: the SSRF guard said no).",
    labelNames: ["outcome"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "flyt_callback_attempt_duration_seconds",
    help: "How long a callback attempt took, from the URL check to the answer.",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: [registry],
  });
  const firstAttempt = new Histogram({
    name: "flyt_callback_first_attempt_delay_seconds",
    help: "From a submission's terminal status to the first attempt at its callback.",
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const skipped = new Counter({
    name: "flyt_callback_deliveries_skipped_total",
    help: "Deliveries parked without an attempt: no endpoint registered any more, or the endpoint is disabled.",
    labelNames: ["reason"],
    registers: [registry],
  });
  const disabled = new Counter({
    name: "flyt_callback_endpoints_disabled_total",
    help: "Endpoints disabled: gone (410) or failing every attempt for the configured days.",
    labelNames: ["reason"],
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: "flyt_callback_attempts_in_flight",
    help: "Callback attempts running now.",
    registers: [registry],
  });
  return {
    attempted: (result, decision, durationMs) => {
      const outcome = result.kind === "refused" ? "refused" : decision.action;
      attempts.inc({ outcome });
      duration.observe(durationMs / 1_000);
    },
    firstAttempt: (delayMs) => firstAttempt.observe(Math.max(0, delayMs) / 1_000),
    skipped: (reason) => skipped.inc({ reason }),
    disabled: (reason) => disabled.inc({ reason }),
    inFlight: (count) => inFlight.set(count),
  };
}
