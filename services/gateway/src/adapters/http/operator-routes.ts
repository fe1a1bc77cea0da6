import type { SubmissionStatus } from "@flyt/schemas";
import { CASE_NUMBER } from "@flyt/schemas";
import type { ProjectedStatus } from "@flyt/status-read-model";
import type { Context, Middleware, Next } from "koa";
import type { Administrator } from "../../domain/caller";
import type { FieldError } from "../../domain/document-rules";
import { parseInstant } from "../../domain/instant";
import { type AdminDependencies, integrationExists } from "../../handlers/administer-integrations";
import {
  type ActionOutcome,
  type BulkRetryFilter,
  cancelSubmission,
  describeSubmission,
  type OperatorDependencies,
  resolveSubmission,
  retrySubmission,
  retrySubmissions,
} from "../../handlers/operate-submissions";
import { Problem } from "./problem";
import { readJson, smallJsonBody } from "./read-json";
import { matchRoute, type Route } from "./route-table";

const BODY_LIMITS = smallJsonBody(64 * 1024);
const SLUG = "[a-z][a-z0-9-]{1,62}";
const TENANT = `^/admin/v1/tenants/(?<tenant>${SLUG})`;
const SUBMISSION = `${TENANT}/submissions/(?<id>sub_[0-9A-Z]{26})`;
const JOURNAL_POST_NUMBER = /^\d{4}\/\d{1,10}-\d{1,6}$/;

export type OperatorRouteDependencies = OperatorDependencies & Pick<AdminDependencies, "stores">;

type Handler = (
  ctx: Context,
  deps: OperatorRouteDependencies,
  path: Readonly<Record<string, string>>,
) => Promise<void>;

/**
 * The operators' routes of the admin API: a submission with its whole history, retry, resolve by hand, cancel,
 * a bulk retry per integration, and a tenant's counts per integration and status. Each parses, calls its use
 * case and turns the outcome into HTTP; every action is audited with who took it.
 */
const routes: readonly Route<Handler>[] = [
  { path: new RegExp(`${SUBMISSION}$`), methods: { GET: describe } },
  { path: new RegExp(`${SUBMISSION}/retry$`), methods: { POST: retry } },
  { path: new RegExp(`${SUBMISSION}/resolve$`), methods: { POST: resolve } },
  { path: new RegExp(`${SUBMISSION}/cancel$`), methods: { POST: cancel } },
  {
    path: new RegExp(`${TENANT}/integrations/(?<integration>${SLUG})/submissions/retry$`),
    methods: { POST: bulkRetry },
  },
  { path: new RegExp(`${TENANT}/submission-counts$`), methods: { GET: tenantCounts } },
];

export function operatorRoutes(deps: OperatorRouteDependencies): Middleware {
  return async function operatorRoutes(ctx: Context, next: Next) {
    const matched = matchRoute(routes, ctx);
    if (!matched) return next();
    return matched.handler(ctx, deps, matched.params);
  };
}

const actorOf = (ctx: Context) => (ctx.state.administrator as Administrator).clientId;
const submissionPath = (tenant: string, id: string) => `/admin/v1/tenants/${tenant}/submissions/${id}`;

async function describe(
  ctx: Context,
  deps: OperatorRouteDependencies,
  path: Readonly<Record<string, string>>,
) {
  const { tenant = "", id = "" } = path;
  const status = await describeSubmission(deps, { tenantId: tenant, submissionId: id });
  if (!status) throw unknownSubmission(tenant, id);
  ctx.body = operatorView(status);
}

async function retry(ctx: Context, deps: OperatorRouteDependencies, path: Readonly<Record<string, string>>) {
  const { tenant = "", id = "" } = path;
  const body = await optionalBody(ctx);
  const errors: FieldError[] = [];
  const reason = optionalText(body, "reason", errors);
  if (errors.length > 0) throw invalid(errors);
  const outcome = await retrySubmission(deps, {
    tenantId: tenant,
    submissionId: id,
    actor: actorOf(ctx),
    ...(reason ? { reason } : {}),
  });
  answer(ctx, tenant, id, outcome, "RECEIVED");
}

