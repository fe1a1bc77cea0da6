import { pipeline, type Readable, Transform } from "node:stream";
import { renderStatusResource, terminalStatuses } from "@flyt/status-read-model";
import type { Context, Middleware, Next } from "koa";
import { contractBodyShape } from "../../contract/body-limits";
import type { Caller } from "../../domain/caller";
import type { FieldError } from "../../domain/document-rules";
import { filenameFromContentDisposition } from "../../domain/filename";
import {
  type CallbackDeliveryDependencies,
  deliveryBody,
  findDelivery,
  listDeliveries,
  parseDeliveryQuery,
  pingCallback,
  replayParked,
  resendDelivery,
} from "../../handlers/callback-deliveries";
import { type CallbackDependencies, registerCallback, rotateCallbackSecret } from "../../handlers/callbacks";
import {
  type SubmitDependencies,
  type SubmitOutcome,
  submitCase,
  submitJournalPosts,
} from "../../handlers/submit";
import { type UploadDependencies, type UploadOutcome, uploadFile } from "../../handlers/upload-file";
import type { IdempotencyStore } from "../postgres/idempotency-store";
import type { PolledSubmission, StatusPolling } from "../postgres/status-polling";
import { withIdempotencyKey } from "./idempotency-key";
import { Problem } from "./problem";
import { BODY_BYTES_READ } from "./rate-limit";
import { readJson, smallJsonBody } from "./read-json";

export interface ApiDependencies {
  readonly submit: SubmitDependencies;
  readonly upload: UploadDependencies;
  readonly callbacks: CallbackDependencies;
  /** Deliveries to the caller's endpoint, and requests to the callback dispatcher (ping, resend, replay). */
  readonly callbackDeliveries: CallbackDeliveryDependencies;
  readonly idempotency: Pick<IdempotencyStore, "claim" | "complete" | "release">;
  /**
   * Polling: the caller's submission with its status from the read model (RECEIVED until the projection has it)
   * and its callback.
   */
  readonly polling: Pick<StatusPolling, "byId" | "bySourceInstance">;
  readonly bodyLimitBytes: number;
  readonly newCorrelationId: () => string;
}

/** How long a source system should wait before polling again while a submission is not terminal. */
const POLL_AFTER_SECONDS = "5";

/** The source-system API's routes: each parses, calls its handler, and turns the outcome into HTTP. */
export function apiRoutes(deps: ApiDependencies): Middleware {
  return async function apiRoutes(ctx: Context, next: Next) {
    const caller = ctx.state.caller as Caller;
    if (ctx.method === "POST" && ctx.path === "/api/v1/cases") {
      const body = await readJson(ctx, { maxBytes: deps.bodyLimitBytes, ...contractBodyShape });
      return withIdempotencyKey(ctx, deps.idempotency, { body }, async () => {
        const outcome = await submitCase(deps.submit, {
          caller,
          body,
          correlationId: ctx.get("x-correlation-id") || deps.newCorrelationId(),
          traceparent: ctx.get("traceparent"),
        });
        answerSubmission(ctx, outcome);
      });
    }
    if (ctx.method === "POST" && ctx.path === "/api/v1/files") {
      return answerUpload(
        ctx,
        await uploadFile(deps.upload, {
          caller,
          mimeType: (ctx.get("content-type").split(";")[0] ?? "").trim().toLowerCase(),
          filename: filenameFromContentDisposition(ctx.get("content-disposition")) ?? queryFilename(ctx),
          declaredBytes: ctx.get("content-length") ? Number(ctx.get("content-length")) : undefined,
          content: counted(ctx),
        }),
      );
    }
    if (ctx.path === "/api/v1/callback" || ctx.path === "/api/v1/callback/rotate-secret") {
      return callbackRoutes(ctx, deps.callbacks, caller);
    }
    if (ctx.path.startsWith("/api/v1/callback/")) {
      return callbackDeliveryRoutes(ctx, deps.callbackDeliveries, caller, next);
    }
    const toCase = /^\/api\/v1\/cases\/([^/]+)\/journal-posts$/.exec(ctx.path);
    if (ctx.method === "POST" && toCase) {
      const body = await readJson(ctx, { maxBytes: deps.bodyLimitBytes, ...contractBodyShape });
      return withIdempotencyKey(ctx, deps.idempotency, { body }, async () => {
        const outcome = await submitJournalPosts(deps.submit, {
          caller,
          caseRef: decodePathSegment(toCase[1] as string) ?? "",
          body,
          correlationId: ctx.get("x-correlation-id") || deps.newCorrelationId(),
          traceparent: ctx.get("traceparent"),
        });
        answerSubmission(ctx, outcome);
      });
    }
    const byId = /^\/api\/v1\/submissions\/([^/]+)$/.exec(ctx.path);
    if (ctx.method === "GET" && byId) {
      const id = decodePathSegment(byId[1] as string);
      // Only a well-formed id is looked up: anything else cannot exist, and may not even be storable text.
      if (!id || !SUBMISSION_ID.test(id)) return answerStatus(ctx, undefined);
      // Ownership and status at once: the status is only answered when the intake record says it is the caller's.
      return answerStatus(ctx, await deps.polling.byId(caller, id));
    }
    if (ctx.method === "GET" && ctx.path === "/api/v1/submissions") {
      const { integrationId, sourceInstanceId } = ctx.query;
      if (typeof integrationId !== "string" || typeof sourceInstanceId !== "string") {
        throw new Problem(
          400,
          "invalid-query",
          "Invalid query",
          "Give integrationId and sourceInstanceId, once each.",
        );
      }
      const polled = CONTROL_CHARACTER.test(integrationId + sourceInstanceId)
        ? undefined
        : await deps.polling.bySourceInstance(caller, integrationId, sourceInstanceId);
      return answerStatus(ctx, polled);
    }
    await next();
  };
}

