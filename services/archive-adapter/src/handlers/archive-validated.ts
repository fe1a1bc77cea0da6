import { randomUUID } from "node:crypto";
import { isRetriable, TransientError } from "@flyt/errors";
import {
  answerEventId,
  type ConsumedMessage,
  type EventHeaders,
  eventHeadersOf,
  handlerFor,
  type RetryPolicy,
} from "@flyt/kafka";
import type {
  ArchiveCompleted,
  ArchiveDestination,
  ArchiveFailed,
  ArchiveProgressed,
  ArchiveStage,
  SubmissionValidated,
} from "@flyt/schemas";
import type { TopicCatalogue } from "@flyt/topics";
import { LeaseLostError } from "../adapters/postgres/progress-store";
import {
  type ArchivingDependencies,
  archiveSubmission,
  CaseNotArchivedError,
  SeveralCasesFoundError,
  UnknownCaseError,
  WaitingForCaseError,
} from "../archiving/archive-submission";
import type { ArchiveAnswer, Progress } from "../archiving/progress";
import { failureReason } from "../domain/failure-reason";
import type { ArchiveDriver } from "../drivers/archive-driver";
import { ArchiveRefusedError } from "../drivers/archive-errors";

export interface ArchiveValidatedDependencies {
  readonly topics: Pick<TopicCatalogue, "submissionValidated" | "archiveCompleted" | "archiveFailed">;
  /** Whether this deployment writes to the destination; another deployment's archive is left to it. */
  readonly serves: (destination: ArchiveDestination) => boolean;
  /** The destination's driver; `tenantId` is the county of the submission (and so of the destination). */
  readonly driverFor: (destination: ArchiveDestination, tenantId: string) => ArchiveDriver;
  readonly progress: {
    /**
     * Leases the submission's progress to this delivery (`owner`), or throws a transient error if another holds
     * it; "superseded" when a later run of the submission has started.
     */
    start(
      submission: SubmissionValidated["submission"],
      destinationId: string,
      owner: string,
    ): Promise<Progress | "superseded">;
    save(progress: Progress, options?: { release?: boolean }): Promise<void>;
    renew(progress: Progress): Promise<boolean>;
    /** Lets go of the search claims of a submission that failed. */
    releaseSearches(submissionId: string): Promise<void>;
    /** Whether a submission others wait for is still being archived (see the store). */
    submissionState(submissionId: string, quietMs: number): Promise<"archiving" | "done" | "unknown">;
  } & Pick<ArchivingDependencies, "caseOfSubmission" | "searches" | "ownCases" | "writtenByOthers">;
  /** How often a delivery renews its lease while an archive call is in flight. */
  readonly leaseRenewalMs: number;
  readonly fileContent: ArchivingDependencies["fileContent"];
  readonly publish: {
    /** Where the submission stands at the adapter: ARCHIVING, or WAITING_FOR_CASE. */
    progressed(key: string, value: ArchiveProgressed, headers: EventHeaders): Promise<void>;
    completed(key: string, value: ArchiveCompleted, headers: EventHeaders): Promise<void>;
    failed(key: string, value: ArchiveFailed, headers: EventHeaders): Promise<void>;
  };
  /** How long transient failures are retried before the submission is failed with the archive's message. */
  readonly retryBudgetMs: number;
  /**
   * Ends the retry wait of the messages with this key now (the consumer runner's wake-ups): journal posts waiting
   * for a case go as soon as its submission has an outcome, not after their backoff.
   */
  readonly wakeKey?: (key: string) => void;
  readonly now: () => Date;
}

/**
 * Archive calls that fail transiently are tried again in place for a few seconds, then through the retry topic
 * (the case's later messages wait behind it, others go on) until the retry budget is spent.
 */
export const archiveRetryPolicy: RetryPolicy = {
  inPlaceAttempts: 3,
  inPlaceBackoff: { initialMs: 500, maxMs: 5_000, multiplier: 3 },
  retryTopicAttempts: 1_000,
  retryTopicBackoff: { initialMs: 5_000, maxMs: 600_000, multiplier: 3 },
};

/**
 * Archives a validated submission and publishes archive.completed or archive.failed. Progress is saved after
 * every archive write and the outcome is recorded before it is published, so a redelivery resumes or repeats
 * the recorded outcome and never writes twice.
 */
