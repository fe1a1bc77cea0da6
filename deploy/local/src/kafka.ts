import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Logger } from "@flyt/logging";
import { Kafka, logLevel } from "kafkajs";
import { exists } from "./files";
import { findJava } from "./java";
import { ensureMavenArtifacts } from "./maven";
import {
  isRunning,
  logTail,
  type ManagedProcess,
  readManaged,
  spawnManaged,
  stopManaged,
} from "./process-control";
import type { InfraSettings } from "./settings";
import { portAnswers, waitFor } from "./wait";

const run = promisify(execFile);
const NAME = "kafka";

/** Ready when the broker answers a metadata request. */
export async function kafkaAnswers(brokers: readonly string[]): Promise<boolean> {
  const admin = new Kafka({
    clientId: "flyt-infra-probe",
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } finally {
    await admin.disconnect();
  }
}

/**
 * A single-node KRaft broker (Apache Kafka 3.9.1 from Maven Central), started unless one of ours already runs.
 * Returns whether this call started it.
 */
export async function ensureLocalKafka(settings: InfraSettings, logger: Logger) {
  const log = logger.child({ component: NAME });
  const brokers = [`127.0.0.1:${settings.kafka.port}`];
  const stateDir = settings.stateDir;

  const existing = await readManaged(stateDir, NAME);
  if (existing && isRunning(existing)) {
    try {
      await waitFor("kafka", () => kafkaAnswers(brokers), {
        timeoutMs: 60_000,
        stillPossible: () => isRunning(existing),
      });
      log.info({ pid: existing.pid, brokers }, "reusing running broker");
      return { brokers, startedHere: false };
    } catch {
      log.warn({ pid: existing.pid }, "running broker never became ready; restarting it");
    }
  }
  await stopManaged(stateDir, NAME);
  if (await portAnswers("127.0.0.1", settings.kafka.port)) {
    throw new Error(
      `port ${settings.kafka.port} is taken by a process that is not ours: stop it, set FLYT_KAFKA_PORT, or point KAFKA_BROKERS at it`,
    );
  }

  const managed = await startKafkaBroker({
    stateDir,
    name: NAME,
    home: join(stateDir, NAME),
    settings,
    properties: (dataDir) => brokerConfig(settings, dataDir),
    ready: () => kafkaAnswers(brokers),
    logger: log,
  });
  log.info({ pid: managed.pid, brokers, log: managed.logFile }, "broker ready");
  return { brokers, startedHere: true };
}

export interface KafkaBrokerOptions {
  /** Where the PID file and `logs/<name>.log` go. */
  readonly stateDir: string;
  readonly name: string;
  /** The broker's own folder: its data, server.properties and cluster id. */
  readonly home: string;
  readonly settings: Pick<InfraSettings, "cacheDir" | "javaHome">;
  /** server.properties, given where the data goes. */
  readonly properties: (dataDir: string) => string;
  /** More arguments to the storage format, e.g. `--add-scram` users for a broker that authenticates. */
  readonly formatArgs?: readonly string[];
  /** True once the broker answers (it gives up after two minutes, with the log's tail). */
  readonly ready: () => Promise<boolean>;
  readonly logger: Logger;
}

/**
 * Starts a single-node KRaft broker from the Kafka jars Maven fetched (formatting its storage the first time) as
 * a tracked background process, and waits until it is ready. The local run's broker is one; tests start brokers
 * of their own configuration with it (a SASL_SSL one, say). Stop it with `stopManaged(stateDir, name)`.
 */
export async function startKafkaBroker(options: KafkaBrokerOptions): Promise<ManagedProcess> {
  const { stateDir, name, home, settings } = options;
  const [jarsDir, java] = await Promise.all([
    ensureMavenArtifacts({ name: "kafka-3.9.1", pom: "kafka/pom.xml" }, settings.cacheDir, options.logger),
    findJava(17, [settings.javaHome]),
  ]);
  const dataDir = join(home, "data");
  await mkdir(dataDir, { recursive: true });
  const serverProperties = join(home, "server.properties");
  const log4jProperties = join(home, "log4j.properties");
  await writeFile(serverProperties, options.properties(dataDir));
  await writeFile(log4jProperties, LOG4J_CONFIG);
  const classpath = `${join(jarsDir, "lib")}/*`;
  const jvmLogging = `-Dlog4j.configuration=file:${log4jProperties}`;

  if (!(await exists(join(dataDir, "meta.properties")))) {
    const clusterId = await clusterIdOf(home);
    await run(java.bin, [
      jvmLogging,
      "-cp",
      classpath,
      "kafka.tools.StorageTool",
      "format",
      `--cluster-id=${clusterId}`,
      `--config=${serverProperties}`,
      "--ignore-formatted",
      ...(options.formatArgs ?? []),
    ]);
  }

  const managed = await spawnManaged({
    stateDir,
    name,
    command: java.bin,
    marker: serverProperties,
    args: [
      "-Xms256m",
      "-Xmx512m",
      "-XX:+UseG1GC",
      "-Djava.awt.headless=true",
      jvmLogging,
      "-cp",
      classpath,
      "kafka.Kafka",
      serverProperties,
    ],
  });
  try {
    await waitFor(name, options.ready, { timeoutMs: 120_000, stillPossible: () => isRunning(managed) });
  } catch (error) {
    const tail = await logTail(managed.logFile);
    await stopManaged(stateDir, name);
    throw new Error(`${(error as Error).message}\n--- ${managed.logFile} ---\n${tail}`, { cause: error });
  }
  return managed;
}

export const stopLocalKafka = (stateDir: string) => stopManaged(stateDir, NAME);

function brokerConfig(settings: InfraSettings, dataDir: string): string {
  const { port, controllerPort } = settings.kafka;
  return `# Written by deploy/local: a single-node KRaft broker for local runs and tests.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${controllerPort}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=${dataDir}
# One broker: internal topics cannot be replicated, or consumers never join a group.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
# Topics are provisioned from the catalogue; nothing may appear by accident.
auto.create.topics.enable=false
num.partitions=3
`;
}

const LOG4J_CONFIG = `log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.request.logger=WARN
`;

/** KRaft needs a cluster id at format time; keep it beside the data so a restart reuses the same one. */
async function clusterIdOf(home: string): Promise<string> {
  const file = join(home, "cluster.id");
  const stored = await readFile(file, "utf8").catch(() => "");
  if (isUsableClusterId(stored.trim())) return stored.trim();
  const id = newClusterId();
  await writeFile(file, id);
  return id;
}

/** 16 random bytes in base64url, as Kafka makes them; never starting with "-", which tools read as an option. */
export function newClusterId(random: () => Buffer = () => randomBytes(16)): string {
  for (;;) {
    const id = random().toString("base64url");
    if (isUsableClusterId(id)) return id;
  }
}

const isUsableClusterId = (id: string) => /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/.test(id);
