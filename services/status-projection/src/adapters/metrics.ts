import { Counter, Gauge, type Registry } from "prom-client";
import type { ReleaseHeldBackDependencies } from "../handlers/release-held-back";

/** The projection's own Prometheus metrics (the consumer runner's come with it). */
export function heldBackMetrics(registry: Registry): ReleaseHeldBackDependencies["metrics"] {
  const oldest = new Gauge({
    name: "flyt_status_held_back_oldest_age_seconds",
    help: "How long the oldest event held back (waiting for a step it follows) has been recorded.",
    registers: [registry],
  });
  const count = new Gauge({
    name: "flyt_status_held_back_events",
    help: "Events recorded and held back, waiting for a step they follow.",
    registers: [registry],
  });
  const released = new Counter({
    name: "flyt_status_held_back_released_total",
    help: "Events shown by the sweep after waiting past HELD_BACK_RELEASE_AFTER_MS for a step they follow.",
    registers: [registry],
  });
  return {
    heldBack: (events, oldestAgeSeconds) => {
      count.set(events);
      oldest.set(oldestAgeSeconds);
    },
    released: (events) => released.inc(events),
  };
}
