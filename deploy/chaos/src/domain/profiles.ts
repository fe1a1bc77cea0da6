import type { RecoveryOptions } from "./checks";

/** A fault the run causes, and how long it lasts (a killed service is restarted at once). */
export type Fault =
  | { readonly kind: "kill-service"; readonly service: string }
  | { readonly kind: "archive-outage"; readonly seconds: number }
  | { readonly kind: "slow-lossy-archive"; readonly seconds: number }
  | { readonly kind: "callback-receiver-down"; readonly seconds: number }
  | { readonly kind: "kill-kafka" }
  | { readonly kind: "restart-postgres" }
  | { readonly kind: "kill-registry" };

export interface Profile {
  readonly name: "short" | "full";
  /** Load actions started per second; each sends one or two submissions (≈1.4 on average). */
  readonly actionsPerSecond: number;
  /** Load before the first fault. */
  readonly warmUpSeconds: number;
  /** Load after a fault ends before the next begins: the window its recovery is measured in. */
  readonly spacingSeconds: number;
  readonly faults: readonly Fault[];
  /** How long the run waits, after the load stops, for every submission to end and be called back. */
  readonly settleSeconds: number;
  /** Whether Kafka, the registry and Postgres are the run's own (so it can kill them). */
  readonly ownInfrastructure: boolean;
  readonly recovery: RecoveryOptions;
}

/** The aims: after any single fault ends, no submission lags more than 10 s later than 30 s on. */
const recovery: RecoveryOptions = {
  lagThresholdMs: 10_000,
  recoveryLimitMs: 30_000,
  stepMs: 500,
  awaitCallbacks: true,
};

/** What CI runs in `npm test`: light (≈5 submissions/s) and under four minutes, on the shared infrastructure. */
export const shortProfile: Profile = {
  name: "short",
  actionsPerSecond: 3.5,
  warmUpSeconds: 10,
  spacingSeconds: 30,
  faults: [
    { kind: "kill-service", service: "validation" },
    { kind: "archive-outage", seconds: 15 },
    { kind: "kill-service", service: "archive-adapter" },
    { kind: "callback-receiver-down", seconds: 10 },
  ],
  settleSeconds: 40,
  ownInfrastructure: false,
  recovery,
};

const services = ["gateway", "validation", "archive-adapter", "status-projection", "callback-dispatcher"];

/**
 * `npm run chaos`: every fault in turn, on Kafka, a registry and Postgres of its own; ≈5 submissions/s, as a
 * 2-core machine takes them (FLYT_CHAOS_ACTIONS_PER_SECOND=7 for the 10/s on a bigger one).
 */
export const fullProfile: Profile = {
  name: "full",
  actionsPerSecond: 3.5,
  warmUpSeconds: 30,
  spacingSeconds: 60,
  faults: [
    ...services.map((service) => ({ kind: "kill-service" as const, service })),
    { kind: "callback-receiver-down", seconds: 40 },
    { kind: "archive-outage", seconds: 45 },
    { kind: "slow-lossy-archive", seconds: 60 },
    { kind: "kill-kafka" },
    { kind: "restart-postgres" },
    { kind: "kill-registry" },
  ],
  settleSeconds: 300,
  ownInfrastructure: true,
  recovery,
};

export const profiles = { short: shortProfile, full: fullProfile } as const;

/** A fault's name in the report. */
export function faultName(fault: Fault): string {
  switch (fault.kind) {
    case "kill-service":
      return `SIGKILL ${fault.service}`;
    case "archive-outage":
      return `archive outage ${fault.seconds} s`;
    case "slow-lossy-archive":
      return `archive slow (1 s) and lossy (5 % errors, 5 % lost answers) ${fault.seconds} s`;
    case "callback-receiver-down":
      return `callback receiver down ${fault.seconds} s`;
    case "kill-kafka":
      return "SIGKILL Kafka";
    case "restart-postgres":
      return "Postgres restarted";
    case "kill-registry":
      return "SIGKILL schema registry";
  }
}
