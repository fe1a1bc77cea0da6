import { execFileSync, spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** A background process we started, recorded in `<stateDir>/<name>.pid`. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** A string unique to our instance that appears in its command line, so a reused PID is never mistaken for ours. */
  readonly marker: string;
  readonly logFile: string;
}

export interface SpawnOptions {
  readonly stateDir: string;
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly marker: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Run as another user (Postgres refuses to run as root). */
  readonly uid?: number;
  readonly gid?: number;
}

const pidFile = (stateDir: string, name: string) => join(stateDir, `${name}.pid`);
export const logFileOf = (stateDir: string, name: string) => join(stateDir, "logs", `${name}.log`);

/** Starts a detached process whose output goes to `<stateDir>/logs/<name>.log`, and records its PID. */
export async function spawnManaged(options: SpawnOptions): Promise<ManagedProcess> {
  const logFile = logFileOf(options.stateDir, options.name);
  await mkdir(join(options.stateDir, "logs"), { recursive: true });
  const out = openSync(logFile, "a");
  const child = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ["ignore", out, out],
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  });
  if (child.pid === undefined) {
    const error = await new Promise<Error>((resolve) => child.once("error", resolve));
    throw new Error(`could not start ${options.name}: ${error.message}`);
  }
  child.unref();
  const managed: ManagedProcess = { name: options.name, pid: child.pid, marker: options.marker, logFile };
  await writeFile(pidFile(options.stateDir, options.name), JSON.stringify(managed));
  return managed;
}

export async function readManaged(stateDir: string, name: string): Promise<ManagedProcess | undefined> {
  try {
    return JSON.parse(await readFile(pidFile(stateDir, name), "utf8")) as ManagedProcess;
  } catch {
    return undefined;
  }
}

/** Alive, and still the process we started (its command line carries our marker). */
export function isRunning(managed: Pick<ManagedProcess, "pid" | "marker">): boolean {
  try {
    process.kill(managed.pid, 0);
  } catch {
    return false;
  }
  return commandLine(managed.pid)?.includes(managed.marker) ?? false;
}

function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    try {
      return execFileSync("ps", ["-p", String(pid), "-o", "command="], { encoding: "utf8" });
    } catch {
      return undefined;
    }
  }
}

/**
 * Stops a recorded process: SIGTERM, then SIGKILL if it has not exited within `graceMs`.
 * Only a process that is still ours is signalled; the PID file is removed either way.
 */
export async function stopManaged(stateDir: string, name: string, graceMs = 30_000): Promise<boolean> {
  const managed = await readManaged(stateDir, name);
  if (!managed) return false;
  let stopped = false;
  if (isRunning(managed)) {
    signal(managed.pid, "SIGTERM");
    const deadline = Date.now() + graceMs;
    while (isRunning(managed) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (isRunning(managed)) signal(managed.pid, "SIGKILL");
    while (isRunning(managed)) await new Promise((r) => setTimeout(r, 50));
    stopped = true;
  }
  await rm(pidFile(stateDir, name), { force: true });
  return stopped;
}

function signal(pid: number, name: NodeJS.Signals) {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** The last lines of a log file, for an error message that says why a process did not become ready. */
export async function logTail(file: string, lines = 25): Promise<string> {
  try {
    return (await readFile(file, "utf8")).trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
