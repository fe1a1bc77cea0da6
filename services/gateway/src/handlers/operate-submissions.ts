import { childTraceparent, type EventHeaders, uuidV8 } from "@flyt/kafka";
import type { AuditLog } from "@flyt/registry";
import type { SubmissionReceived, SubmissionResolved, SubmissionStatus } from "@flyt/schemas";
import type { ProjectedStatus, StatusReader } from "@flyt/status-read-model";
import type { IntakeStore } from "../adapters/postgres/intake-store";
import type { OperatorAction, OperatorActionStore } from "../adapters/postgres/operator-action-store";

/** What operators may act on: a run the pipeline has given up on. Anything else is still in the pipeline's hands. */
const ENDED_BY_THE_PIPELINE: ReadonlySet<SubmissionStatus> = new Set(["FAILED", "REJECTED"]);

/** The stores an operator action writes together: its claim on the run, and the audit entry saying who took it. */
export interface OperatorStores {
  readonly actions: Pick<OperatorActionStore, "claim">;
  readonly audit: Pick<AuditLog, "record">;
}

export interface OperatorDependencies {
  readonly statuses: Pick<StatusReader, "status" | "list" | "countsByIntegration">;
  readonly intake: Pick<IntakeStore, "publishedEvent">;
  /** Runs `work` in one transaction: an action is claimed and audited together or not at all. */
  readonly inTransaction: <T>(work: (stores: OperatorStores) => Promise<T>) => Promise<T>;
  readonly markPublished: (submissionId: string, run: number) => Promise<void>;
  /** Each resolves once Kafka has acknowledged the event. */
  readonly publish: {
    received(event: SubmissionReceived, key: string, headers: EventHeaders): Promise<void>;
    resolved(event: SubmissionResolved, key: string, headers: EventHeaders): Promise<void>;
  };
  readonly newCorrelationId: () => string;
  readonly now: () => Date;
}

/** A submission of a tenant, as named in the path, and who acts (the audit log's actor). */
export interface SubmissionRequest {
  readonly tenantId: string;
  readonly submissionId: string;
  readonly actor: string;
  /** Why, in the operator's words. */
  readonly reason?: string;
}

export type ActionOutcome =
  | { readonly outcome: "unknown-submission" }
  /** Still in the pipeline's hands, or ended for good: nothing for an operator to do. */
  | { readonly outcome: "not-actionable"; readonly status: SubmissionStatus }
  /** Accepted before Flyt kept what a retry needs. */
  | { readonly outcome: "not-retryable" }
  | { readonly outcome: "already-acted"; readonly action: OperatorAction }
  /** Journal post numbers that are not the given case's. */
  | { readonly outcome: "not-of-case" }
  | { readonly outcome: "done"; readonly run: number };

/** `GET .../submissions/{id}`: a submission of the tenant with its whole history, for an operator. */
export async function describeSubmission(
  deps: { readonly statuses: Pick<StatusReader, "status"> },
  request: Pick<SubmissionRequest, "tenantId" | "submissionId">,
): Promise<ProjectedStatus | undefined> {
  const status = await deps.statuses.status(request.submissionId);
  return status?.tenantId === request.tenantId ? status : undefined;
}

/**
 * `POST .../submissions/{id}/retry`: runs a failed or rejected submission again, as the next run, from the
 * `submission.received` event the gateway published for it; validation applies the configuration active now, and
 * the archive adapter resumes from what the earlier runs put in the archive (never a second case).
 */
export async function retrySubmission(
  deps: OperatorDependencies,
  request: SubmissionRequest,
): Promise<ActionOutcome> {
  const status = await describeSubmission(deps, request);
  if (!status) return { outcome: "unknown-submission" };
  if (!ENDED_BY_THE_PIPELINE.has(status.status)) return { outcome: "not-actionable", status: status.status };
  const published = await deps.intake.publishedEvent(request.tenantId, request.submissionId);
  if (!published) return { outcome: "not-retryable" };
  const run = status.run + 1;
  const correlationId = deps.newCorrelationId();
  const event: SubmissionReceived = {
    ...published.event,
    meta: {
      eventId: uuidV8(`flyt.submission.received:${request.submissionId}:${run}`),
      occurredAt: deps.now(),
      correlationId,
      producer: "gateway",
    },
    submission: { ...published.event.submission, run },
  };
  return act(deps, request, status, {
    action: "retry",
    auditAction: "submission.retry-requested",
    details: { run, previousStatus: status.status },
    event,
    key: published.key,
    publish: (claimed, headers) =>
      deps.publish.received(claimed as SubmissionReceived, published.key, headers),
  });
}

