import { createHash } from "node:crypto";
import type { FileOwner, FileStore } from "@flyt/file-store";
import { type EventHeaders, PublishTimeoutError, uuidV8 } from "@flyt/kafka";
import type { Logger } from "@flyt/logging";
import type { Integration } from "@flyt/registry";
import type { FileReference, SubmissionReceived } from "@flyt/schemas";
import { CASE_NUMBER } from "@flyt/schemas";
import type { IntakeStore } from "../adapters/postgres/intake-store";
import { validateBody } from "../contract/validator";
import type { Caller } from "../domain/caller";
import type { FieldError } from "../domain/document-rules";
import { sanitizeFilename } from "../domain/filename";
import { writeCanonicalJson } from "../domain/ids";
import { receivedEvent, type SubmittedBody } from "../domain/received-event";

export interface SubmitDependencies {
  readonly integrations: {
    integration(tenantId: string, integrationId: string): Promise<Integration | undefined>;
  };
  readonly intake: Pick<IntakeStore, "reserve" | "markAccepted" | "findCase">;
  readonly files: FileStore;
  /** Resolves once Kafka has acknowledged (acks=all); rejects when it did not in time. */
  readonly publish: (event: SubmissionReceived, key: string, headers: EventHeaders) => Promise<void>;
  readonly ids: { submission(): string; file(): string };
  readonly now: () => Date;
  /** A pending intake row older than this was left by a crash between recording and publishing: resume it. */
  readonly stalePendingMs: number;
  readonly logger: Logger;
}

export interface SubmitRequest {
  readonly caller: Caller;
  readonly body: unknown;
  readonly correlationId: string;
  readonly traceparent: string;
}

export type SubmitOutcome =
  | { readonly outcome: "accepted"; readonly id: string; readonly replayed: boolean }
  | { readonly outcome: "invalid"; readonly errors: readonly FieldError[] }
  | { readonly outcome: "unknown-integration"; readonly integrationId: string }
  | { readonly outcome: "integration-deactivated"; readonly integrationId: string }
  | { readonly outcome: "conflict"; readonly existingId: string }
  | { readonly outcome: "in-flight"; readonly existingId: string }
  | { readonly outcome: "unknown-case"; readonly caseRef: string }
  | { readonly outcome: "invalid-case-ref"; readonly caseRef: string };

/** `POST /api/v1/cases`: a new case, with or without journal posts. */
export function submitCase(deps: SubmitDependencies, request: SubmitRequest): Promise<SubmitOutcome> {
  return submit(deps, request, { kind: "CASE", caseRef: null });
}

/**
 * `POST /api/v1/cases/{caseRef}/journal-posts`: journal posts to an existing case, named by its archive case
 * number (`2026/123`) or by the id of an earlier case submission of the same source application, archived or
 * not yet. Another's case submission is unknown, as if it did not exist; a case number is checked against what
 * the integration may reach when it is archived (the archive adapter), where an unknown number fails the same way.
 */
export async function submitJournalPosts(
  deps: SubmitDependencies,
  request: SubmitRequest & { readonly caseRef: string },
): Promise<SubmitOutcome> {
  if (CASE_NUMBER.test(request.caseRef)) {
    return submit(deps, request, { kind: "JOURNAL_POSTS", caseRef: request.caseRef });
  }
  if (!SUBMISSION_ID.test(request.caseRef)) return { outcome: "invalid-case-ref", caseRef: request.caseRef };
  const caseSubmission = await deps.intake.findCase(request.caller, request.caseRef);
  if (!caseSubmission) return { outcome: "unknown-case", caseRef: request.caseRef };
  return submit(deps, request, { kind: "JOURNAL_POSTS", caseRef: caseSubmission.id });
}

/**
 * The Kafka key everything about one case shares: a case submission's own id (journal posts to it carry that
 * id as caseRef), or the tenant and case number for posts to an archived case (case numbers repeat across
 * counties).
 */
function caseKey(tenantId: string, caseRef: string | null, submissionId: string): string {
  if (caseRef === null) return submissionId;
  return CASE_NUMBER.test(caseRef) ? `${tenantId}:${caseRef}` : caseRef;
}

const SUBMISSION_ID = /^sub_[0-9A-Z]{26}$/;

/**
 * The intake both entry points share: validate, check the integration, claim (tenant, integration, source
 * instance), store inline documents, publish `submission.received`, and only then accept. The same body
 * (and case) again is the same submission; a crash between claiming and publishing leaves a pending claim that
 * the next identical request resumes, so a submission is never both unanswered and unretryable.
 */
