import { type ConsumedMessage, handlerFor } from "@flyt/kafka";
import type { SubmissionResolved } from "@flyt/schemas";
import type { TopicCatalogue } from "@flyt/topics";

export interface RecordResolutionDependencies {
  readonly topics: Pick<TopicCatalogue, "submissionResolved">;
  readonly progress: { recordResolution(submissionId: string, caseNumber: string): Promise<void> };
}

/**
 * An operator set a submission ARCHIVED by hand, with the number of the case it has in the archive: that case is
 * its source application's from then on (journal posts to the submission, or to the number, go there). Recording
 * it again is harmless, and a submission that never reached an archive adapter has nothing to record.
 */
export function recordResolutionHandler(deps: RecordResolutionDependencies) {
  return handlerFor({
    topic: deps.topics.submissionResolved,
    handle: async (message: ConsumedMessage<SubmissionResolved>) => {
      const { submission, status, caseNumber } = message.value;
      if (status !== "ARCHIVED" || !caseNumber) return;
      await deps.progress.recordResolution(submission.id, caseNumber);
    },
  });
}