/** `POST .../submissions/{id}/resolve`: archived by hand in the archive; the source system gets the case number. */
export function resolveSubmission(
  deps: OperatorDependencies,
  request: SubmissionRequest & {
    readonly caseNumber: string;
    readonly journalPostNumbers: readonly string[];
  },
): Promise<ActionOutcome> {
  // A journal post number is its case's number and a sequence: another case's is a mistake.
  if (request.journalPostNumbers.some((number) => !number.startsWith(`${request.caseNumber}-`))) {
    return Promise.resolve({ outcome: "not-of-case" });
  }
  return endRun(deps, request, "ARCHIVED", {
    caseNumber: request.caseNumber,
    journalPostNumbers: request.journalPostNumbers,
  });
}

/** `POST .../submissions/{id}/cancel`: not to be archived; the source system is told why. */
export function cancelSubmission(
  deps: OperatorDependencies,
  request: SubmissionRequest,
): Promise<ActionOutcome> {
  return endRun(deps, request, "CANCELLED", { caseNumber: null, journalPostNumbers: [] });
}

export interface BulkRetryFilter {
  readonly status: "FAILED" | "REJECTED";
  /** Updated at or after. */
  readonly from?: Date;
  /** Updated before. */
  readonly to?: Date;
  /** Only those whose errors include this code, e.g. `archive-unavailable`. */
  readonly errorCode?: string;
  /** At most this many in one request; `more` says whether others match. */
  readonly limit: number;
}

/**
 * `POST .../integrations/{id}/submissions/retry`: retries every matching submission of an integration (after an
 * archive outage, say), each as one audited retry; one more audit entry records the request and its filter.
 */
export async function retrySubmissions(
  deps: OperatorDependencies,
  request: { readonly tenantId: string; readonly integrationId: string; readonly actor: string },
  filter: BulkRetryFilter,
): Promise<{ readonly retried: string[]; readonly skipped: string[]; readonly more: boolean }> {
  const retried: string[] = [];
  const skipped: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await deps.statuses.list(request.tenantId, request.integrationId, {
      status: filter.status,
      limit: 200,
      ...(filter.from ? { from: filter.from } : {}),
      ...(filter.to ? { to: filter.to } : {}),
      ...(filter.errorCode ? { errorCode: filter.errorCode } : {}),
      ...(after ? { after } : {}),
    });
    for (const item of page.items) {
      if (retried.length >= filter.limit) {
        return recordBulk(deps, request, filter, { retried, skipped, more: true });
      }
      const outcome = await retrySubmission(deps, {
        tenantId: request.tenantId,
        submissionId: item.submissionId,
        actor: request.actor,
        reason: "bulk retry",
      });
      (outcome.outcome === "done" ? retried : skipped).push(item.submissionId);
    }
    if (!page.next) return recordBulk(deps, request, filter, { retried, skipped, more: false });
    after = page.next;
  }
}

async function recordBulk<T extends { readonly retried: string[] }>(
  deps: OperatorDependencies,
  request: { readonly tenantId: string; readonly integrationId: string; readonly actor: string },
  filter: BulkRetryFilter,
  result: T,
): Promise<T> {
  await deps.inTransaction((stores) =>
    stores.audit.record({
      actor: request.actor,
      action: "submissions.bulk-retry-requested",
      tenantId: request.tenantId,
      integrationId: request.integrationId,
      details: {
        filter: {
          ...filter,
          from: filter.from?.toISOString() ?? null,
          to: filter.to?.toISOString() ?? null,
        },
        retried: result.retried.length,
      },
    }),
  );
  return result;
}

async function endRun(
  deps: OperatorDependencies,
  request: SubmissionRequest,
  resolution: SubmissionResolved["status"],
  archived: Pick<SubmissionResolved, "caseNumber" | "journalPostNumbers">,
): Promise<ActionOutcome> {
  const status = await describeSubmission(deps, request);
  if (!status) return { outcome: "unknown-submission" };
  if (!ENDED_BY_THE_PIPELINE.has(status.status)) return { outcome: "not-actionable", status: status.status };
  const published = await deps.intake.publishedEvent(request.tenantId, request.submissionId);
  const submission = {
    id: status.submissionId,
    tenant: status.tenantId,
    sourceApplication: status.sourceApplicationId,
    integrationId: status.integrationId,
    sourceInstanceId: status.sourceInstanceId,
    kind: status.kind,
    run: status.run,
  };
  const event: SubmissionResolved = {
    meta: {
      eventId: uuidV8(`flyt.submission.resolved:${status.submissionId}:${status.run}`),
      occurredAt: deps.now(),
      correlationId: deps.newCorrelationId(),
      producer: "gateway",
    },
    submission,
    status: resolution,
    ...archived,
    resolvedBy: request.actor,
    reason: request.reason ?? null,
  };
  // Keyed like everything else about its case, so it follows what the pipeline said of it.
  const key = published?.key ?? status.submissionId;
  return act(deps, request, status, {
    action: resolution === "ARCHIVED" ? "resolve" : "cancel",
    auditAction: resolution === "ARCHIVED" ? "submission.resolved" : "submission.cancelled",
    details: { run: status.run, previousStatus: status.status, ...archived },
    event,
    key,
    publish: (claimed, headers) => deps.publish.resolved(claimed as SubmissionResolved, key, headers),
  });
}

