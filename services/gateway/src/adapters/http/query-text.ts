import type { Context, Next } from "koa";
import { escapePointer } from "../../contract/bounded-body";
import type { FieldError } from "../../domain/document-rules";
import { Problem } from "./problem";

/**
 * Query parameters are text: a percent-escaped byte sequence that is not UTF-8 (`%ED%A0%80`, an unpaired
 * surrogate; `%FF`) would reach a route as U+FFFD (Koa decodes leniently), so an id could be looked up, or
 * stored, as something other than what was sent. 400 with the parameter named instead.
 */
export async function queryIsText(ctx: Context, next: Next): Promise<void> {
  const errors: FieldError[] = [];
  for (const pair of ctx.querystring ? ctx.querystring.split("&") : []) {
    const equals = pair.indexOf("=");
    const rawName = equals < 0 ? pair : pair.slice(0, equals);
    const name = decoded(rawName);
    if (name === undefined || decoded(equals < 0 ? "" : pair.slice(equals + 1)) === undefined) {
      errors.push({
        code: "invalid-encoding",
        pointer: `/${escapePointer(name ?? rawName)}`,
        detail: "Has percent-escapes that are not UTF-8 text.",
      });
    }
  }
  if (errors.length > 0) {
    throw new Problem(400, "invalid-query", "Invalid query", "See errors: every problem found, at once.", {
      errors,
    });
  }
  await next();
}

/** A query component decoded, or undefined when its escapes are not UTF-8 (a lone `%` stays a `%`). */
function decoded(component: string): string | undefined {
  try {
    return decodeURIComponent(component.replaceAll("+", " ").replace(/%(?![0-9A-Fa-f]{2})/g, "%25"));
  } catch {
    return undefined;
  }
}