export function archiveValidatedHandler(deps: ArchiveValidatedDependencies) {
  const waiting = new WaitingForCases();
  return handlerFor({
    topic: deps.topics.submissionValidated,
    retry: archiveRetryPolicy,
    // An archive call may take minutes (a FINT status URL polled to completion).
    timeoutMs: 15 * 60_000,
    handle: async (message: ConsumedMessage<SubmissionValidated>) => {
      const request = message.value;
      if (!deps.serves(request.destination)) return;
      const progress = await deps.progress.start(request.submission, request.destination.id, randomUUID());
      // An earlier run delivered late, after an operator retry started a later one: that run is what counts.
      if (progress === "superseded") return;
      if (!progress.answer) {
        const renewal = setInterval(
          () => void deps.progress.renew(progress).catch(() => false),
          deps.leaseRenewalMs,
        );
        try {
          progress.answer = await attempt(deps, request, progress, stageReporter(deps, message));
        } catch (error) {
          if (error instanceof WaitingForCaseError) waiting.add(error.caseSubmissionId, message.key);
          throw error;
        } finally {
          clearInterval(renewal);
        }
        await deps.progress.save(progress, { release: true });
      }
      // Also when the outcome was recorded by a delivery that stopped before it let go of its claims.
      if (progress.answer.topic === "failed") await deps.progress.releaseSearches(request.submission.id);
      try {
        await publish(deps, message, progress.answer);
      } catch (error) {
        // The outcome is recorded: publishing it again is always safe, so a broker that gave up is retried.
        throw new TransientError("could not publish the archive outcome", { cause: error });
      }
      for (const key of waiting.take(request.submission.id)) deps.wakeKey?.(key);
    },
  });
}

/**
 * Tells the status where the submission stands at the adapter. Each stage has one event id per validated message,
 * so reporting it again on every attempt is recorded once. Best effort: a report Kafka did not take is logged and
 * the archiving goes on (it is only a step of the history); the outcome itself is always published.
 */
function stageReporter(deps: ArchiveValidatedDependencies, message: ConsumedMessage<SubmissionValidated>) {
  const request = message.value;
  return async (stage: ArchiveStage) => {
    await deps.publish
      .progressed(
        message.key ?? request.submission.id,
        {
          meta: {
            eventId: answerEventId(request.meta.eventId, `archive-${stage}`),
            occurredAt: deps.now(),
            correlationId: request.meta.correlationId,
            producer: "archive-adapter",
          },
          submission: request.submission,
          destination: request.destination,
          stage,
        },
        eventHeadersOf(message.headers),
      )
      .catch((error: unknown) => message.logger.warn({ err: error, stage }, "could not report the stage"));
  };
}

/** One attempt: the outcome, or a throw when the failure is transient and the budget is not spent. */
async function attempt(
  deps: ArchiveValidatedDependencies,
  request: SubmissionValidated,
  progress: Progress,
  report: (stage: ArchiveStage) => Promise<void>,
): Promise<ArchiveAnswer> {
  progress.attempts += 1;
  try {
    const done = await archiveSubmission(request, progress, {
      now: deps.now,
      archiving: () => report("ARCHIVING"),
      driver: deps.driverFor(request.destination, request.submission.tenant),
      save: (saved) => deps.progress.save(saved),
      fileContent: deps.fileContent,
      caseOfSubmission: deps.progress.caseOfSubmission,
      searches: deps.progress.searches,
      ownCases: deps.progress.ownCases,
      writtenByOthers: deps.progress.writtenByOthers,
    });
    progress.lastError = null;
    return { topic: "completed", value: { ...done, attempts: progress.attempts } };
  } catch (error) {
    progress.lastError = (error as Error).message;
    const failure = reasonFor(await failureOf(error, progress, deps));
    if (!failure) {
      // Another delivery's lease or newer save: it carries on, this one leaves nothing behind.
      if (!(error instanceof LeaseLostError)) await deps.progress.save(progress, { release: true });
      if (error instanceof WaitingForCaseError) await report("WAITING_FOR_CASE");
      throw error;
    }
    return {
      topic: "failed",
      value: {
        submission: request.submission,
        destination: request.destination,
        ...failure,
        attempts: progress.attempts,
        caseNumber: progress.case?.caseNumber ?? null,
        journalPostNumbers: progress.journalPosts.flatMap((post) => (post ? [post.number] : [])),
      },
    };
  }
}