async function resolve(
  ctx: Context,
  deps: OperatorRouteDependencies,
  path: Readonly<Record<string, string>>,
) {
  const { tenant = "", id = "" } = path;
  const body = await readJson(ctx, BODY_LIMITS);
  const errors: FieldError[] = [];
  const fields = objectBody(body, errors);
  const caseNumber = fields.caseNumber;
  if (typeof caseNumber !== "string" || !CASE_NUMBER.test(caseNumber)) {
    errors.push({
      code: "invalid-case-number",
      pointer: "/caseNumber",
      detail: "caseNumber is required: the archive's case number, e.g. 2026/123.",
    });
  }
  const numbers = fields.journalPostNumbers ?? [];
  if (!Array.isArray(numbers)) {
    errors.push({
      code: "invalid-journal-post-numbers",
      pointer: "/journalPostNumbers",
      detail: 'journalPostNumbers is a list of journal post numbers, e.g. ["2026/123-1"].',
    });
  } else {
    for (const [index, number] of numbers.entries()) {
      if (typeof number !== "string" || !JOURNAL_POST_NUMBER.test(number)) {
        errors.push({
          code: "invalid-journal-post-number",
          pointer: `/journalPostNumbers/${index}`,
          detail: "A journal post number looks like 2026/123-1.",
        });
      }
    }
  }
  const reason = optionalText(fields, "reason", errors);
  if (errors.length > 0) throw invalid(errors);
  const outcome = await resolveSubmission(deps, {
    tenantId: tenant,
    submissionId: id,
    actor: actorOf(ctx),
    caseNumber: caseNumber as string,
    journalPostNumbers: numbers as string[],
    ...(reason ? { reason } : {}),
  });
  answer(ctx, tenant, id, outcome, "ARCHIVED");
}

async function cancel(ctx: Context, deps: OperatorRouteDependencies, path: Readonly<Record<string, string>>) {
  const { tenant = "", id = "" } = path;
  const body = await readJson(ctx, BODY_LIMITS);
  const errors: FieldError[] = [];
  const reason = optionalText(objectBody(body, errors), "reason", errors);
  if (!reason && errors.length === 0) {
    errors.push({
      code: "missing-reason",
      pointer: "/reason",
      detail: "reason is required: the source system is told why its submission was cancelled.",
    });
  }
  if (errors.length > 0) throw invalid(errors);
  const outcome = await cancelSubmission(deps, {
    tenantId: tenant,
    submissionId: id,
    actor: actorOf(ctx),
    reason: reason as string,
  });
  answer(ctx, tenant, id, outcome, "CANCELLED");
}

const RETRYABLE = new Set<string>(["FAILED", "REJECTED"]);

async function bulkRetry(
  ctx: Context,
  deps: OperatorRouteDependencies,
  path: Readonly<Record<string, string>>,
) {
  const { tenant = "", integration = "" } = path;
  const body = await readJson(ctx, BODY_LIMITS);
  const errors: FieldError[] = [];
  const fields = objectBody(body, errors);
  const status = fields.status ?? "FAILED";
  if (typeof status !== "string" || !RETRYABLE.has(status)) {
    errors.push({
      code: "invalid-status",
      pointer: "/status",
      detail: "status is FAILED (the default) or REJECTED.",
    });
  }
  const from = optionalInstant(fields, "from", errors);
  const to = optionalInstant(fields, "to", errors);
  const errorCode = optionalText(fields, "errorCode", errors);
  const limit = fields.limit ?? 1_000;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    errors.push({
      code: "invalid-limit",
      pointer: "/limit",
      detail: "limit is a whole number from 1 to 10000.",
    });
  }
  if (errors.length > 0) throw invalid(errors);
  const request = { tenantId: tenant, integrationId: integration, actor: actorOf(ctx) };
  const exists = await integrationExists(deps.stores, request);
  if (exists !== true) {
    throw new Problem(404, exists.outcome, "Not found", `${tenant} has no integration ${integration}.`);
  }
  const filter: BulkRetryFilter = {
    status: status as BulkRetryFilter["status"],
    limit: limit as number,
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(errorCode ? { errorCode } : {}),
  };
  const result = await retrySubmissions(deps, request, filter);
  ctx.status = 202;
  ctx.body = {
    retried: result.retried.length,
    submissions: result.retried,
    // Matched but not retried: another operator acted on them first, or they were accepted before retries.
    skipped: result.skipped,
    more: result.more,
  };
}

async function tenantCounts(
  ctx: Context,
  deps: OperatorRouteDependencies,
  path: Readonly<Record<string, string>>,
) {
  const { tenant = "" } = path;
  const errors: FieldError[] = [];
  const query = ctx.query as Record<string, unknown>;
  const from = optionalInstant(query, "from", errors);
  const to = optionalInstant(query, "to", errors);
  if (!from && !errors.some((error) => error.pointer === "/from")) errors.push(required("from"));
  if (!to && !errors.some((error) => error.pointer === "/to")) errors.push(required("to"));
  if (errors.length > 0 || !from || !to) {
    throw new Problem(400, "invalid-query", "Invalid query", "See errors: every problem found, at once.", {
      errors,
    });
  }
  if (!(await deps.stores.registry.tenant(tenant))) {
    throw new Problem(404, "unknown-tenant", "Unknown tenant", `There is no tenant ${tenant}.`);
  }
  ctx.body = {
    from: from.toISOString(),
    to: to.toISOString(),
    integrations: await deps.statuses.countsByIntegration(tenant, { from, to }),
  };
}

