import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dropDatabase, repoRoot } from "@flyt/local-infra";
import { testInfra, uniqueName } from "@flyt/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The markers `up` prints around its demo session (deploy/local/src/demo-session.ts).
const DEMO_START = "----- demo: paste into bash, from the repository root -----";
const DEMO_END = "----- end of demo -----";
const PORT_OFFSET = 10_000;

const infra = testInfra();
const database = `flyt_e2e_${infra.runId}`;
let stateDir: string;
let stack: ChildProcess;
let exited: Promise<number | null>;
let output = "";

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "flyt-e2e-"));
  // `npm start` is the build, then this: the build is done (turbo builds the services before these tests).
  stack = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "deploy/local/src/cli.ts"), "up"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      KAFKA_BROKERS: infra.kafkaBrokers.join(","),
      SCHEMA_REGISTRY_URL: infra.schemaRegistryUrl,
      DATABASE_URL: infra.postgresUrl,
      // A run of its own beside the other tests and a developer's npm start: topics, groups, database, ports.
      FLYT_TOPIC_NAMESPACE: uniqueName("e2e"),
      FLYT_LOCAL_DATABASE: database,
      FLYT_SERVICE_PORT_OFFSET: String(PORT_OFFSET),
      FLYT_OAUTH_PORT: String(8090 + PORT_OFFSET),
      FLYT_STATE_DIR: stateDir,
      // An outage FAILS after 3 s instead of a minute; each archive call takes 300 ms, as a real archive's
      // would, so the journal posts are surely sent before their case is archived.
      FLYT_LOCAL_ARCHIVE_ADAPTER__ARCHIVE_RETRY_BUDGET_MS: "3000",
      FLYT_LOCAL_ARCHIVE_ADAPTER__SIMULATOR_LATENCY_MS: "300",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  stack.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  stack.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  exited = once(stack, "exit").then(([code]) => code as number | null);
  await Promise.race([
    new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (output.includes(DEMO_END)) {
          clearInterval(check);
          resolve();
        }
      }, 100);
    }),
    exited.then((code) => {
      throw new Error(`the stack exited with ${code} before it was up:\n${output}`);
    }),
  ]);
}, 180_000);

afterAll(async () => {
  if (stack.exitCode === null && stack.signalCode === null) stack.kill("SIGKILL");
  await dropDatabase(infra.postgresUrl, database).catch(() => undefined);
  await rm(stateDir, { recursive: true, force: true });
});

/** Runs the printed demo with bash, as a person pastes it; resolves with every JSON line it printed. */
async function runPrintedDemo(): Promise<Record<string, any>[]> {
  const session = output.slice(output.indexOf(DEMO_START) + DEMO_START.length, output.indexOf(DEMO_END));
  const bash = spawn("bash", ["-c", session], {
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
  const [code] = await once(bash, "exit");
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

  it("stops everything it started on Ctrl-C", async () => {
    stack.kill("SIGINT");
    expect(await exited).toBe(0);
    for (const offsetPort of [8080, 8091, 8092, 8093, 8094, 8090].map((port) => port + PORT_OFFSET)) {
      await expect(fetch(`http://127.0.0.1:${offsetPort}/livez`)).rejects.toThrow();
    }
  }, 60_000);
});
