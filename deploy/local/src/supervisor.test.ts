import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@flyt/logging";
import { afterEach, describe, expect, it } from "vitest";
import { isRunning, readManaged, spawnManaged, stopManaged } from "./process-control";
import { type Supervisor, superviseProcesses } from "./supervisor";
import { waitFor } from "./wait";

/** Small stand-ins for services: one that runs until stopped, one that dies at once, every time. */
const steady = (marker: string) => ["-e", "setInterval(() => {}, 1000)", "--", marker];
const crashing = (marker: string) => ["-e", "process.exit(1)", "--", marker];

const backoff = { initialMs: 20, maxMs: 80, stableMs: 60_000 };

interface LogRecord {
  readonly msg: string;
  readonly service?: string;
  readonly restartInMs?: number;
  readonly pid?: number;
}

async function fixture() {
  const stateDir = await mkdtemp(join(tmpdir(), "flyt-supervisor-"));
  const marker = `--flyt-test=${stateDir}`;
  const records: LogRecord[] = [];
  const logger = createLogger({
    service: "supervisor-test",
    level: "info",
    destination: { write: (line: string) => records.push(JSON.parse(line) as LogRecord) },
  });
  const service = (name: string, args: (marker: string) => string[]) => ({
    name,
    start: () => spawnManaged({ stateDir, name, command: process.execPath, args: args(marker), marker }),
  });
  const restartsOf = (name: string) =>
    records.filter((r) => r.service === name && r.msg === "service exited; restarting it");
  const restartedOf = (name: string) =>
    records.filter((r) => r.service === name && r.msg === "service restarted");
  return { stateDir, logger, service, restartsOf, restartedOf };
}

const supervisors: Supervisor[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const supervisor of supervisors.splice(0)) await supervisor.stop();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("superviseProcesses", () => {
  it("restarts a service that keeps dying, ever more slowly and each time logged, and leaves the others be", async () => {
    const { stateDir, logger, service, restartsOf } = await fixture();
    const crasher = service("crasher", crashing);
    const other = service("other", steady);
    const otherProcess = await other.start();
    await crasher.start();
    cleanups.push(() => stopManaged(stateDir, "other", 5_000));
    cleanups.push(() => stopManaged(stateDir, "crasher", 5_000));
    supervisors.push(
      superviseProcesses({ stateDir, processes: [crasher, other], logger, backoff, checkEveryMs: 10 }),
    );

    await waitFor("five restarts", async () => restartsOf("crasher").length >= 5, { timeoutMs: 20_000 });
    expect(
      restartsOf("crasher")
        .slice(0, 5)
        .map((r) => r.restartInMs),
    ).toEqual([20, 40, 80, 80, 80]);
    expect(restartsOf("other")).toEqual([]);
    expect(isRunning(otherProcess)).toBe(true);
    expect(await readManaged(stateDir, "other")).toEqual(otherProcess);
  });

  it("starts the delay over once a restarted service stayed up a while", async () => {
    const { stateDir, logger, service, restartsOf, restartedOf } = await fixture();
    const flaky = service("flaky", steady);
    await flaky.start();
    cleanups.push(() => stopManaged(stateDir, "flaky", 5_000));
    let clock = 0;
    supervisors.push(
      superviseProcesses({
        stateDir,
        processes: [flaky],
        logger,
        backoff,
        checkEveryMs: 10,
        now: () => clock,
      }),
    );
    const killAndAwaitRestart = async (restarts: number) => {
      const managed = await readManaged(stateDir, "flaky");
      process.kill((managed as { pid: number }).pid, "SIGKILL");
      await waitFor("restarted", async () => restartedOf("flaky").length >= restarts, { timeoutMs: 10_000 });
      const restarted = await readManaged(stateDir, "flaky");
      expect(restarted?.pid).not.toBe(managed?.pid);
      expect(isRunning(restarted as NonNullable<typeof restarted>)).toBe(true);
    };

    await killAndAwaitRestart(1);
    await killAndAwaitRestart(2);
    clock += backoff.stableMs;
    await killAndAwaitRestart(3);
    expect(restartsOf("flaky").map((r) => r.restartInMs)).toEqual([20, 40, 20]);
  });

  it("keeps the delay growing while the restart itself keeps failing, however long that goes on", async () => {
    const { stateDir, logger, restartsOf } = await fixture();
    let clock = 0;
    const unstartable = {
      name: "unstartable",
      // Each failed attempt is a third of the stable time later than the one before.
      start: async (): Promise<never> => {
        clock += backoff.stableMs / 3;
        throw new Error("cannot start");
      },
    };
    supervisors.push(
      superviseProcesses({
        stateDir,
        processes: [unstartable],
        logger,
        backoff,
        checkEveryMs: 10,
        now: () => clock,
      }),
    );

    await waitFor("six restarts", async () => restartsOf("unstartable").length >= 6, { timeoutMs: 20_000 });
    expect(
      restartsOf("unstartable")
        .slice(0, 6)
        .map((r) => r.restartInMs),
    ).toEqual([20, 40, 80, 80, 80, 80]);
  });
});
