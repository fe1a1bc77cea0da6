import { TransientError } from "@flyt/errors";
import type { Logger } from "@flyt/logging";
import Koa from "koa";
import { describe, expect, it } from "vitest";
import { problemDetails } from "./problem";

/** A logger that keeps what it was told, by level. */
function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const at =
    (level: string) =>
    (_fields: unknown, message: string): void => {
      lines.push({ level, message });
    };
  const logger = { warn: at("warn"), error: at("error"), info: at("info") } as unknown as Logger;
  return { logger, lines };
}

/** Runs one request through the problem middleware with `failure` thrown below it; the answer and the log. */
async function answerTo(failure: unknown) {
  const { logger, lines } = recordingLogger();
  const app = new Koa();
  app.use(problemDetails(logger));
  app.use(() => {
    throw failure;
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  try {
    const { port } = server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/submissions`, { method: "POST" });
    return {
      status: res.status,
      retryAfter: res.headers.get("retry-after"),
      body: (await res.json()) as { type: string; detail: string },
      lines,
    };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe("problemDetails", () => {
  it("answers a dependency that is away with a 503 that claims nothing about what was taken", async () => {
    const lost = Object.assign(new Error("Connection terminated unexpectedly"), {});
    const answer = await answerTo(lost);
    expect({ status: answer.status, type: answer.body.type, retryAfter: answer.retryAfter }).toEqual({
      status: 503,
      type: "urn:flyt:problem:unavailable",
      retryAfter: "5",
    });
    // The submission may already be published when marking it accepted lost its connection.
    expect(answer.body.detail).not.toMatch(/nothing was accepted/i);
    expect(answer.body.detail).toMatch(/same request again.*Idempotency-Key.*Retry-After/);
  });

  it("logs a dependency away as a warning of its own, and a fault of ours as an error", async () => {
    expect((await answerTo(new TransientError("Kafka did not answer"))).lines).toEqual([
      { level: "warn", message: "dependency unavailable, answered 503" },
    ]);
    expect((await answerTo(new TypeError("Cannot read properties of undefined"))).lines).toEqual([
      { level: "error", message: "request failed" },
    ]);
  });
});
