import { constants } from "node:fs";
import { type FileHandle, lstat, mkdir, open } from "node:fs/promises";
import { isAbsolute, parse, sep } from "node:path";

/** What `lstat` tells of a path, as far as trusting it goes. */
export interface PathStats {
  readonly uid: number;
  readonly mode: number;
  isDirectory(): boolean;
  isFile(): boolean;
  isSymbolicLink(): boolean;
}

const WRITABLE_BY_OTHERS = 0o022;
const STICKY = 0o1000;

/**
 * What makes a path untrustworthy for root, or undefined: anything but a real directory (or file) owned by one of
 * `owners`, or writable by the group or by everyone, since whoever can write it can put a symbolic link or
 * folder of theirs in the place of what we use next. A sticky folder writable by all (`/tmp`) is allowed as an
 * ancestor only: there, nobody may replace an entry that is not theirs, and the entry below is checked in turn.
 */
export function pathProblem(
  stats: PathStats,
  options: {
    readonly owners: readonly number[];
    readonly kind?: "directory" | "file";
    readonly ancestor?: boolean;
  },
): string | undefined {
  const kind = options.kind ?? "directory";
  if (stats.isSymbolicLink()) return "is a symbolic link";
  if (kind === "directory" ? !stats.isDirectory() : !stats.isFile()) return `is not a ${kind}`;
  if (!options.owners.includes(stats.uid))
    return `is owned by uid ${stats.uid}, not ${options.owners.join(" or ")}`;
  const sticky = (stats.mode & STICKY) !== 0;
  if ((stats.mode & WRITABLE_BY_OTHERS) !== 0 && !(options.ancestor === true && sticky)) {
    return `is writable by others (mode ${(stats.mode & 0o7777).toString(8)})`;
  }
  return undefined;
}

export class UntrustedPathError extends Error {
  constructor(path: string, problem: string) {
    super(
      `refusing ${path}: it ${problem}. Root keeps the embedded Postgres where only root can write; remove or fix it by hand if it is yours.`,
    );
    this.name = "UntrustedPathError";
  }
}

/** Every folder from `/` down to `path` (which must exist) is a real directory only root can change. */
export async function assertTrustedAncestors(path: string): Promise<void> {
  if (!isAbsolute(path)) throw new Error(`not an absolute path: ${path}`);
  const { root } = parse(path);
  const parts = path.slice(root.length).split(sep).filter(Boolean);
  const prefixes = [root, ...parts.map((_, index) => root + parts.slice(0, index + 1).join(sep))];
  for (const prefix of prefixes) {
    const problem = pathProblem(await lstat(prefix), { owners: [0], ancestor: true });
    if (problem) throw new UntrustedPathError(prefix, problem);
  }
}

/**
 * Makes `path` (in a folder already trusted) a real directory owned by `owner` with `mode`, or accepts it if it is
 * one already and belongs to one of `acceptedOwners`; anything else is refused, never repaired. Ownership and mode
 * are set through a descriptor opened without following links, so a link put there meanwhile is not followed.
 */
export async function ensureTrustedDir(
  path: string,
  options: {
    readonly owner: { readonly uid: number; readonly gid: number };
    readonly mode: number;
    readonly acceptedOwners: readonly number[];
  },
): Promise<void> {
  await mkdir(path, { mode: options.mode }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST") throw error;
  });
  const handle = await openNoFollow(path, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    const problem = pathProblem(await handle.stat(), { owners: options.acceptedOwners });
    if (problem) throw new UntrustedPathError(path, problem);
    await handle.chown(options.owner.uid, options.owner.gid);
    await handle.chmod(options.mode);
  } finally {
    await handle.close();
  }
}

/** `path` is a real directory or file owned by root that only root can change. */
export async function assertRootOwned(path: string, kind: "directory" | "file"): Promise<void> {
  const problem = pathProblem(await lstat(path), { owners: [0], kind });
  if (problem) throw new UntrustedPathError(path, problem);
}

/**
 * Writes a new file that nobody else can have put there first (`O_EXCL`, no link followed) and gives it to
 * `owner` through its descriptor.
 */
export async function writeNewFile(
  path: string,
  content: string,
  options: { readonly owner: { readonly uid: number; readonly gid: number }; readonly mode: number },
): Promise<void> {
  const handle = await open(
    path,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    options.mode,
  );
  try {
    await handle.writeFile(content);
    await handle.chown(options.owner.uid, options.owner.gid);
  } finally {
    await handle.close();
  }
}

async function openNoFollow(path: string, flags: number): Promise<FileHandle> {
  try {
    return await open(path, flags | constants.O_NOFOLLOW);
  } catch (error) {
    // A link (ELOOP on Linux, EMLINK on BSD; ENOTDIR when a folder is asked for) or a file: say which.
    if (!["ELOOP", "EMLINK", "ENOTDIR"].includes((error as NodeJS.ErrnoException).code ?? "")) throw error;
    const found = await lstat(path);
    throw new UntrustedPathError(path, found.isSymbolicLink() ? "is a symbolic link" : "is not a directory");
  }
}
