import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { repoRoot } from "@flyt/local-infra";
import { testInfra } from "./fixtures";

export interface ServiceProcess {
  readonly port: number;
  readonly baseUrl: string;
  /** Where its /metrics and whole readiness are: the ops port when it has one of its own (the gateway's). */
  readonly opsBaseUrl: string;
  readonly pid: number;
  /** Every log record the service has written so far. */
  readonly records: readonly Record<string, unknown>[];
  /** Everything the service has written to stderr so far (its log goes to stdout: this should stay empty). */
  stderr(): string;
  /** Sends the signal and resolves with the exit code once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ServiceProcessOptions {
  /** Keep every log record (default), or only those up to "service started": a long run's log is too big to hold. */
  readonly keepLogRecords?: "all" | "until-started";
}

/**
 * Runs a service's built entry point (`services/<name>/dist/main.js`) as its own process against the test
 * infrastructure, on a free port, and resolves once it has logged "service started".
 */
export async function startServiceProcess(
  service: string,
  env: Readonly<Record<string, string>> = {},
  options: ServiceProcessOptions = {},
): Promise<ServiceProcess> {
  const infra = testInfra();
  const child = spawn(process.execPath, [join(repoRoot, "services", service, "dist", "main.js")], {
    env: {
      PATH: process.env.PATH,
      LOG_LEVEL: "info",
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: "0",
      KAFKA_BROKERS: infra.kafkaBrokers.join(","),
      SCHEMA_REGISTRY_URL: infra.schemaRegistryUrl,
      DATABASE_URL: infra.databaseUrl,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const records: Record<string, unknown>[] = [];
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, "exit").then(([code]) => code as number | null);
  const { port, opsPort } = await new Promise<{ port: number; opsPort: number }>((resolve, reject) => {
    let started = false;
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      if (started && options.keepLogRecords === "until-started") return;
      const record = parseRecord(line);
      records.push(record);
      started ||= record.msg === "service started";
      if (record.msg === "service started")
        resolve({ port: Number(record.port), opsPort: Number(record.opsPort ?? record.port) });
    });
    void exited.then((code) =>
      reject(new Error(`${service} exited with ${code} before it started:\n${stderr}`)),
    );
  });
  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    opsBaseUrl: `http://127.0.0.1:${opsPort}`,
    pid: child.pid as number,
    records,
    stderr: () => stderr,
    stop: (signal = "SIGTERM") => stopChild(child, signal, exited),
  };
}

/**
 * Runs a service's built command (`services/<name>/dist/<command>.js`, e.g. a rebuild) against the test
 * infrastructure to its end; resolves with its exit code and log records.
 */
export async function runServiceCommand(
  service: string,
  command: string,
  env: Readonly<Record<string, string>> = {},
): Promise<{ readonly code: number | null; readonly records: readonly Record<string, unknown>[] }> {
  const infra = testInfra();
  const child = spawn(process.execPath, [join(repoRoot, "services", service, "dist", `${command}.js`)], {
    env: {
      PATH: process.env.PATH,
      LOG_LEVEL: "info",
      KAFKA_BROKERS: infra.kafkaBrokers.join(","),
      SCHEMA_REGISTRY_URL: infra.schemaRegistryUrl,
      DATABASE_URL: infra.databaseUrl,
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const records: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) =>
    records.push(parseRecord(line)),
  );
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, records };
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals, exited: Promise<number | null>) {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  return exited;
}

function parseRecord(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { msg: line };
  }
}

/** Resolves once the service's /readyz answers 200 (it is consuming, for a pipeline service); fails after 30 s. */
export async function waitForReady(
  service: Pick<ServiceProcess, "baseUrl">,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`${service.baseUrl}/readyz`)
      .then(async (res) => {
        await res.arrayBuffer();
        return res.status;
      })
      .catch(() => 0);
    if (status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`${service.baseUrl} not ready after ${timeoutMs} ms (last: ${status})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
