import { isUnavailable } from "@flyt/errors";
import type { Logger } from "@flyt/logging";
import type { Context, Middleware, Next } from "koa";
import { LISTED_ERRORS } from "../../contract/body-limits";

import type { FieldError } from "../../domain/document-rules";

/**
 * An RFC 9457 problem the gateway answers with. `code` is the stable identifier a source system switches on;
 * it becomes the `type` URI. Thrown from anywhere in a request; the problemDetails middleware writes it.
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly extra: {
      readonly errors?: readonly FieldError[];
      readonly headers?: Record<string, string>;
      /** Extension members of the problem body, e.g. the id of the submission a conflict is with. */
      readonly members?: Record<string, unknown>;
    } = {},
  ) {
    super(detail);
    this.name = "Problem";
  }
}

export const problemType = (code: string) => `urn:flyt:problem:${code}`;

/**
 * The one place errors become HTTP answers: a Problem as it is, any other 4xx (from Koa or a middleware) as a
 * generic problem, anything else as a 500 whose details stay in the log.
 */
export function problemDetails(logger: Logger): Middleware {
  return async function problemDetails(ctx: Context, next: Next) {
    try {
      await next();
    } catch (error) {
      if (clientWentAway(ctx, error)) {
        // Nobody to answer: one line, not a 500 and its stack.
        logClientGone(logger, ctx, error);
        return;
      }
      const problem = toProblem(error);
      // A dependency away is an expected condition the client is told to retry, not a fault of ours.
      if (problem.code === UNAVAILABLE)
        logger.warn({ err: error, path: ctx.path }, "dependency unavailable, answered 503");
      else if (problem.status >= 500) logger.error({ err: error, path: ctx.path }, "request failed");
      for (const [name, value] of Object.entries(problem.extra.headers ?? {})) ctx.set(name, value);
      const errors = problem.extra.errors;
      const moreErrors = errors ? Math.max(0, errors.length - LISTED_ERRORS) : 0;
      ctx.status = problem.status;
      ctx.type = "application/problem+json";
      ctx.body = {
        type: problemType(problem.code),
        title: problem.title,
        status: problem.status,
        detail:
          moreErrors > 0
            ? `${problem.detail} The first ${LISTED_ERRORS} are listed; moreErrors counts the rest.`
            : problem.detail,
        instance: ctx.path,
        ...problem.extra.members,
        ...(errors ? { errors: errors.slice(0, LISTED_ERRORS) } : {}),
        ...(moreErrors > 0 ? { moreErrors } : {}),
      };
    }
  };
}

/**
 * Koa's `error` event: what went wrong where no answer could carry it, mostly a client that went away mid-request
 * (Koa's own handler would print the stack to stderr). One structured line instead.
 */
export function unansweredError(logger: Logger): (error: Error, ctx?: Context) => void {
  return (error, ctx) => {
    // Koa reports here what happened to the connection (its socket's errors), never a middleware's error.
    if (ctx && connectionLost(error)) logClientGone(logger, ctx, error);
    else logger.error({ ...(ctx ? requestFields(ctx, error) : {}), err: error }, "request failed unanswered");
  };
}

// Both the request's stream and its socket report a client that left: one line per request.
const reported = new WeakSet<object>();

function logClientGone(logger: Logger, ctx: Context, error: unknown): void {
  if (reported.has(ctx.req)) return;
  reported.add(ctx.req);
  logger.info(requestFields(ctx, error), "client went away before the answer");
}

const CONNECTION_LOST = new Set(["ECONNRESET", "ECONNABORTED", "EPIPE", "ERR_STREAM_PREMATURE_CLOSE"]);

/**
 * An error of a lost connection: the client closed it, or cut its request short (Node's parser reports a body
 * that ends early as `HPE_INVALID_EOF_STATE` on the socket).
 */
function connectionLost(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    (typeof code === "string" && (CONNECTION_LOST.has(code) || code.startsWith("HPE_"))) ||
    message === "aborted"
  );
}

/** The client went away mid-request: a failure of the request's stream, not of ours (nor of a dependency). */
function clientWentAway(ctx: Context, error: unknown): boolean {
  return (
    connectionLost(error) && (ctx.req.destroyed || ctx.res.destroyed || ctx.req.socket?.destroyed === true)
  );
}

/** Who asked what, for a log line about a request (no stack: the client's leaving is not our bug). */
function requestFields(ctx: Context, error: unknown) {
  const state = ctx.state as { caller?: { clientId?: string }; administrator?: { clientId?: string } };
  const { code, message } = error as { code?: unknown; message?: unknown };
  return {
    method: ctx.method,
    path: ctx.path,
    clientId: state.caller?.clientId ?? state.administrator?.clientId,
    correlationId: ctx.get("x-correlation-id") || undefined,
    receivedBytes: ctx.req.socket?.bytesRead,
    errorCode: code,
    reason: message,
  };
}

const UNAVAILABLE = "unavailable";

/**
 * Neutral on purpose: the failure may come after the submission was published (marking it accepted lost its
 * connection), and then it goes on through the pipeline; the same request again answers with it, never a second.
 */
export const UNAVAILABLE_DETAIL =
  "Flyt could not complete the request because a component it depends on is unavailable; send the same request again, with the same Idempotency-Key if it had one, after Retry-After seconds (and back off if this repeats). A repeated submission is never taken twice.";

function toProblem(error: unknown): Problem {
  if (error instanceof Problem) return error;
  const status = (error as { status?: unknown }).status;
  if (isUnavailable(error)) {
    return new Problem(503, UNAVAILABLE, "Service unavailable", UNAVAILABLE_DETAIL, {
      headers: { "Retry-After": "5" },
    });
  }
  if (typeof status === "number" && status >= 400 && status < 500) {
    const message = (error as { expose?: boolean; message?: string }).expose
      ? (error as Error).message
      : "Bad request";
    return new Problem(status, "http-error", "Request refused", message);
  }
  return new Problem(
    500,
    "internal-error",
    "Internal error",
    "Something went wrong on our side; it has been logged.",
  );
}