/**
 * Claims the run for the action and audits it (one transaction), then publishes its event. A claim whose event
 * never reached Kafka (the gateway stopped, or Kafka was away) is published now, as it was claimed.
 */
async function act(
  deps: OperatorDependencies,
  request: SubmissionRequest,
  status: ProjectedStatus,
  plan: {
    readonly action: OperatorAction["action"];
    readonly auditAction: Parameters<AuditLog["record"]>[0]["action"];
    readonly details: Readonly<Record<string, unknown>>;
    readonly event: OperatorEvent;
    readonly key: string;
    readonly publish: (event: OperatorEvent, headers: EventHeaders) => Promise<void>;
  },
): Promise<ActionOutcome> {
  const action: OperatorAction = {
    submissionId: status.submissionId,
    run: status.run,
    action: plan.action,
    actor: request.actor,
    event: plan.event,
    eventKey: plan.key,
  };
  const claim = await deps.inTransaction(async (stores) => {
    const claimed = await stores.actions.claim(action);
    if (claimed.outcome === "claimed") {
      await stores.audit.record({
        actor: request.actor,
        action: plan.auditAction,
        tenantId: status.tenantId,
        integrationId: status.integrationId,
        details: { submissionId: status.submissionId, ...plan.details, reason: request.reason ?? null },
      });
    }
    return claimed;
  });
  if (claim.outcome === "taken") return { outcome: "already-acted", action: claim.action };
  // An earlier claim of the same action whose event never reached Kafka is finished with the event it claimed
  // (same id: applied once), if it asked for the same; otherwise that one stands.
  const event = claim.outcome === "unpublished" ? revive(claim.action.event as OperatorEvent) : plan.event;
  if (claim.outcome === "unpublished" && !sameRequest(event, plan.event)) {
    return { outcome: "already-acted", action: claim.action };
  }
  await plan.publish(event, headersOf(event));
  await deps.markPublished(status.submissionId, status.run);
  return { outcome: "done", run: plan.action === "retry" ? status.run + 1 : status.run };
}

type OperatorEvent = SubmissionReceived | SubmissionResolved;

/** Two claims of one action ask for the same when their events differ only in when and by whom they were made. */
function sameRequest(a: OperatorEvent, b: OperatorEvent): boolean {
  const { meta: _a, ...restA } = a;
  const { meta: _b, ...restB } = b;
  const comparable = (rest: object) => JSON.stringify({ ...rest, resolvedBy: undefined, reason: undefined });
  return comparable(restA) === comparable(restB);
}

/** A claimed event read back from JSON: its timestamps are strings there. */
function revive(event: OperatorEvent): OperatorEvent {
  const meta = { ...event.meta, occurredAt: new Date(event.meta.occurredAt) };
  return "receivedAt" in event
    ? { ...event, meta, receivedAt: new Date(event.receivedAt) }
    : { ...event, meta };
}

/**
 * Publishes the events of claims that never reached Kafka (the gateway stopped, or Kafka was away, and nobody
 * asked again), so a claimed action always happens: the same event, under the same id, applied once.
 */
export async function publishUnfinishedActions(
  deps: Pick<OperatorDependencies, "publish" | "markPublished"> & {
    readonly unpublished: () => Promise<readonly OperatorAction[]>;
  },
): Promise<number> {
  const pending = await deps.unpublished();
  for (const action of pending) {
    const event = revive(action.event as OperatorEvent);
    if (action.action === "retry") {
      await deps.publish.received(event as SubmissionReceived, action.eventKey, headersOf(event));
    } else {
      await deps.publish.resolved(event as SubmissionResolved, action.eventKey, headersOf(event));
    }
    await deps.markPublished(action.submissionId, action.run);
  }
  return pending.length;
}

/** The headers an operator's event travels with: a new span, the submission and whose it is. */
function headersOf(event: OperatorEvent): EventHeaders {
  return {
    correlationId: event.meta.correlationId,
    traceparent: childTraceparent(),
    tenant: event.submission.tenant,
    sourceApplication: event.submission.sourceApplication,
    submissionId: event.submission.id,
  };
}
