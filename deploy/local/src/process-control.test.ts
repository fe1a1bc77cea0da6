import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isRunning, readManaged, spawnManaged, stopManaged } from "./process-control";
import { repoRoot } from "./settings";
import { waitFor } from "./wait";

/** A long-running stand-in for a broker: node sleeping, with a marker on its command line. */
const sleeper = (marker: string) => ["-e", "setInterval(() => {}, 1000)", "--", marker];

describe("managed processes", () => {
  it("records a detached process, recognises it as ours, and stops it", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "flyt-pc-"));
    const marker = `--flyt-test=${stateDir}`;
    const managed = await spawnManaged({
      stateDir,
      name: "sleeper",
      command: process.execPath,
      args: sleeper(marker),
      marker,
    });
    expect(isRunning(managed)).toBe(true);
    expect(await readManaged(stateDir, "sleeper")).toEqual(managed);

    expect(await stopManaged(stateDir, "sleeper")).toBe(true);
    expect(isRunning(managed)).toBe(false);
    expect(await readManaged(stateDir, "sleeper")).toBeUndefined();
  });

  it("does not take a live process with a reused PID for ours", async () => {
    expect(isRunning({ pid: process.pid, marker: "--not-on-this-command-line" })).toBe(false);
  });

  it("reaper: stops the processes when their owner dies without stopping them", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "flyt-reaper-"));
    const marker = `--flyt-test=${stateDir}`;
    const managed = await spawnManaged({
      stateDir,
      name: "broker",
      command: process.execPath,
      args: sleeper(marker),
      marker,
    });
    const owner = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    const reaperScript = fileURLToPath(new URL("./reaper.ts", import.meta.url));
    const reaper = spawn(
      process.execPath,
      ["--import", "tsx", reaperScript, String(owner.pid), stateDir, "broker"],
      {
        cwd: repoRoot,
        stdio: "ignore",
      },
    );
    const reaperExited = new Promise((resolve) => reaper.once("exit", resolve));
    expect(isRunning(managed)).toBe(true);

    owner.kill("SIGKILL");
    await waitFor("broker stopped by the reaper", async () => !isRunning(managed), { timeoutMs: 20_000 });
    await reaperExited;
    expect(await readManaged(stateDir, "broker")).toBeUndefined();
  });
});
