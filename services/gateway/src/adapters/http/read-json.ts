import parse from "co-body";
import type { Context } from "koa";
import { Problem } from "./problem";

/**
 * The request body as JSON: `application/json` only (415 otherwise), at most `limitBytes` (413), and valid
 * JSON (400), each a problem body.
 */
export async function readJson(ctx: Context, limitBytes: number): Promise<unknown> {
  if (!ctx.is("application/json")) {
    throw new Problem(
      415,
      "unsupported-media-type",
      "Unsupported media type",
      "Send the body as Content-Type: application/json.",
    );
  }
  try {
    return await parse.json(ctx.req, { limit: limitBytes, strict: true, encoding: "utf8" });
  } catch (error) {
    const { status, type } = error as { status?: number; type?: string };
    if (status === 413 || type === "entity.too.large") {
      throw new Problem(
        413,
        "body-too-large",
        "Body too large",
        `The body may be at most ${limitBytes} bytes.`,
      );
    }
    if (status === 400) {
      throw new Problem(400, "malformed-json", "Malformed JSON", "The body is not valid JSON.", {
        errors: [{ code: "malformed-json", pointer: "", detail: (error as Error).message }],
      });
    }
    throw error;
  }
}
