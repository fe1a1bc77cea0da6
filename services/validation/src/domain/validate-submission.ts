import type { IntegrationConfiguration } from "@flyt/registry/configuration";
import type { Arkivsak, Journalpost, SubmissionReceived, ValidationError } from "@flyt/schemas";
import { normaliseCase, normaliseJournalPost } from "./apply-configuration";
import { type CaseTarget, caseTarget, type ReferencedCase } from "./case-target";
import { unknownCodes } from "./code-values";
import { checkDocuments, type FileHeads } from "./document-rules";
import { fixedFieldErrors } from "./fixed-fields";
import { missingCaseFields, missingJournalPostFields } from "./required-fields";

export interface ValidationInput {
  readonly submission: Pick<SubmissionReceived, "submission" | "caseRef" | "case" | "journalPosts">;
  readonly configuration: IntegrationConfiguration;
  /** The first bytes of each stored file by id (files of other tenants are absent). */
  readonly fileHeads: FileHeads;
  /** For journal posts to an earlier case submission: what became of it. */
  readonly referencedCase?: ReferencedCase;
}

/** The archive request of a valid submission: normalised, with how its case is found. */
export interface ArchiveRequest extends CaseTarget {
  readonly case: Arkivsak | null;
  readonly journalPosts: readonly Journalpost[];
}

export type ValidationDecision =
  | { readonly outcome: "validated"; readonly request: ArchiveRequest }
  | { readonly outcome: "rejected"; readonly errors: readonly ValidationError[] };

/**
 * Applies the integration's configuration (defaults, then value conversion) and checks everything the archive
 * requires and the integration's rules demand, reporting every problem at once with a pointer into the
 * submitted payload. Pure: the same input always gives the same decision.
 */
export function validateSubmission(input: ValidationInput): ValidationDecision {
  const { submission, configuration } = input;
  const { archiveDefaults, valueConversions } = configuration;
  const normalisedCase = submission.case && normaliseCase(submission.case, archiveDefaults, valueConversions);
  const normalisedPosts = submission.journalPosts.map((post) =>
    normaliseJournalPost(post, archiveDefaults, valueConversions),
  );
  const target = caseTarget(
    submission.submission.kind,
    submission.caseRef,
    normalisedCase,
    configuration,
    input.referencedCase,
  );
  const errors = [
    ...unknownCodes(submission.case, submission.journalPosts, valueConversions),
    ...fixedFieldErrors(submission, { case: normalisedCase, journalPosts: normalisedPosts }, configuration),
    ...(normalisedCase ? missingCaseFields(normalisedCase) : []),
    ...missingJournalPostFields(normalisedPosts),
    ...checkDocuments(submission.journalPosts, configuration.documentRules, input.fileHeads),
    ...(target.ok ? [] : target.errors),
  ];
  if (!target.ok || errors.length > 0) return { outcome: "rejected", errors };
  return {
    outcome: "validated",
    request: { ...target.target, case: normalisedCase, journalPosts: normalisedPosts },
  };
}
