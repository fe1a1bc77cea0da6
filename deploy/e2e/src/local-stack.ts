import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DEMO_END,
  DEMO_START,
  dropDatabase,
  localServices,
  readManaged,
  repoRoot,
  servicePort,
  serviceProcessName,
} from "@flyt/local-infra";

export interface LocalStackOptions {
  readonly kafkaBrokers: readonly string[];
  readonly schemaRegistryUrl: string;
  /** The Postgres server; the stack makes its own database on it. */
  readonly postgresUrl: string;
  /** Names the run's topics, consumer groups and database. */
  readonly runId: string;
  /** Added to every port of the stack, so it runs beside a developer's `npm start`. */
  readonly portOffset: number;
  /** `FLYT_LOCAL_<SERVICE>__<VARIABLE>` settings for the services. */
  readonly serviceSettings?: Readonly<Record<string, string>>;
}

export interface LocalStack {
  /** The run's own database. */
  readonly databaseUrl: string;
  /** Everything the run command printed so far. */
  readonly output: () => string;
  /** The demo session it printed, to paste into bash. */
  readonly demo: () => string;
  readonly gatewayUrl: string;
  readonly tokenEndpoint: string;
  /** A printed demo client's secret. */
  secretOf(clientId: string): string;
  /** The services' process ids, by service name. */
  pids(): Promise<Record<string, number>>;
  /** Ctrl-C: resolves with the run command's exit code. */
  stop(): Promise<number | null>;
  /** Kills what is left (after a failed test) and drops the run's database. */
  cleanUp(): Promise<void>;
}

/**
 * Starts the whole system the way the README's run command does (`deploy/local`'s `up`, once the services are
 * built), over the given infrastructure with a topic namespace, database, state folder and ports of its own,
 * and resolves once it has printed its demo (every service ready).
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const stateDir = await mkdtemp(join(tmpdir(), "flyt-stack-"));
  const database = `flyt_e2e_${options.runId.replaceAll(/[^a-z0-9]/g, "_")}`;
  const oauthPort = 8090 + options.portOffset;
  const stack: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", join(repoRoot, "deploy/local/src/cli.ts"), "up"],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        KAFKA_BROKERS: options.kafkaBrokers.join(","),
        SCHEMA_REGISTRY_URL: options.schemaRegistryUrl,
        DATABASE_URL: options.postgresUrl,
        FLYT_TOPIC_NAMESPACE: `e2e-${options.runId}`,
        FLYT_LOCAL_DATABASE: database,
        FLYT_SERVICE_PORT_OFFSET: String(options.portOffset),
        FLYT_OAUTH_PORT: String(oauthPort),
        FLYT_STATE_DIR: stateDir,
        ...options.serviceSettings,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  stack.stdout?.on("data", collect);
  stack.stderr?.on("data", collect);
  const exited = once(stack, "exit").then(([code]) => code as number | null);
  const cleanUp = async () => {
    if (stack.exitCode === null && stack.signalCode === null) {
      stack.kill("SIGINT");
      await exited;
    }
    await dropDatabase(options.postgresUrl, database).catch(() => undefined);
    await rm(stateDir, { recursive: true, force: true });
  };
  try {
    await Promise.race([
      new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (!output.includes(DEMO_END)) return;
          clearInterval(check);
          resolve();
        }, 100);
      }),
      exited.then((code) => {
        throw new Error(`the stack exited with ${code} before it was up:\n${output}`);
      }),
    ]);
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const databaseUrl = new URL(options.postgresUrl);
  databaseUrl.pathname = `/${database}`;
  return {
    databaseUrl: databaseUrl.toString(),
    output: () => output,
    demo: () => output.slice(output.indexOf(DEMO_START) + DEMO_START.length, output.indexOf(DEMO_END)),
    gatewayUrl: `http://127.0.0.1:${servicePort(localServices[0], options.portOffset)}`,
    tokenEndpoint: `http://127.0.0.1:${oauthPort}/token`,
    secretOf(clientId) {
      const secret = new RegExp(`^\\s+${clientId}\\s+(\\S+)$`, "m").exec(output)?.[1];
      if (!secret) throw new Error(`the run command printed no secret for ${clientId}`);
      return secret;
    },
    async pids() {
      const pids: Record<string, number> = {};
      for (const service of localServices) {
        const managed = await readManaged(stateDir, serviceProcessName(service.name));
        if (managed) pids[service.name] = managed.pid;
      }
      return pids;
    },
    async stop() {
      stack.kill("SIGINT");
      return exited;
    },
    cleanUp,
  };
}

/** A client-credentials access token from the stack's authorization server. */
export async function accessToken(stack: LocalStack, clientId: string): Promise<string> {
  const res = await fetch(stack.tokenEndpoint, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${stack.secretOf(clientId)}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  if (!res.ok) throw new Error(`no token for ${clientId}: ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