/** A failure with its message as a source system may read it (see failureReason). */
function reasonFor<T extends { readonly message: string }>(failure: T | undefined): T | undefined {
  return failure && { ...failure, message: failureReason(failure.message) };
}

/** What the failure means for the submission; undefined while it is worth trying again. */
async function failureOf(
  error: unknown,
  progress: Progress,
  deps: ArchiveValidatedDependencies,
): Promise<Pick<ArchiveFailed, "code" | "message" | "retriable"> | undefined> {
  if (error instanceof ArchiveRefusedError) {
    return { code: "archive-rejected", message: error.archiveMessage, retriable: false };
  }
  if (error instanceof SeveralCasesFoundError) {
    return { code: "several-cases-found", message: error.message, retriable: false };
  }
  if (error instanceof UnknownCaseError)
    return { code: "unknown-case", message: error.message, retriable: false };
  if (error instanceof CaseNotArchivedError) {
    // The case submission's reason: worth an operator's retry when its was (once it is archived after all).
    return { code: "case-not-archived", message: error.message, retriable: error.caseFailure.retriable };
  }
  if (error instanceof LeaseLostError) return undefined;
  if (!isRetriable(error))
    return { code: "cannot-archive", message: (error as Error).message, retriable: false };
  if (error instanceof WaitingForCaseError) {
    // Waiting for a case is bounded by the progress of the submission making it, not by this one's budget: while
    // it is being archived (its own budget bounds it), or once it has an outcome (the next attempt follows it),
    // this one waits, and its budget for its own writes starts only when the case is there.
    const state = await deps.progress.submissionState(error.caseSubmissionId, caseQuietLimitMs(deps));
    if (state !== "unknown") {
      progress.budgetFrom = deps.now();
      return undefined;
    }
    // It never reached this adapter, or has been silent for longer than any retry of it waits.
    if (!budgetSpent(progress, deps)) return undefined;
    return { code: "case-not-archived", message: error.message, retriable: true };
  }
  if (!budgetSpent(progress, deps)) return undefined;
  return { code: "archive-unavailable", message: (error as Error).message, retriable: true };
}

const budgetSpent = (progress: Progress, deps: Pick<ArchiveValidatedDependencies, "now" | "retryBudgetMs">) =>
  deps.now().getTime() - (progress.budgetFrom ?? progress.firstAttemptAt).getTime() >= deps.retryBudgetMs;

/**
 * How long a submission being archived may go without a sign of life (a saved attempt, a held lease) and still
 * count as alive: its retries wait up to the retry topic's longest backoff, and a budget is at least as long.
 */
const caseQuietLimitMs = (deps: Pick<ArchiveValidatedDependencies, "retryBudgetMs">) =>
  Math.max(deps.retryBudgetMs, archiveRetryPolicy.retryTopicBackoff.maxMs) + 60_000;

/** Which message keys wait for which submission's case, in this process: woken when it has an outcome. */
class WaitingForCases {
  /** Enough for any backlog; the oldest go first (a waiter not woken just waits out its backoff). */
  static readonly #limit = 10_000;
  readonly #keys = new Map<string, Set<string>>();

  add(caseSubmissionId: string, key: string | null) {
    if (key === null) return;
    const keys = this.#keys.get(caseSubmissionId) ?? new Set();
    keys.add(key);
    this.#keys.set(caseSubmissionId, keys);
    if (this.#keys.size > WaitingForCases.#limit) {
      const [oldest] = this.#keys.keys();
      if (oldest !== undefined) this.#keys.delete(oldest);
    }
  }

  take(caseSubmissionId: string): Iterable<string> {
    const keys = this.#keys.get(caseSubmissionId) ?? [];
    this.#keys.delete(caseSubmissionId);
    return keys;
  }
}

async function publish(
  deps: ArchiveValidatedDependencies,
  message: ConsumedMessage<SubmissionValidated>,
  answer: ArchiveAnswer,
): Promise<void> {
  const request = message.value;
  const meta = {
    eventId: answerEventId(request.meta.eventId, "archive"),
    occurredAt: deps.now(),
    correlationId: request.meta.correlationId,
    producer: "archive-adapter",
  };
  const key = message.key ?? request.submission.id;
  const headers = eventHeadersOf(message.headers);
  if (answer.topic === "completed") await deps.publish.completed(key, { meta, ...answer.value }, headers);
  else await deps.publish.failed(key, { meta, ...answer.value }, headers);
}
