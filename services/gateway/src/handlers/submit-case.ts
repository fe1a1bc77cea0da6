import { createHash } from "node:crypto";
import type { EventHeaders } from "@flyt/kafka";
import type { Integration } from "@flyt/registry";
import type { FileReference, SubmissionReceived } from "@flyt/schemas";
import type { FileStore } from "../adapters/postgres/file-store";
import type { IntakeStore } from "../adapters/postgres/intake-store";
import { validateBody } from "../contract/validator";
import type { Caller } from "../domain/caller";
import type { FieldError } from "../domain/document-rules";
import { canonicalJson } from "../domain/ids";
import { receivedEvent, type SubmittedBody } from "../domain/received-event";

export interface SubmitDependencies {
  readonly integrations: {
    integration(tenantId: string, integrationId: string): Promise<Integration | undefined>;
  };
  readonly intake: Pick<IntakeStore, "reserve" | "markAccepted">;
  readonly files: FileStore;
  /** Resolves once Kafka has acknowledged (acks=all); rejects when it did not in time. */
  readonly publish: (event: SubmissionReceived, key: string, headers: EventHeaders) => Promise<void>;
  readonly ids: { submission(): string; file(): string; event(): string };
  readonly now: () => Date;
  /** A pending intake row older than this was left by a crash between recording and publishing: resume it. */
  readonly stalePendingMs: number;
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
  | { readonly outcome: "in-flight"; readonly existingId: string };

/**
 * `POST /api/v1/cases`: validates, checks the integration, claims (tenant, integration, source instance),
 * stores inline documents, publishes `submission.received` and only then accepts. The same body again is the
 * same submission; a crash between claiming and publishing leaves a pending claim that the next identical
 * request resumes, so a submission is never both unanswered and unretryable.
 */
export async function submitCase(deps: SubmitDependencies, request: SubmitRequest): Promise<SubmitOutcome> {
  const errors = validateBody("case", request.body);
  if (errors.length > 0) return { outcome: "invalid", errors };
  const body = request.body as SubmittedBody;
  const { caller } = request;

  const integration = await deps.integrations.integration(caller.tenantId, body.integrationId);
  if (!integration || integration.sourceApplicationId !== caller.sourceApplicationId) {
    return { outcome: "unknown-integration", integrationId: body.integrationId };
  }
  if (integration.state === "DEACTIVATED")
    return { outcome: "integration-deactivated", integrationId: body.integrationId };

  const uploaded = await uploadedFiles(deps.files, caller.tenantId, body);
  if (uploaded.errors.length > 0) return { outcome: "invalid", errors: uploaded.errors };

  const bodyHash = createHash("sha256").update(canonicalJson(body)).digest("hex");
  const reservation = await deps.intake.reserve({
    id: deps.ids.submission(),
    tenantId: caller.tenantId,
    sourceApplicationId: caller.sourceApplicationId,
    integrationId: body.integrationId,
    sourceInstanceId: body.sourceInstanceId,
    kind: "CASE",
    caseRef: null,
    bodyHash,
  });
  const { record } = reservation;
  if (reservation.outcome === "existing") {
    if (record.bodyHash !== bodyHash) return { outcome: "conflict", existingId: record.id };
    if (record.state === "accepted") return { outcome: "accepted", id: record.id, replayed: true };
    const age = deps.now().getTime() - record.createdAt.getTime();
    if (age < deps.stalePendingMs) return { outcome: "in-flight", existingId: record.id };
  }

  const files = await storeDocuments(deps, caller.tenantId, body, uploaded.references);
  const event = receivedEvent({
    submissionId: record.id,
    caller,
    body,
    caseRef: null,
    files,
    eventId: deps.ids.event(),
    correlationId: request.correlationId,
    now: deps.now(),
  });
  // A case is keyed by its own submission id: its later journal posts carry it too, so they stay in order.
  await deps.publish(event, record.id, {
    correlationId: request.correlationId,
    traceparent: request.traceparent,
    tenant: caller.tenantId,
    sourceApplication: caller.sourceApplicationId,
    submissionId: record.id,
  });
  await deps.intake.markAccepted(record.id);
  return { outcome: "accepted", id: record.id, replayed: reservation.outcome === "existing" };
}

type Documents = readonly (readonly Record<string, unknown>[])[];

function documentsOf(body: SubmittedBody): Documents {
  return (body.journalPosts ?? []).map(
    (post) => (post.dokumenter as Record<string, unknown>[] | undefined) ?? [],
  );
}

/** The references of documents sent as `fileId`, which must be files of this tenant. */
async function uploadedFiles(files: FileStore, tenantId: string, body: SubmittedBody) {
  const references = new Map<string, FileReference>();
  const errors: FieldError[] = [];
  for (const [j, documents] of documentsOf(body).entries()) {
    for (const [d, document] of documents.entries()) {
      if (typeof document.fileId !== "string") continue;
      const reference = await files.reference(tenantId, document.fileId);
      if (reference) references.set(document.fileId, reference);
      else {
        errors.push({
          code: "unknown-file",
          pointer: `/journalPosts/${j}/dokumenter/${d}/fileId`,
          detail: "No file with this id was uploaded by this tenant.",
        });
      }
    }
  }
  return { references, errors };
}

/** Stores inline contents; returns every document's file reference, by journal post and document. */
async function storeDocuments(
  deps: SubmitDependencies,
  tenantId: string,
  body: SubmittedBody,
  uploaded: Map<string, FileReference>,
): Promise<FileReference[][]> {
  return Promise.all(
    documentsOf(body).map((documents) =>
      Promise.all(
        documents.map((document) =>
          typeof document.fileId === "string"
            ? Promise.resolve(uploaded.get(document.fileId) as FileReference)
            : deps.files.put({
                tenantId,
                id: deps.ids.file(),
                filename: String(document.filnavn),
                mimeType: String(document.mimeType),
                content: Buffer.from(String(document.innhold), "base64"),
              }),
        ),
      ),
    ),
  );
}
