import type { Logger } from "@flyt/logging";
import type { PendingCompletion, ReleasedHeldBack } from "../adapters/postgres/status-store";

export interface ReleaseHeldBackDependencies {
  readonly store: {
    releaseHeldBack(olderThanMs: number): Promise<ReleasedHeldBack>;
    heldBack(): Promise<{ readonly count: number; readonly oldestAgeSeconds: number }>;
  };
  readonly publishCompletion: (completion: PendingCompletion) => Promise<void>;
  readonly metrics: {
    heldBack(count: number, oldestAgeSeconds: number): void;
    released(count: number): void;
  };
  readonly logger: Logger;
  readonly releaseAfterMs: number;
}

/**
 * One sweep: shows the events held back longer than the configured age (what they follow was lost on the way),
 * publishes the completions that makes due, and reports how many events are held back and the oldest's age.
 */
export async function releaseHeldBack(deps: ReleaseHeldBackDependencies): Promise<void> {
  const { released, completions } = await deps.store.releaseHeldBack(deps.releaseAfterMs);
  if (released.length > 0) {
    deps.metrics.released(released.length);
    for (const submissionId of new Set(released.map((step) => step.submissionId))) {
      deps.logger.warn(
        {
          submissionId,
          statuses: released.filter((step) => step.submissionId === submissionId).map((step) => step.status),
          heldBackMs: deps.releaseAfterMs,
        },
        "held-back events released: a step they follow did not come in time",
      );
    }
  }
  for (const completion of completions) await deps.publishCompletion(completion);
  const { count, oldestAgeSeconds } = await deps.store.heldBack();
  deps.metrics.heldBack(count, oldestAgeSeconds);
}
