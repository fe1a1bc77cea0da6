import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface JavaRuntime {
  readonly bin: string;
  readonly major: number;
}

/**
 * The first Java of at least `minMajor` among: the given homes, `java` on the PATH, then the JDKs installed
 * under /usr/lib/jvm (where Debian and Temurin put them).
 */
export async function findJava(
  minMajor: number,
  preferredHomes: readonly (string | undefined)[],
): Promise<JavaRuntime> {
  const candidates = [
    ...preferredHomes
      .filter((home): home is string => Boolean(home))
      .map((home) => join(home, "bin", "java")),
    "java",
    ...(await installedJdks()),
  ];
  const seen: string[] = [];
  for (const bin of candidates) {
    const major = await javaMajor(bin);
    if (major === undefined) continue;
    seen.push(`${bin} (${major})`);
    if (major >= minMajor) return { bin, major };
  }
  throw new Error(
    `no Java ${minMajor} or newer found (saw: ${seen.join(", ") || "none"}); install one or point FLYT_REGISTRY_JAVA_HOME / JAVA_HOME at it`,
  );
}

async function installedJdks(): Promise<string[]> {
  try {
    const entries = await readdir("/usr/lib/jvm");
    return entries
      .sort()
      .reverse()
      .map((entry) => join("/usr/lib/jvm", entry, "bin", "java"));
  } catch {
    return [];
  }
}

async function javaMajor(bin: string): Promise<number | undefined> {
  try {
    const { stderr } = await run(bin, ["-version"]);
    const match = /version "(\d+)(?:\.(\d+))?/.exec(stderr);
    if (!match) return undefined;
    const first = Number(match[1]);
    return first === 1 ? Number(match[2]) : first;
  } catch {
    return undefined;
  }
}