function answer(ctx: Context, tenant: string, id: string, outcome: ActionOutcome, status: SubmissionStatus) {
  switch (outcome.outcome) {
    case "unknown-submission":
      throw unknownSubmission(tenant, id);
    case "not-actionable":
      throw new Problem(
        409,
        "not-actionable",
        "Not for an operator now",
        `The submission is ${outcome.status}: only FAILED or REJECTED submissions are retried, resolved or cancelled by hand.`,
        { members: { status: outcome.status } },
      );
    case "not-of-case":
      throw new Problem(
        422,
        "invalid-request",
        "The request has errors",
        "See errors: every problem found, at once.",
        {
          errors: [
            {
              code: "journal-post-not-of-case",
              pointer: "/journalPostNumbers",
              detail:
                "Every journal post number is the case number and a sequence, e.g. 2026/123-1 of 2026/123.",
            },
          ],
        },
      );
    case "not-retryable":
      throw new Problem(
        409,
        "not-retryable",
        "Cannot be retried",
        "The submission was accepted before Flyt kept what a retry needs; resolve or cancel it instead.",
      );
    case "already-acted":
      throw new Problem(
        409,
        "already-acted",
        "Already acted on",
        `${outcome.action.actor} already chose to ${outcome.action.action} run ${outcome.action.run} of this submission.`,
        { members: { action: outcome.action.action, actor: outcome.action.actor, run: outcome.action.run } },
      );
    case "done": {
      const location = submissionPath(tenant, id);
      ctx.status = 202;
      ctx.set("Location", location);
      ctx.body = { id, run: outcome.run, status, statusUrl: location };
    }
  }
}

/** What an operator sees of a submission: the status resource, whose it is, its run and whole history. */
function operatorView(status: ProjectedStatus) {
  return {
    id: status.submissionId,
    tenantId: status.tenantId,
    sourceApplicationId: status.sourceApplicationId,
    integrationId: status.integrationId,
    sourceInstanceId: status.sourceInstanceId,
    kind: status.kind === "CASE" ? "case" : "journal-posts",
    run: status.run,
    status: status.status,
    caseNumber: status.caseNumber,
    journalPostNumbers: status.journalPostNumbers,
    errors: status.errors,
    configurationVersion: status.configurationVersion,
    history: status.history,
    createdAt: status.createdAt,
    updatedAt: status.updatedAt,
  };
}

/** A body is optional for a retry: none, or JSON. */
async function optionalBody(ctx: Context): Promise<Record<string, unknown>> {
  if (!ctx.request.length && !ctx.get("content-type")) return {};
  const errors: FieldError[] = [];
  const fields = objectBody(await readJson(ctx, BODY_LIMITS), errors);
  if (errors.length > 0) throw invalid(errors);
  return fields;
}

function objectBody(body: unknown, errors: FieldError[]): Record<string, unknown> {
  if (typeof body === "object" && body !== null && !Array.isArray(body))
    return body as Record<string, unknown>;
  errors.push({ code: "invalid-body", pointer: "", detail: "The body is a JSON object." });
  return {};
}

function optionalText(
  fields: Record<string, unknown>,
  name: string,
  errors: FieldError[],
): string | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim().length === 0 || value.length > 1_000) {
    errors.push({
      code: `invalid-${name}`,
      pointer: `/${name}`,
      detail: `${name} is text of 1 to 1000 characters.`,
    });
    return undefined;
  }
  return value;
}

/** An ISO 8601 instant with a time zone, or a problem named. */
function optionalInstant(
  fields: Record<string, unknown>,
  name: string,
  errors: FieldError[],
): Date | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  const parsed = parseInstant(value);
  if (!parsed) {
    errors.push({
      code: "invalid-instant",
      pointer: `/${name}`,
      detail: `${name} is an ISO 8601 instant with a time zone, e.g. 2026-11-23T00:00:00Z.`,
    });
  }
  return parsed;
}

function required(name: string): FieldError {
  return { code: "missing-field", pointer: `/${name}`, detail: `${name} is required.` };
}

function invalid(errors: FieldError[]): Problem {
  return new Problem(
    422,
    "invalid-request",
    "The request has errors",
    "See errors: every problem found, at once.",
    {
      errors,
    },
  );
}

function unknownSubmission(tenant: string, id: string): Problem {
  return new Problem(404, "unknown-submission", "Unknown submission", `${tenant} has no submission ${id}.`);
}
