import type { Context } from "koa";
import { Problem } from "./problem";

/** A path (its named groups are the path's parameters) and the handler of each method it answers. */
export interface Route<H> {
  readonly path: RegExp;
  readonly methods: Readonly<Record<string, H>>;
}

/**
 * The handler for the request and the path's parameters, or undefined when no route's path matches; a path that
 * matches with a method it does not answer is 405 with `Allow`.
 */
export function matchRoute<H>(
  routes: readonly Route<H>[],
  ctx: Context,
): { readonly handler: H; readonly params: Readonly<Record<string, string>> } | undefined {
  for (const { path, methods } of routes) {
    const match = path.exec(ctx.path);
    if (!match?.groups) continue;
    const handler = methods[ctx.method];
    if (!handler) {
      const allowed = Object.keys(methods).join(", ");
      throw new Problem(405, "method-not-allowed", "Method not allowed", `Use ${allowed}.`, {
        headers: { Allow: allowed },
      });
    }
    return { handler, params: match.groups };
  }
  return undefined;
}
