import { PermanentError, TransientError } from "@flyt/errors";
import type { HeadsRequest } from "@flyt/file-store";
import {
  answerEventId,
  type ConsumedMessage,
  type EventHeaders,
  eventHeadersOf,
  handlerFor,
} from "@flyt/kafka";
import type { SubmissionReceived, SubmissionRejected, SubmissionValidated } from "@flyt/schemas";
import type { TopicCatalogue } from "@flyt/topics";
import { type ReferencedCase, SUBMISSION_ID } from "../domain/case-target";
import { type Answer, type AppliedConfiguration, admit, answer, type IntegrationNow } from "../domain/decide";
import type { FileHeads } from "../domain/document-rules";

/** What the service knows of a submission before deciding: its integration now, and any answer already given. */
export interface DecisionContext {
  readonly integration?: IntegrationNow;
  readonly earlier?: Answer;
}

/** An answer to record: the first one recorded for a submission is the one that stands. */
export interface DecisionRecord {
  readonly submission: SubmissionReceived["submission"];
  readonly answer: Answer;
}

export interface ValidateReceivedDependencies {
  readonly topics: Pick<TopicCatalogue, "submissionReceived" | "submissionValidated" | "submissionRejected">;
  readonly decisions: {
    context(submission: SubmissionReceived["submission"]): Promise<DecisionContext>;
    /** Records the answer unless one is recorded already; resolves with the answer that stands. */
    record(decision: DecisionRecord): Promise<Answer>;
    referencedCase(
      owner: { readonly tenantId: string; readonly sourceApplicationId: string },
      submissionId: string,
    ): Promise<ReferencedCase | undefined>;
  };
  readonly configurations: {
    get(tenantId: string, integrationId: string, version: number): Promise<AppliedConfiguration | undefined>;
  };
  readonly files: { heads(request: HeadsRequest): Promise<FileHeads> };
  readonly publish: {
    validated(key: string, value: SubmissionValidated, headers: EventHeaders): Promise<void>;
    rejected(key: string, value: SubmissionRejected, headers: EventHeaders): Promise<void>;
  };
  readonly now: () => Date;
}

/** The integration has no active configuration yet: retried later (retry topic), then dead-lettered for replay. */
export class NotConfiguredError extends TransientError {}

/** Journal posts whose case submission is not decided yet (it waits in the retry topic): they wait too. */
export class CaseNotDecidedError extends TransientError {}

/**
 * Decides on a received submission and publishes the decision. The answer is recorded before it is published
 * and the recorded answer is what is published, so a redelivered submission (or two deliveries racing through
 * a rebalance) gives one answer under one event id, whatever has been activated since.
 */
export function validateReceivedHandler(deps: ValidateReceivedDependencies) {
  return handlerFor({
    topic: deps.topics.submissionReceived,
    handle: async (message: ConsumedMessage<SubmissionReceived>) => {
      const received = message.value;
      const context = await deps.decisions.context(received.submission);
      const standing =
        context.earlier ??
        (await deps.decisions.record({
          submission: received.submission,
          answer: await decide(deps, received, context),
        }));
      await publish(deps, message, standing);
    },
  });
}

async function decide(
  deps: ValidateReceivedDependencies,
  received: SubmissionReceived,
  context: DecisionContext,
): Promise<Answer> {
  const { submission } = received;
  const admission = admit(submission, context.integration);
  if (admission.action === "reject") return admission.answer;
  if (admission.action === "wait") throw new NotConfiguredError(admission.reason);

  const applied = await deps.configurations.get(
    submission.tenant,
    submission.integrationId,
    admission.version,
  );
  if (!applied) {
    throw new PermanentError(
      `configuration version ${admission.version} of ${submission.integrationId} is not usable`,
    );
  }
  const caseSubmissionId =
    received.caseRef !== null && SUBMISSION_ID.test(received.caseRef) ? received.caseRef : undefined;
  const referencedCase =
    caseSubmissionId &&
    (await deps.decisions.referencedCase(
      { tenantId: submission.tenant, sourceApplicationId: submission.sourceApplication },
      caseSubmissionId,
    ));
  if (caseSubmissionId && !referencedCase)
    throw new CaseNotDecidedError(`case ${caseSubmissionId} is not decided yet`);

  const fileIds = received.journalPosts.flatMap((post) =>
    post.dokumenter.map((document) => document.file.fileId),
  );
  const owner = { tenantId: submission.tenant, sourceApplicationId: submission.sourceApplication };
  const fileHeads = await deps.files.heads({ owner, fileIds });
  return answer(received, applied, { fileHeads, ...(referencedCase ? { referencedCase } : {}) });
}

async function publish(
  deps: ValidateReceivedDependencies,
  message: ConsumedMessage<SubmissionReceived>,
  standing: Answer,
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
  if (standing.topic === "validated") await deps.publish.validated(key, { meta, ...standing.value }, headers);
  else await deps.publish.rejected(key, { meta, ...standing.value }, headers);
}
