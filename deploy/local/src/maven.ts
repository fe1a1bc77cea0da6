import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Logger } from "@flyt/logging";
import { exists } from "./files";
import { repoRoot } from "./settings";

const run = promisify(execFile);

export interface MavenFetch {
  /** Folder name prefix under the cache, e.g. `kafka`. */
  readonly name: string;
  /** The pom under deploy/local/maven whose dependencies are fetched. */
  readonly pom: string;
  /** Turns the downloaded files in `dir` into the runnable layout (e.g. unpacks an archive). */
  readonly prepare?: (dir: string) => Promise<void>;
}

/**
 * Fetches a pom's dependencies with Maven into `<cacheDir>/<name>-<pom hash>` once. Maven keeps its own
 * repository (~/.m2) too, so even a fresh cache folder downloads nothing that was fetched before.
 * The folder appears only when complete, so an interrupted fetch is simply redone.
 */
export async function ensureMavenArtifacts(
  fetch: MavenFetch,
  cacheDir: string,
  logger: Logger,
): Promise<string> {
  const pomPath = join(repoRoot, "deploy", "local", "maven", fetch.pom);
  const hash = createHash("sha256")
    .update(await readFile(pomPath))
    .digest("hex")
    .slice(0, 12);
  const dir = join(cacheDir, `${fetch.name}-${hash}`);
  if (await exists(join(dir, ".complete"))) return dir;

  const staging = `${dir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  logger.info({ artifact: fetch.name, dir }, "fetching from Maven Central (first run only)");
  try {
    await run(
      "mvn",
      [
        "-B",
        "-q",
        "-f",
        pomPath,
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        `-DoutputDirectory=${join(staging, "lib")}`,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const output = (error as { stdout?: string }).stdout ?? "";
    throw new Error(`mvn could not fetch ${fetch.name}:\n${output.slice(-4000)}`, { cause: error });
  }
  await fetch.prepare?.(staging);
  await writeFile(join(staging, ".complete"), new Date().toISOString());
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
  return dir;
}

/** Unpacks the single tar.gz that Maven copied into `<dir>/lib` to `<dir>/app`, then drops the archive. */
export async function unpackArchive(dir: string): Promise<void> {
  const lib = join(dir, "lib");
  const [archive] = (await readdir(lib)).filter((file) => file.endsWith(".tar.gz"));
  if (!archive) throw new Error(`no .tar.gz in ${lib}`);
  await mkdir(join(dir, "app"));
  await run("tar", ["-xzf", join(lib, archive), "-C", join(dir, "app")]);
  await rm(lib, { recursive: true });
}
