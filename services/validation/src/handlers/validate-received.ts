import { TransientError } from "@flyt/errors";
import {
  answerEventId,
  type ConsumedMessage,
  type EventHeaders,
  eventHeadersOf,
  handlerFor,
} from "@flyt/kafka";
import type {
  SubmissionReceived,
  SubmissionRejected,
  SubmissionValidated,
  ValidationError,
} from "@flyt/schemas";
import type { TopicCatalogue } from "@flyt/topics";
import type { AppliedConfiguration } from "../adapters/postgres/configuration-versions";
import type { Decision, DecisionContext } from "../adapters/postgres/decision-store";
import { SUBMISSION_ID } from "../domain/case-target";
import type { FileHeads } from "../domain/document-rules";
import { validateSubmission } from "../domain/validate-submission";

export interface ValidateReceivedDependencies {
  readonly topics: Pick<TopicCatalogue, "submissionReceived" | "submissionValidated" | "submissionRejected">;
  readonly decisions: {
    context(submission: SubmissionReceived["submission"]): Promise<DecisionContext | undefined>;
    record(decision: Decision): Promise<void>;
    referencedCase(tenantId: string, submissionId: string): Promise<"VALIDATED" | "REJECTED" | "UNKNOWN">;
  };
  readonly configurations: {
    get(tenantId: string, integrationId: string, version: number): Promise<AppliedConfiguration | undefined>;
  };
  readonly files: { heads(request: { tenantId: string; fileIds: readonly string[] }): Promise<FileHeads> };
  readonly publish: {
    validated(key: string, value: SubmissionValidated, headers: EventHeaders): Promise<void>;
    rejected(key: string, value: SubmissionRejected, headers: EventHeaders): Promise<void>;
  };
  readonly now: () => Date;
}

/** A submission that cannot be decided yet: retried later through the retry topic, then dead-lettered. */
export class NotConfiguredError extends TransientError {}

/**
 * Decides on a received submission and publishes the decision. The decision is recorded before it is published,
 * so a redelivered submission is decided again with the version first applied and gives the same event (same
 * id); a submission whose integration has no active configuration waits rather than being rejected, since the
 * source system could not fix that by sending it again.
 */
export function validateReceivedHandler(deps: ValidateReceivedDependencies) {
  return handlerFor({
    topic: deps.topics.submissionReceived,
    handle: async (message: ConsumedMessage<SubmissionReceived>) => {
      const received = message.value;
      const { submission } = received;
      const context = await deps.decisions.context(submission);
      const decided = await decide(deps, received, context);
      if (!context?.earlier) await deps.decisions.record({ submission, ...decided.record });
      await publish(deps, message, decided);
    },
  });
}

type Answer =
  | { readonly topic: "validated"; readonly value: Omit<SubmissionValidated, "meta"> }
  | { readonly topic: "rejected"; readonly value: Omit<SubmissionRejected, "meta"> };

interface Decided {
  readonly record: Omit<Decision, "submission">;
  readonly answer: Answer;
}

async function decide(
  deps: ValidateReceivedDependencies,
  received: SubmissionReceived,
  context: DecisionContext | undefined,
): Promise<Decided> {
  const { submission } = received;
  if (!context) {
    return rejected(submission, null, [
      integrationError(
        "unknown-integration",
        `${submission.integrationId} is not an integration of ${submission.tenant}.`,
      ),
    ]);
  }
  // A rejection stands as recorded; a validation is worked out again (same version, same inputs) for its request.
  const { earlier } = context;
  if (earlier?.outcome === "REJECTED")
    return rejected(submission, earlier.configurationVersion, earlier.errors);
  const version = earlier?.configurationVersion ?? context.activeVersion;
  if (!earlier && context.state === "DEACTIVATED") {
    return rejected(submission, version, [
      integrationError("integration-deactivated", `${submission.integrationId} is deactivated.`),
    ]);
  }
  if (version === null) {
    throw new NotConfiguredError(
      `${submission.tenant}/${submission.integrationId} has no active configuration`,
    );
  }
  const applied = await deps.configurations.get(submission.tenant, submission.integrationId, version);
  if (!applied) throw new Error(`configuration version ${version} of ${submission.integrationId} not found`);

  const fileIds = received.journalPosts.flatMap((post) =>
    post.dokumenter.map((document) => document.file.fileId),
  );
  const caseSubmissionId =
    received.caseRef !== null && SUBMISSION_ID.test(received.caseRef) ? received.caseRef : undefined;
  const [fileHeads, referencedCase] = await Promise.all([
    deps.files.heads({ tenantId: submission.tenant, fileIds }),
    caseSubmissionId ? deps.decisions.referencedCase(submission.tenant, caseSubmissionId) : undefined,
  ]);
  const decision = validateSubmission({
    submission: received,
    configuration: applied.configuration,
    fileHeads,
    ...(referencedCase ? { referencedCase } : {}),
  });
  if (decision.outcome === "rejected") return rejected(submission, version, decision.errors);
  return {
    record: { configurationVersion: version, outcome: "VALIDATED", errors: [] },
    answer: {
      topic: "validated",
      value: {
        submission,
        configurationVersion: version,
        destination: applied.destination,
        ...decision.request,
      },
    },
  };
}

function rejected(
  submission: SubmissionReceived["submission"],
  configurationVersion: number | null,
  errors: readonly ValidationError[],
): Decided {
  return {
    record: { configurationVersion, outcome: "REJECTED", errors },
    answer: { topic: "rejected", value: { submission, configurationVersion, errors } },
  };
}

function integrationError(code: string, detail: string): ValidationError {
  return { code, pointer: "/integrationId", detail };
}

async function publish(
  deps: ValidateReceivedDependencies,
  message: ConsumedMessage<SubmissionReceived>,
  { answer }: Decided,
): Promise<void> {
  const received = message.value;
  const meta = {
    eventId: answerEventId(received.meta.eventId, "validation"),
    occurredAt: deps.now(),
    correlationId: received.meta.correlationId,
    producer: "validation",
  };
  const key = message.key ?? received.submission.id;
  const headers = eventHeadersOf(message.headers);
  if (answer.topic === "validated") await deps.publish.validated(key, { meta, ...answer.value }, headers);
  else await deps.publish.rejected(key, { meta, ...answer.value }, headers);
}
