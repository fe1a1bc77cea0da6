import type { ShutdownRegistry } from "./shutdown-registry";

/** The part of `process` this needs; tests pass an EventEmitter with an `exit` spy. */
export interface SignalSource {
  once(signal: "SIGTERM" | "SIGINT", listener: () => void): unknown;
  on(signal: "SIGTERM" | "SIGINT", listener: () => void): unknown;
  exit(code: number): void;
}

/**
 * SIGTERM or SIGINT runs the registry and exits 0 if everything closed in time, 1 otherwise.
 * A second signal while shutting down exits at once (an impatient operator pressing Ctrl-C twice).
 */
export function exitOnSignals(registry: ShutdownRegistry, source: SignalSource): void {
  const onSignal = (signal: "SIGTERM" | "SIGINT") => {
    if (registry.isShuttingDown) {
      source.exit(130);
      return;
    }
    void registry.shutdown(signal).then((outcome) => source.exit(outcome === "clean" ? 0 : 1));
  };
  source.on("SIGTERM", () => onSignal("SIGTERM"));
  source.on("SIGINT", () => onSignal("SIGINT"));
}
