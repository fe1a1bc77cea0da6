import { mkdir, open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { waitFor } from "./wait";

/**
 * Serialises starts of the local infrastructure across processes (parallel test runs), so two of them never
 * start two brokers on one port. A lock left by a dead process is taken over.
 */
export async function withStartLock<T>(stateDir: string, work: () => Promise<T>): Promise<T> {
  await mkdir(stateDir, { recursive: true });
  const lockFile = join(stateDir, "start.lock");
  await waitFor("start lock", () => tryLock(lockFile), { timeoutMs: 600_000, intervalMs: 200 });
  try {
    return await work();
  } finally {
    await rm(lockFile, { force: true });
  }
}

async function tryLock(lockFile: string): Promise<boolean> {
  try {
    const handle = await open(lockFile, "wx");
    await handle.writeFile(String(process.pid));
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const holder = Number(await readFile(lockFile, "utf8").catch(() => "0"));
    if (holder > 0 && !alive(holder)) await rm(lockFile, { force: true });
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
