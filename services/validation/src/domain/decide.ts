import type { IntegrationState } from "@flyt/registry";
import type { IntegrationConfiguration } from "@flyt/registry/configuration";
import type {
  ArchiveDestination,
  SubmissionReceived,
  SubmissionRejected,
  SubmissionValidated,
  ValidationError,
} from "@flyt/schemas";
import type { ReferencedCase } from "./case-target";
import type { FileHeads } from "./document-rules";
import { validateSubmission } from "./validate-submission";

/** The decision on a submission as it is published (less the event's meta). */
export type Answer =
  | { readonly topic: "validated"; readonly value: Omit<SubmissionValidated, "meta"> }
  | { readonly topic: "rejected"; readonly value: Omit<SubmissionRejected, "meta"> };

/** The submission's integration as the registry has it now. */
export interface IntegrationNow {
  readonly state: IntegrationState;
  readonly activeVersion: number | null;
}

export type Admission =
  | { readonly action: "reject"; readonly answer: Answer }
  /** Nothing the source system could change: decide later, when an operator has configured the integration. */
  | { readonly action: "wait"; readonly reason: string }
  | { readonly action: "validate"; readonly version: number };

/** Whether a submission can be validated now, and with which configuration version. */
export function admit(
  submission: SubmissionReceived["submission"],
  integration: IntegrationNow | undefined,
): Admission {
  if (!integration) {
    return {
      action: "reject",
      answer: rejection(submission, null, [
        integrationError(
          "unknown-integration",
          `${submission.integrationId} is not an integration of ${submission.tenant}.`,
        ),
      ]),
    };
  }
  if (integration.state === "DEACTIVATED") {
    return {
      action: "reject",
      answer: rejection(submission, integration.activeVersion, [
        integrationError("integration-deactivated", `${submission.integrationId} is deactivated.`),
      ]),
    };
  }
  if (integration.activeVersion === null) {
    return {
      action: "wait",
      reason: `${submission.tenant}/${submission.integrationId} has no active configuration`,
    };
  }
  return { action: "validate", version: integration.activeVersion };
}

export interface AppliedConfiguration {
  readonly version: number;
  readonly configuration: IntegrationConfiguration;
  readonly destination: ArchiveDestination;
}

/** The answer to a submission under one configuration version: validated and normalised, or every error. */
export function answer(
  received: SubmissionReceived,
  applied: AppliedConfiguration,
  inputs: { readonly fileHeads: FileHeads; readonly referencedCase?: ReferencedCase },
): Answer {
  const { submission } = received;
  const decision = validateSubmission({
    submission: received,
    configuration: applied.configuration,
    fileHeads: inputs.fileHeads,
    ...(inputs.referencedCase ? { referencedCase: inputs.referencedCase } : {}),
  });
  if (decision.outcome === "rejected") return rejection(submission, applied.version, decision.errors);
  return {
    topic: "validated",
    value: {
      submission,
      configurationVersion: applied.version,
      destination: applied.destination,
      ...decision.request,
    },
  };
}

function rejection(
  submission: SubmissionReceived["submission"],
  configurationVersion: number | null,
  errors: readonly ValidationError[],
): Answer {
  return { topic: "rejected", value: { submission, configurationVersion, errors } };
}

function integrationError(code: string, detail: string): ValidationError {
  return { code, pointer: "/integrationId", detail };
}
