export { exitOnSignals, type SignalSource } from "./exit-on-signals";
export { type ShutdownOutcome, ShutdownRegistry, type ShutdownRegistryOptions } from "./shutdown-registry";
