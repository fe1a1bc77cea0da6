import type { SubmissionCompleted, SubmissionKind, SubmissionStatus, ValidationError } from "@flyt/schemas";
import type { StatusStep } from "./status-reader";

/**
 * The status resource of the source-system API (`GET /api/v1/submissions/{id}`), rendered in one place: the
 * gateway answers polling with it, and the callback dispatcher posts it (with a `type`) when a submission ends.
 */
export interface StatusResource {
  readonly id: string;
  readonly integrationId: string;
  readonly sourceInstanceId: string;
  readonly kind: "case" | "journal-posts";
  readonly status: SubmissionStatus;
  readonly caseNumber: string | null;
  readonly journalPostNumbers: readonly string[];
  readonly errors: readonly ValidationError[];
  readonly history: readonly { readonly status: SubmissionStatus; readonly at: string }[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What the status resource says, before rendering. */
export interface StatusFacts {
  readonly id: string;
  readonly integrationId: string;
  readonly sourceInstanceId: string;
  readonly kind: SubmissionKind;
  readonly status: SubmissionStatus;
  readonly caseNumber: string | null;
  readonly journalPostNumbers: readonly string[];
  readonly errors: readonly ValidationError[];
  readonly history: readonly StatusStep[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The status resource as JSON-ready values (instants as ISO 8601 strings), in the contract's member order. */
export function renderStatusResource(facts: StatusFacts): StatusResource {
  return {
    id: facts.id,
    integrationId: facts.integrationId,
    sourceInstanceId: facts.sourceInstanceId,
    kind: facts.kind === "CASE" ? "case" : "journal-posts",
    status: facts.status,
    caseNumber: facts.caseNumber,
    journalPostNumbers: facts.journalPostNumbers,
    errors: facts.errors.map((error) => ({ code: error.code, pointer: error.pointer, detail: error.detail })),
    history: facts.history.map((step) => ({ status: step.status, at: step.at.toISOString() })),
    createdAt: facts.createdAt.toISOString(),
    updatedAt: facts.updatedAt.toISOString(),
  };
}

/** The callback event types, one per terminal status. */
export const callbackEventTypes = {
  ARCHIVED: "submission.archived",
  REJECTED: "submission.rejected",
  FAILED: "submission.failed",
  CANCELLED: "submission.cancelled",
} as const satisfies Partial<Record<SubmissionStatus, string>>;

export type CallbackEventType = (typeof callbackEventTypes)[keyof typeof callbackEventTypes];

/** What a callback posts: `type`, then the status resource as polling answers it when the submission ended. */
export type CallbackPayload = { readonly type: CallbackEventType } & StatusResource;

/**
 * The callback body for a terminal status, from its `submission.completed` event; undefined for a status that
 * is not terminal (no callback is due).
 */
export function callbackPayload(completed: SubmissionCompleted): CallbackPayload | undefined {
  const type = callbackEventTypes[completed.status as keyof typeof callbackEventTypes];
  if (!type) return undefined;
  return {
    type,
    ...renderStatusResource({
      id: completed.submission.id,
      integrationId: completed.submission.integrationId,
      sourceInstanceId: completed.submission.sourceInstanceId,
      kind: completed.submission.kind,
      status: completed.status,
      caseNumber: completed.caseNumber,
      journalPostNumbers: completed.journalPostNumbers,
      errors: completed.errors,
      history: completed.history,
      createdAt: completed.createdAt,
      updatedAt: completed.updatedAt,
    }),
  };
}