/**
 * The caller's deliveries and its requests to the dispatcher: `POST /api/v1/callback/ping`,
 * `GET /api/v1/callback/deliveries[/{id}]`, `POST /api/v1/callback/deliveries/{id}/resend`,
 * `POST /api/v1/callback/replay`. Another owner's delivery is 404.
 */
async function callbackDeliveryRoutes(
  ctx: Context,
  deps: CallbackDeliveryDependencies,
  caller: Caller,
  next: Next,
): Promise<void> {
  const requester = { clientId: caller.clientId };
  const owner = { tenantId: caller.tenantId, sourceApplicationId: caller.sourceApplicationId };
  const only = (method: string) => {
    if (ctx.method !== method)
      throw new Problem(405, "method-not-allowed", "Method not allowed", `Use ${method}.`, {
        headers: { Allow: method },
      });
  };
  if (ctx.path === "/api/v1/callback/ping") {
    only("POST");
    const outcome = await pingCallback(deps, owner, requester);
    if (outcome.outcome === "no-endpoint") throw noCallback();
    ctx.status = 202;
    ctx.set("Location", `/api/v1/callback/deliveries/${outcome.deliveryId}`);
    ctx.body = { deliveryId: outcome.deliveryId };
    return;
  }
  if (ctx.path === "/api/v1/callback/replay") {
    only("POST");
    const outcome = await replayParked(deps, owner, await readJson(ctx, smallJsonBody(16_384)), requester);
    if (outcome.outcome === "no-endpoint") throw noCallback();
    if (outcome.outcome === "invalid") throw invalidRequest(outcome.errors);
    ctx.status = 202;
    ctx.body = { since: outcome.since.toISOString() };
    return;
  }
  if (ctx.path === "/api/v1/callback/deliveries") {
    only("GET");
    const parsed = parseDeliveryQuery(ctx.query);
    if (parsed.outcome === "invalid") throw invalidQuery(parsed.errors);
    const listed = await listDeliveries(deps, owner, parsed.query);
    ctx.body = { deliveries: listed.items.map(deliveryBody), ...(listed.next ? { next: listed.next } : {}) };
    return;
  }
  const one = /^\/api\/v1\/callback\/deliveries\/([^/]+)(\/resend)?$/.exec(ctx.path);
  if (!one) return next();
  const id = decodePathSegment(one[1] as string) ?? "";
  if (one[2]) {
    only("POST");
    if ((await resendDelivery(deps, owner, id, requester)).outcome === "unknown-delivery")
      throw unknownDelivery();
    ctx.status = 202;
    ctx.body = { deliveryId: id };
    return;
  }
  only("GET");
  const delivery = await findDelivery(deps, owner, id);
  if (!delivery) throw unknownDelivery();
  ctx.body = deliveryBody(delivery);
}

const noCallback = () =>
  new Problem(404, "no-callback", "No callback registered", "Register one with PUT /api/v1/callback.");
