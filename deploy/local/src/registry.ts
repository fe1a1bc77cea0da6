import { join } from "node:path";
import type { Logger } from "@flyt/logging";
import { findJava } from "./java";
import { ensureMavenArtifacts, unpackArchive } from "./maven";
import { ensureDatabase } from "./postgres";
import { isRunning, logTail, readManaged, spawnManaged, stopManaged } from "./process-control";
import type { InfraSettings } from "./settings";
import { portAnswers, waitFor } from "./wait";

const NAME = "registry";
/** Where Apicurio keeps its schemas, on the same Postgres server as everything else. */
const REGISTRY_DATABASE = "flyt_registry";

/** The Confluent-compatible API of Apicurio Registry 3. */
export const confluentApiPath = "/apis/ccompat/v7";

/** Ready when the registry answers its global config through the Confluent-compatible API. */
export async function registryAnswers(registryUrl: string): Promise<boolean> {
  const res = await fetch(`${registryUrl}/config`, { signal: AbortSignal.timeout(2_000) });
  await res.arrayBuffer(); // an unread body keeps its connection busy
  return res.ok;
}

/**
 * Apicurio Registry 3.3 (Quarkus, from Maven Central) storing its schemas in Postgres, started unless one of
 * ours already runs. The global compatibility is set to BACKWARD, as on a Confluent registry.
 */
export async function ensureLocalRegistry(
  settings: InfraSettings,
  postgresServerUrl: string,
  logger: Logger,
) {
  const log = logger.child({ component: NAME });
  const url = `http://127.0.0.1:${settings.registry.port}${confluentApiPath}`;
  const stateDir = settings.stateDir;

  const existing = await readManaged(stateDir, NAME);
  if (existing && isRunning(existing)) {
    try {
      await waitFor("registry", () => registryAnswers(url), {
        timeoutMs: 60_000,
        stillPossible: () => isRunning(existing),
      });
      log.info({ pid: existing.pid, url }, "reusing running registry");
      return { url, startedHere: false };
    } catch {
      log.warn({ pid: existing.pid }, "running registry never became ready; restarting it");
    }
  }
  await stopManaged(stateDir, NAME);
  if (await portAnswers("127.0.0.1", settings.registry.port)) {
    throw new Error(
      `port ${settings.registry.port} is taken by a process that is not ours: stop it, set FLYT_REGISTRY_PORT, or point SCHEMA_REGISTRY_URL at a registry`,
    );
  }

  const [appDir, java, databaseUrl] = await Promise.all([
    ensureMavenArtifacts(
      { name: "apicurio-registry-3.3.3", pom: "apicurio/pom.xml", prepare: unpackArchive },
      settings.cacheDir,
      log,
    ),
    findJava(21, [settings.registry.javaHome, settings.javaHome]),
    ensureDatabase(postgresServerUrl, REGISTRY_DATABASE),
  ]);
  const db = new URL(databaseUrl);
  const marker = `-Dflyt.instance=${join(stateDir, NAME)}`;
  const managed = await spawnManaged({
    stateDir,
    name: NAME,
    command: java.bin,
    marker,
    cwd: join(appDir, "app"),
    // Credentials go through the environment, not the command line that `ps` shows.
    env: {
      ...process.env,
      APICURIO_DATASOURCE_URL: `jdbc:postgresql://${db.host}${db.pathname}`,
      APICURIO_DATASOURCE_USERNAME: decodeURIComponent(db.username) || "postgres",
      APICURIO_DATASOURCE_PASSWORD: decodeURIComponent(db.password),
    },
    args: [
      marker,
      "-Xms128m",
      "-Xmx384m",
      `-Dquarkus.http.port=${settings.registry.port}`,
      "-Dquarkus.http.host=127.0.0.1",
      // Apicurio's build fixes Quarkus' management interface on; keep it on loopback, next to the API port,
      // rather than on 0.0.0.0:9000 where a second instance would collide.
      "-Dquarkus.management.host=127.0.0.1",
      `-Dquarkus.management.port=${settings.registry.port + 1}`,
      "-Dapicurio.storage.kind=sql",
      "-Dapicurio.storage.sql.kind=postgresql",
      "-Dapicurio.datasource.jdbc.initial-size=2",
      "-Dapicurio.datasource.jdbc.min-size=2",
      "-Dapicurio.datasource.jdbc.max-size=10",
      "-jar",
      "quarkus-run.jar",
    ],
  });
  try {
    await waitFor("registry", () => registryAnswers(url), {
      timeoutMs: 120_000,
      stillPossible: () => isRunning(managed),
    });
    // Retried: a first request can meet a connection the registry has just closed.
    await waitFor(
      "registry global compatibility",
      async () => {
        await setGlobalCompatibility(url, "BACKWARD");
        return true;
      },
      { timeoutMs: 30_000, stillPossible: () => isRunning(managed) },
    );
  } catch (error) {
    const tail = await logTail(managed.logFile);
    await stopManaged(stateDir, NAME);
    throw new Error(`${(error as Error).message}\n--- ${managed.logFile} ---\n${tail}`, { cause: error });
  }
  log.info({ pid: managed.pid, url, java: java.bin, log: managed.logFile }, "registry ready");
  return { url, startedHere: true };
}

export const stopLocalRegistry = (stateDir: string) => stopManaged(stateDir, NAME);

/** Sets the registry-wide compatibility (Apicurio starts at NONE; Confluent's default is BACKWARD). */
export async function setGlobalCompatibility(registryUrl: string, level: string): Promise<void> {
  const res = await fetch(`${registryUrl}/config`, {
    method: "PUT",
    headers: { "content-type": "application/vnd.schemaregistry.v1+json" },
    body: JSON.stringify({ compatibility: level }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await res.text(); // read it either way: an unread body keeps its connection busy
  if (!res.ok) throw new Error(`registry refused the global compatibility: ${res.status} ${body}`);
}
