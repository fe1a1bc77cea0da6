import { spawn } from "node:child_process";
import { once } from "node:events";
import { repoRoot } from "@flyt/local-infra";
import { testInfra } from "@flyt/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type LocalStack, startLocalStack } from "./local-stack";

const PORT_OFFSET = 10_000;
const DEMO_TIMEOUT_MS = 110_000;
const infra = testInfra();
let stack: LocalStack;
/** What the demo's submissions should call their source system back with, set once the demo has run. */
const expectedCallbacks = new Map<string, string[]>();

beforeAll(async () => {
  stack = await startLocalStack({
    ...infra,
    runId: infra.runId,
    portOffset: PORT_OFFSET,
    serviceSettings: {
      // An outage FAILS after 3 s instead of a minute; each archive call takes 300 ms, as a real archive's
      // would, so the journal posts are surely sent before their case is archived.
      FLYT_LOCAL_ARCHIVE_ADAPTER__ARCHIVE_RETRY_BUDGET_MS: "3000",
      FLYT_LOCAL_ARCHIVE_ADAPTER__SIMULATOR_LATENCY_MS: "300",
    },
  });
}, 180_000);

afterAll(async () => {
  await stack?.cleanUp();
});

/** Runs the printed demo with bash, as a person pastes it; resolves with every JSON line it printed. */
async function runPrintedDemo(): Promise<Record<string, any>[]> {
  const bash = spawn("bash", ["-c", stack.demo()], {
    cwd: repoRoot,
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  bash.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  bash.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // A demo that hangs (a service down, say) is stopped with the test, not left polling.
  const timer = setTimeout(() => bash.kill("SIGKILL"), DEMO_TIMEOUT_MS);
  const [code] = await once(bash, "exit").finally(() => clearTimeout(timer));
  if (code !== 0) throw new Error(`the demo exited with ${code}:\n${stdout}\n${stderr}`);
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, any>);
}

const statusesOf = (resource: Record<string, any>) =>
  (resource.history as { status: string }[]).map((step) => step.status);
const when = (resource: Record<string, any>, status: string) =>
  new Date(
    (resource.history as { status: string; at: string }[]).find((step) => step.status === status)?.at ?? 0,
  );

describe("the whole stack, started as the README starts it", () => {
  it("archives, rejects, fails in an outage and archives on an operator's retry: the printed demo, run", async () => {
    const printed = await runPrintedDemo();
    expect(printed).toHaveLength(6);
    type Printed = Record<string, any>;
    const [caseResource, posts, rejected, failed, retry, retried] = printed as [
      Printed,
      Printed,
      Printed,
      Printed,
      Printed,
      Printed,
    ];

    // One-step: the case and its journal post, with the archive's numbers.
    expect(caseResource).toMatchObject({ kind: "case", status: "ARCHIVED", errors: [] });
    const caseNumber = caseResource.caseNumber as string;
    expect(caseNumber).toMatch(/^\d{4}\/\d+$/);
    expect(caseResource.journalPostNumbers).toEqual([`${caseNumber}-1`]);
    expect(statusesOf(caseResource)).toEqual(["RECEIVED", "VALIDATED", "ARCHIVING", "ARCHIVED"]);

    // Two-step: sent before the case was archived, added to it after.
    expect(posts).toMatchObject({ kind: "journal-posts", status: "ARCHIVED", caseNumber });
    expect(posts.journalPostNumbers).toEqual([`${caseNumber}-2`]);
    expect(new Date(posts.createdAt).getTime()).toBeLessThan(when(caseResource, "ARCHIVED").getTime());

    // Every error at once, each with a pointer into what was sent.
    expect(rejected.status).toBe("REJECTED");
    expect(
      (rejected.errors as { code: string; pointer: string }[]).map((e) => `${e.code} ${e.pointer}`).sort(),
    ).toEqual([
      "content-does-not-match-type /journalPosts/0/dokumenter/0",
      "missing-correspondent /journalPosts/0/korrespondansepart",
      "missing-required-field /case/klassering",
      "unknown-code /journalPosts/0/journalstatus",
    ]);

    // The archive down: FAILED with its own words; back up, an operator's retry archives it.
    expect(failed).toMatchObject({ status: "FAILED", caseNumber: null });
    expect(failed.errors).toEqual([
      expect.objectContaining({
        code: "archive-unavailable",
        detail: expect.stringContaining("planned maintenance"),
      }),
    ]);
    expect(retry).toMatchObject({ id: failed.id, run: 2, status: "RECEIVED" });
    expect(retried).toMatchObject({ id: failed.id, status: "ARCHIVED", errors: [] });
    expect(retried.caseNumber).toMatch(/^\d{4}\/\d+$/);
    expectedCallbacks.set(caseResource.id, ["submission.archived"]);
    expectedCallbacks.set(posts.id, ["submission.archived"]);
    expectedCallbacks.set(rejected.id, ["submission.rejected"]);
    expectedCallbacks.set(failed.id, ["submission.failed", "submission.archived"]);
    expect(statusesOf(retried)).toEqual([
      "RECEIVED",
      "VALIDATED",
      "ARCHIVING",
      "FAILED",
      "RECEIVED",
      "VALIDATED",
      "ARCHIVING",
      "ARCHIVED",
    ]);
  }, 120_000);

  it("calls the demo client back for each of them, signed: the demo receiver prints what it verified", async () => {
    /** The callback types the demo receiver verified for a submission, in the order they came. */
    const verifiedTypes = (id: string) =>
      stack
        .output()
        .split("\n")
        .filter((line) => line.startsWith("[demo receiver] verified callback") && line.includes(` ${id} `))
        .map((line) => line.split(": ")[1]?.split(" ")[0]);
    expect(expectedCallbacks.size).toBe(4);
    await vi.waitFor(
      () => {
        for (const [id, types] of expectedCallbacks) expect(verifiedTypes(id)).toEqual(types);
      },
      { timeout: 30_000, interval: 250 },
    );
    expect(stack.output()).not.toContain("[demo receiver] refused");
  }, 60_000);

  it("stops everything it started on Ctrl-C", async () => {
    expect(await stack.stop()).toBe(0);
    for (const offsetPort of [8080, 8089, 8091, 8092, 8093, 8094, 8090].map((port) => port + PORT_OFFSET)) {
      await expect(fetch(`http://127.0.0.1:${offsetPort}/livez`)).rejects.toThrow();
    }
  }, 60_000);
});