async function submit(
  deps: SubmitDependencies,
  request: SubmitRequest,
  target: { readonly kind: "CASE" | "JOURNAL_POSTS"; readonly caseRef: string | null },
): Promise<SubmitOutcome> {
  const errors = validateBody(target.kind === "CASE" ? "case" : "journalPosts", request.body);
  if (errors.length > 0) return { outcome: "invalid", errors };
  const body = request.body as SubmittedBody;
  const { caller } = request;

  const integration = await deps.integrations.integration(caller.tenantId, body.integrationId);
  if (!integration || integration.sourceApplicationId !== caller.sourceApplicationId) {
    return { outcome: "unknown-integration", integrationId: body.integrationId };
  }
  if (integration.state === "DEACTIVATED") {
    return { outcome: "integration-deactivated", integrationId: body.integrationId };
  }

  const uploaded = await uploadedFiles(deps.files, caller, body);
  if (uploaded.errors.length > 0) return { outcome: "invalid", errors: uploaded.errors };

  // The case a body is sent to is part of what makes two requests the same submission.
  const hash = createHash("sha256");
  writeCanonicalJson({ caseRef: target.caseRef, body }, (piece) => hash.update(piece));
  const bodyHash = hash.digest("hex");
  const reservation = await deps.intake.reserve({
    id: deps.ids.submission(),
    tenantId: caller.tenantId,
    sourceApplicationId: caller.sourceApplicationId,
    integrationId: body.integrationId,
    sourceInstanceId: body.sourceInstanceId,
    kind: target.kind,
    caseRef: target.caseRef,
    bodyHash,
  });
  const { record } = reservation;
  if (reservation.outcome === "existing") {
    if (record.bodyHash !== bodyHash) return { outcome: "conflict", existingId: record.id };
    if (record.state === "accepted") return { outcome: "accepted", id: record.id, replayed: true };
    const age = deps.now().getTime() - record.createdAt.getTime();
    if (age < deps.stalePendingMs) return { outcome: "in-flight", existingId: record.id };
  }

  const files = await storeDocuments(deps, caller, body, uploaded.references);
  const event = receivedEvent({
    submissionId: record.id,
    caller,
    body,
    caseRef: target.caseRef,
    files,
    // The same for every publish of this submission (a resume after a crash or a 503), so consumers that apply
    // events once by id see one event, whichever copy arrives.
    eventId: receivedEventId(record.id),
    correlationId: request.correlationId,
    now: deps.now(),
    receivedAt: record.createdAt,
  });
  // Everything about one case shares a key: a case is keyed by its own submission id, and journal posts by the
  // case they go to, so they are never archived before their case.
  const key = caseKey(caller.tenantId, target.caseRef, record.id);
  const accept = () => deps.intake.markAccepted(record.id, { event, key });
  try {
    await deps.publish(event, key, {
      correlationId: request.correlationId,
      traceparent: request.traceparent,
      tenant: caller.tenantId,
      sourceApplication: caller.sourceApplicationId,
      submissionId: record.id,
    });
  } catch (error) {
    // Kafka may take it after the deadline, and then it flows through the pipeline: it is accepted as if the
    // 202 had gone out, so polling finds it and a repeat of the request answers 202 with it. Should marking
    // fail, a repeat resumes the pending row as after a crash.
    if (error instanceof PublishTimeoutError) {
      error.acknowledged
        .then(accept, () => undefined)
        .catch((failure: unknown) =>
          deps.logger.warn(
            { err: failure, submissionId: record.id },
            "Kafka took a submission after its deadline; marking it accepted failed (a repeat resumes it)",
          ),
        );
    }
    throw error;
  }
  // Should this fail (the database went away), the answer is a 503 although the event is out and goes on: the
  // same request again finds the pending row and resumes it under the same id and event id.
  await accept();
  return { outcome: "accepted", id: record.id, replayed: reservation.outcome === "existing" };
}

/** A UUID derived from the submission id: the id of its `submission.received` event. */
export function receivedEventId(submissionId: string): string {
  return uuidV8(`flyt.submission.received:${submissionId}`);
}

/** Inline content is already bounded by the body limit. */
async function storeInline(
  deps: SubmitDependencies,
  owner: FileOwner,
  document: Record<string, unknown>,
): Promise<FileReference> {
  const content = Buffer.from(String(document.innhold), "base64");
  // The schema already refused control characters; this drops directories and caps the length.
  const filename = sanitizeFilename(String(document.filnavn)) ?? "document";
  const stored = await deps.files.store(
    { owner, id: deps.ids.file(), filename, mimeType: String(document.mimeType) },
    content,
    content.length,
  );
  if (stored.outcome !== "stored") throw new Error(`inline document not stored: ${stored.outcome}`);
  return stored.reference;
}

type Documents = readonly (readonly Record<string, unknown>[])[];

function documentsOf(body: SubmittedBody): Documents {
  return (body.journalPosts ?? []).map(
    (post) => (post.dokumenter as Record<string, unknown>[] | undefined) ?? [],
  );
}

/**
 * The references of documents sent as `fileId`, which must be the caller's own uploads (its county, source
 * application and environment): anyone else's is refused as if it did not exist.
 */
async function uploadedFiles(files: FileStore, owner: FileOwner, body: SubmittedBody) {
  const references = new Map<string, FileReference>();
  const errors: FieldError[] = [];
  for (const [j, documents] of documentsOf(body).entries()) {
    for (const [d, document] of documents.entries()) {
      if (typeof document.fileId !== "string") continue;
      const reference = await files.reference(owner, document.fileId);
      if (reference) references.set(document.fileId, reference);
      else {
        errors.push({
          code: "unknown-file",
          pointer: `/journalPosts/${j}/dokumenter/${d}/fileId`,
          detail: "No file with this id was uploaded by this client's source application.",
        });
      }
    }
  }
  return { references, errors };
}

/** Stores inline contents; returns every document's file reference, by journal post and document. */
async function storeDocuments(
  deps: SubmitDependencies,
  owner: FileOwner,
  body: SubmittedBody,
  uploaded: Map<string, FileReference>,
): Promise<FileReference[][]> {
  return Promise.all(
    documentsOf(body).map((documents) =>
      Promise.all(
        documents.map((document) =>
          typeof document.fileId === "string"
            ? Promise.resolve(uploaded.get(document.fileId) as FileReference)
            : storeInline(deps, owner, document),
        ),
      ),
    ),
  );
}
