import type { SubmissionStatus } from "@flyt/schemas";
import type { SubmissionFilter, SubmissionSummary } from "@flyt/status-read-model";
import {
  type AdminDependencies,
  type IntegrationRequest,
  integrationExists,
  type NotFound,
} from "./administer-integrations";

/** An integration's submissions for the operator console, newest first, a page at a time. */
export async function listSubmissions(
  deps: AdminDependencies,
  request: IntegrationRequest,
  filter: SubmissionFilter,
): Promise<
  NotFound | { readonly outcome: "found"; readonly items: SubmissionSummary[]; readonly next?: string }
> {
  const exists = await integrationExists(deps.stores, request);
  if (exists !== true) return exists;
  return {
    outcome: "found",
    ...(await deps.submissions.list(request.tenantId, request.integrationId, filter)),
  };
}

/** How many of an integration's submissions are in each status, among those updated in the period. */
export async function countSubmissions(
  deps: AdminDependencies,
  request: IntegrationRequest,
  period: { readonly from: Date; readonly to: Date },
): Promise<
  NotFound | { readonly outcome: "found"; readonly counts: Partial<Record<SubmissionStatus, number>> }
> {
  const exists = await integrationExists(deps.stores, request);
  if (exists !== true) return exists;
  return {
    outcome: "found",
    counts: await deps.submissions.counts(request.tenantId, request.integrationId, period),
  };
}
