import type { Logger } from "@flyt/logging";
import type { Context, Middleware, Next } from "koa";

/** One field error of a problem body: a stable code, a JSON pointer into the request, and plain English. */
export interface FieldError {
  readonly code: string;
  readonly pointer: string;
  readonly detail: string;
}

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
      const problem = toProblem(error);
      if (problem.status >= 500) logger.error({ err: error, path: ctx.path }, "request failed");
      for (const [name, value] of Object.entries(problem.extra.headers ?? {})) ctx.set(name, value);
      ctx.status = problem.status;
      ctx.type = "application/problem+json";
      ctx.body = {
        type: problemType(problem.code),
        title: problem.title,
        status: problem.status,
        detail: problem.detail,
        instance: ctx.path,
        ...(problem.extra.errors ? { errors: problem.extra.errors } : {}),
      };
    }
  };
}

function toProblem(error: unknown): Problem {
  if (error instanceof Problem) return error;
  const status = (error as { status?: unknown }).status;
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