const unknownDelivery = () =>
  new Problem(404, "unknown-delivery", "Unknown delivery", "No such callback delivery for this client.");
const invalidQuery = (errors: readonly FieldError[]) =>
  new Problem(400, "invalid-query", "Invalid query", "See errors: every problem found, at once.", { errors });
const invalidRequest = (errors: readonly FieldError[]) =>
  new Problem(400, "invalid-request", "The request has errors", "See errors: every problem found, at once.", {
    errors,
  });

async function callbackRoutes(ctx: Context, deps: CallbackDependencies, owner: Caller): Promise<void> {
  const none = () =>
    new Problem(404, "no-callback", "No callback registered", "Register one with PUT /api/v1/callback.");
  if (ctx.path === "/api/v1/callback/rotate-secret" && ctx.method === "POST") {
    const rotated = await rotateCallbackSecret(deps, owner);
    if (!rotated) throw none();
    ctx.body = {
      url: rotated.endpoint.url,
      secret: rotated.secret,
      previousSecretExpiresAt: rotated.endpoint.previousSecretExpiresAt?.toISOString() ?? null,
    };
    return;
  }
  if (ctx.path !== "/api/v1/callback")
    throw new Problem(405, "method-not-allowed", "Method not allowed", "Use POST.");
  switch (ctx.method) {
    case "PUT": {
      const outcome = await registerCallback(deps, owner, await readJson(ctx, smallJsonBody(16_384)));
      if (outcome.outcome === "registered") {
        ctx.body = { url: outcome.url, secret: outcome.secret };
        return;
      }
      const detail = outcome.outcome === "invalid" ? outcome.detail : outcome.reason;
      throw new Problem(
        400,
        outcome.outcome === "invalid" ? "invalid-request" : "callback-url-refused",
        "Callback URL refused",
        detail,
        {
          errors: [
            {
              code: outcome.outcome === "invalid" ? "missing-field" : "refused-url",
              pointer: "/url",
              detail,
            },
          ],
        },
      );
    }
    case "GET": {
      const endpoint = await deps.store.find(owner);
      if (!endpoint) throw none();
      ctx.body = {
        url: endpoint.url,
        createdAt: endpoint.createdAt.toISOString(),
        updatedAt: endpoint.updatedAt.toISOString(),
        previousSecretExpiresAt: endpoint.previousSecretExpiresAt?.toISOString() ?? null,
      };
      return;
    }
    case "DELETE":
      if (!(await deps.store.remove(owner))) throw none();
      ctx.status = 204;
      return;
    default:
      throw new Problem(405, "method-not-allowed", "Method not allowed", "Use PUT, GET or DELETE.");
  }
}

const SUBMISSION_ID = /^sub_[0-9A-Z]{26}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL_CHARACTER = /[\u0000-\u001F\u007F]/;

/** A percent-decoded path segment, or undefined when its escapes are malformed (never a 500). */
function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function queryFilename(ctx: Context): string | undefined {
  const { filename } = ctx.query;
  return typeof filename === "string" ? filename : undefined;
}

function answerUpload(ctx: Context, outcome: UploadOutcome): void {
  switch (outcome.outcome) {
    case "stored":
      ctx.status = 201;
      ctx.body = outcome.file;
      return;
    case "unsupported-type":
      throw new Problem(
        415,
        "unsupported-media-type",
        "Unsupported media type",
        `${outcome.mimeType || "No Content-Type"} is not an allowed document type.`,
      );
    case "missing-filename":
      throw new Problem(
        400,
        "missing-filename",
        "File name missing",
        "Name the file: Content-Disposition: attachment; filename*=UTF-8''<name>.",
        {
          errors: [{ code: "missing-filename", pointer: "", detail: "No usable file name." }],
        },
      );
    case "too-large":
      // What is left of the body unread is drained, and the connection closed, by closeAfterUnreadBody.
      throw new Problem(
        413,
        "file-too-large",
        "File too large",
        `A file may be at most ${outcome.limitBytes} bytes.`,
      );
    case "empty":
      throw new Problem(400, "empty-file", "Empty file", "The file has no content.", {
        errors: [{ code: "empty-content", pointer: "", detail: "The file is empty." }],
      });
  }
}

