import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isRunning, type ManagedProcess, readManaged, spawnManaged, stopManaged } from "./process-control";
import { repoRoot } from "./settings";
import { waitFor } from "./wait";

const sleeper = (marker: string) => ["-e", "setInterval(() => {}, 1000)", "--", marker];
const module = (name: string) => fileURLToPath(new URL(`./${name}.ts`, import.meta.url));

/**
 * What `up` does on Ctrl-C, as a script run in-process by tsx's loader as `npm start` runs it: wait for the signal, then
 * stop what it started one after the other. The stop is held half-way (until the test writes to its stdin) so
 * that more signals arrive during it.
 */
const stopper = (stateDir: string) => `
import { stopManaged } from ${JSON.stringify(module("process-control"))};
import { once, untilStopSignal } from ${JSON.stringify(module("stop-signals"))};
const stopAll = once(async () => {
  console.log("stopping");
  await stopManaged(${JSON.stringify(stateDir)}, "kafka", 5000);
  await new Promise((resolve) => process.stdin.once("data", resolve));
  await stopManaged(${JSON.stringify(stateDir)}, "postgres", 5000);
  console.log("stopped");
});
// What keeps \`up\` alive meanwhile: its servers and watchers.
setInterval(() => {}, 1000);
const signalled = untilStopSignal((signal) => console.log("again " + signal));
console.log("ready");
await signalled;
await Promise.all([stopAll(), stopAll()]);
process.exit(0);
`;

describe("stopping on Ctrl-C", () => {
  it("finishes the stop, once, whatever signals arrive during it", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "flyt-stop-"));
    const marker = `--flyt-test=${stateDir}`;
    const infra = await Promise.all(
      ["kafka", "postgres"].map((name) =>
        spawnManaged({ stateDir, name, command: process.execPath, args: sleeper(marker), marker }),
      ),
    );
    const script = join(stateDir, "up.mts");
    await writeFile(script, stopper(stateDir));
    // A process group of its own, as a terminal's foreground job is: Ctrl-C signals the whole group.
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: repoRoot,
      stdio: ["pipe", "pipe", "inherit"],
      detached: true,
    });
    const ctrlC = (signal: NodeJS.Signals = "SIGINT") => process.kill(-(child.pid as number), signal);
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal })),
    );
    const printed = (line: string) =>
      waitFor(`"${line}" printed`, async () => output.split("\n").includes(line), {
        timeoutMs: 20_000,
        intervalMs: 20,
      });
    try {
      await printed("ready");
      ctrlC();
      await printed("stopping");
      await waitFor("kafka stopped", async () => !isRunning(infra[0] as ManagedProcess), {
        timeoutMs: 10_000,
      });
      // An impatient second Ctrl-C, then a SIGTERM.
      ctrlC();
      await printed("again SIGINT");
      ctrlC("SIGTERM");
      await printed("again SIGTERM");
      child.stdin.write("go on\n");

      expect(await exited).toEqual({ code: 0, signal: null });
      expect(output.split("\n").filter((line) => line === "stopping")).toHaveLength(1);
      expect(output).toContain("stopped");
      for (const managed of infra) expect(isRunning(managed)).toBe(false);
      expect(await readManaged(stateDir, "postgres")).toBeUndefined();
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      for (const managed of infra) await stopManaged(stateDir, managed.name, 5_000);
    }
  });
});
