import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** The runner's Prometheus metrics; one set per process registry. `inFlight` is read when scraped. */
export function createRunnerMetrics(registry: Registry, group: string, inFlight: () => number) {
  const registers = [registry];
  return {
    handled: new Counter({
      name: "flyt_consumer_messages_handled_total",
      help: "Messages handled successfully, by topic.",
      labelNames: ["group", "topic"],
      registers,
    }),
    failed: new Counter({
      name: "flyt_consumer_handler_failures_total",
      help: "Failed handler attempts, by topic.",
      labelNames: ["group", "topic"],
      registers,
    }),
    retried: new Counter({
      name: "flyt_consumer_messages_retried_total",
      help: "Retries scheduled, in place or through the retry topic.",
      labelNames: ["group", "topic", "via"],
      registers,
    }),
    deadLettered: new Counter({
      name: "flyt_consumer_messages_dead_lettered_total",
      help: "Messages given up on and written to the dead-letter topic, by reason.",
      labelNames: ["group", "topic", "reason"],
      registers,
    }),
    duration: new Histogram({
      name: "flyt_consumer_handler_duration_seconds",
      help: "Time a handler attempt took.",
      labelNames: ["group", "topic"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    lag: new Gauge({
      name: "flyt_consumer_lag_messages",
      help: "Messages between the last fetched offset and the end of the partition.",
      labelNames: ["group", "topic", "partition"],
      registers,
    }),
    inFlight: new Gauge({
      name: "flyt_consumer_in_flight_messages",
      help: "Messages fetched and not yet handled.",
      labelNames: ["group"],
      registers,
      collect() {
        this.set({ group }, inFlight());
      },
    }),
  };
}

export type RunnerMetrics = ReturnType<typeof createRunnerMetrics>;