function answerSubmission(ctx: Context, outcome: SubmitOutcome): void {
  switch (outcome.outcome) {
    case "accepted": {
      const statusUrl = `/api/v1/submissions/${outcome.id}`;
      ctx.status = 202;
      ctx.set("Location", statusUrl);
      ctx.body = { id: outcome.id, status: "RECEIVED", statusUrl };
      return;
    }
    case "invalid":
      throw new Problem(
        400,
        "invalid-request",
        "The request has errors",
        "See errors: every problem found, at once.",
        {
          errors: outcome.errors,
        },
      );
    case "unknown-integration":
      throw new Problem(
        404,
        "unknown-integration",
        "Unknown integration",
        `No integration ${outcome.integrationId} for this client.`,
      );
    case "integration-deactivated":
      throw new Problem(
        422,
        "integration-deactivated",
        "Integration deactivated",
        `Integration ${outcome.integrationId} is deactivated.`,
      );
    case "conflict":
      throw new Problem(
        409,
        "source-instance-conflict",
        "Already submitted with another body",
        `sourceInstanceId was used by submission ${outcome.existingId} with a different body.`,
        {
          members: { existingId: outcome.existingId },
        },
      );
    case "unknown-case":
      throw new Problem(
        404,
        "unknown-case",
        "Unknown case",
        `No case submission ${outcome.caseRef} of this source application.`,
      );
    case "invalid-case-ref":
      throw new Problem(
        400,
        "invalid-case-ref",
        "Invalid case reference",
        "caseRef is a case number (2026/123, URL-encoded as 2026%2F123) or the id of a case submission.",
        {
          errors: [
            {
              code: "invalid-case-ref",
              pointer: "",
              detail: `${outcome.caseRef} is neither a case number nor a submission id.`,
            },
          ],
        },
      );
    case "in-flight":
      throw new Problem(
        409,
        "submission-in-flight",
        "Submission in flight",
        `An identical submission (${outcome.existingId}) is still being written; repeat the request.`,
        {
          headers: { "Retry-After": "1" },
          members: { existingId: outcome.existingId },
        },
      );
  }
}

/**
 * The status resource: the ownership and the source system's ids from the intake table, the status from the
 * read model. Read-your-writes: a submission accepted but not projected yet is RECEIVED. `Retry-After` while it
 * is not terminal. Another tenant's or source application's submission is 404, never 403.
 */
function answerStatus(ctx: Context, polled: PolledSubmission | undefined): void {
  const record = polled?.record;
  if (record?.state !== "accepted") {
    throw new Problem(404, "unknown-submission", "Unknown submission", "No such submission for this client.");
  }
  const { projected } = polled as PolledSubmission;
  // A callback shows once the submission is terminal (and an endpoint applied to it).
  const callback = projected && terminalStatuses.has(projected.status) ? polled?.callback : undefined;
  const received = record.createdAt;
  const status = projected?.status ?? "RECEIVED";
  if (!terminalStatuses.has(status)) ctx.set("Retry-After", POLL_AFTER_SECONDS);
  const resource = renderStatusResource({
    id: record.id,
    integrationId: record.integrationId,
    sourceInstanceId: record.sourceInstanceId,
    kind: record.kind,
    status,
    caseNumber: projected?.caseNumber ?? null,
    journalPostNumbers: projected?.journalPostNumbers ?? [],
    errors: projected?.errors ?? [],
    history: projected?.history.length ? projected.history : [{ status: "RECEIVED", at: received }],
    createdAt: projected?.createdAt ?? received,
    updatedAt: projected?.updatedAt ?? received,
  });
  const iso = (at: Date | null) => at?.toISOString() ?? null;
  ctx.body = {
    ...resource,
    // Additive: how the callback of a terminal status fares; null when no endpoint applied (or not terminal).
    callback: callback
      ? {
          state: callback.state,
          attempts: callback.attempts,
          lastAttemptAt: iso(callback.lastAttemptAt),
          lastStatusCode: callback.lastStatusCode,
          nextAttemptAt: iso(callback.nextAttemptAt),
        }
      : null,
  };
}

/** The request's body as it streams, counting its bytes for the client's upload budget (see rate-limit). */
function counted(ctx: Context): Readable {
  let read = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      read += chunk.length;
      ctx.state[BODY_BYTES_READ] = read;
      done(null, chunk);
    },
  });
  // An aborted request fails the counter too, so whoever reads it sees the failure.
  return pipeline(ctx.req, counter, () => {});
}
