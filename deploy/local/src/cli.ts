// The local infrastructure and the local run, for people and CI:
//   start | stop | status          Kafka, Apicurio Registry and Postgres as background processes
//   with-infra -- <command...>     run a command with KAFKA_BROKERS, SCHEMA_REGISTRY_URL, DATABASE_URL set
//   up                             the whole system in the foreground; Ctrl-C stops everything it started
import { spawn } from "node:child_process";
import { redactUrlCredentials } from "@flyt/logging";
import { type RegisteredClient, startAuthorizationServer } from "@flyt/oauth-server";
import { createCliLogger } from "./cli-logger";
import { adminCurl, demoAdminClient, demoClientSecrets, LOCAL_AUDIENCE } from "./demo-auth";
import { type DemoReceiver, registerDemoCallback, startDemoReceiver } from "./demo-receiver";
import { DEMO_END, DEMO_START, demoSession } from "./demo-session";
import { stopLocalKafka } from "./kafka";
import { ensureDatabase, stopEmbeddedPostgres } from "./postgres";
import { isRunning, readManaged } from "./process-control";
import { stopLocalRegistry } from "./registry";
import { type Infrastructure, resolveInfrastructure, startReaper } from "./resolver";
import {
  localServices,
  opsPort,
  servicePort,
  serviceProcessName,
  startLocalServices,
  stopLocalServices,
  superviseLocalServices,
} from "./services";
import { loadSettings } from "./settings";
import { once, untilStopSignal } from "./stop-signals";
import type { Supervisor } from "./supervisor";
import { deployTopics, registeredClientIds, seedRegistries } from "./workspace-scripts";

/** How long the local run's archive adapter retries an archive that is down before the submission FAILS. */
const LOCAL_RETRY_BUDGET_MS = 60_000;

const logger = createCliLogger();
const settings = loadSettings();
const [command, ...rest] = process.argv.slice(2);

const commands: Record<string, () => Promise<number>> = {
  start: async () => {
    const infra = await resolveInfrastructure({ settings, logger });
    printInfrastructure(infra);
    console.log("\nStop with: npm run infra:stop");
    return 0;
  },
  stop: async () => {
    await stopLocalServices(settings.stateDir);
    const stopped = {
      registry: await stopLocalRegistry(settings.stateDir),
      kafka: await stopLocalKafka(settings.stateDir),
      postgres: await stopEmbeddedPostgres(settings.stateDir),
    };
    logger.info({ stopped }, "local infrastructure stopped");
    return 0;
  },
  status: async () => {
    const names = ["postgres", "kafka", "registry", ...localServices.map((s) => serviceProcessName(s.name))];
    for (const name of names) {
      const managed = await readManaged(settings.stateDir, name);
      const state = !managed
        ? "not started by us"
        : isRunning(managed)
          ? `running (pid ${managed.pid})`
          : "dead";
      console.log(`${name.padEnd(30)} ${state}${managed ? `  log: ${managed.logFile}` : ""}`);
    }
    return 0;
  },
  "with-infra": async () => {
    const argv = rest[0] === "--" ? rest.slice(1) : rest;
    const [program, ...args] = argv;
    if (!program) throw new Error("usage: with-infra -- <command> [args...]");
    const infra = await resolveInfrastructure({ settings, logger, reapWithOwner: true });
    try {
      return await runChild(program, args, {
        ...process.env,
        KAFKA_BROKERS: infra.kafkaBrokers.join(","),
        SCHEMA_REGISTRY_URL: infra.schemaRegistryUrl,
        DATABASE_URL: infra.postgresUrl,
      });
    } finally {
      await infra.stop();
    }
  },
  up: async () => {
    // From the first signal on, a stop; later ones are only noted, so that the stop finishes. A signal during
    // the start is acted on once the start is over (it has deadlines of its own): nothing is left half-started.
    const signalled = untilStopSignal((signal) =>
      logger.info({ signal }, "already stopping everything this run started; wait for it"),
    );
    const { localRun } = settings;
    const infra = await resolveInfrastructure({ settings, logger, reapWithOwner: true });
    const databaseUrl = await ensureDatabase(infra.postgresUrl, localRun.database);
    await Promise.all([
      deployTopics(infra, logger, localRun.topicNamespace),
      seedRegistries(databaseUrl, logger),
    ]);
    const clients = await demoClientSecrets(
      settings.stateDir,
      await registeredClientIds(databaseUrl, "demo"),
    );
    const adminClient = await demoAdminClient(settings.stateDir);
    const oauth = await startAuthorizationServer({
      port: settings.oauthPort,
      audience: LOCAL_AUDIENCE,
      clients: [...clients, adminClient],
    });
    const reaper = startReaper(
      settings.stateDir,
      localServices.map((s) => serviceProcessName(s.name)),
    );
    let receiver: DemoReceiver | undefined;
    let supervisor: Supervisor | undefined;
    // Once, however many times it is asked for (a failed start, then Ctrl-C; Ctrl-C twice).
    const stopAll = once(async () => {
      await supervisor?.stop();
      await stopLocalServices(settings.stateDir);
      await receiver?.close();
      reaper.kill();
      await oauth.stop();
      await infra.stop();
    });
    const perService: Record<string, Record<string, string>> = {
      // Long enough to see an outage retried, short enough to see it FAIL in the demo.
      "archive-adapter": { ARCHIVE_RETRY_BUDGET_MS: String(LOCAL_RETRY_BUDGET_MS) },
      gateway: {
        FLYT_ENVIRONMENT: "test",
        OAUTH_ISSUER: oauth.issuer,
        OAUTH_AUDIENCE: LOCAL_AUDIENCE,
        OAUTH_JWKS_URI: oauth.jwksUri,
        // A developer receives callbacks on their own machine; private ranges stay refused.
        CALLBACK_ALLOW_HTTP: "true",
        CALLBACK_ALLOWLIST: "127.0.0.1,localhost,::1",
      },
      // The same policy where the callbacks are made: the demo receiver listens on loopback.
      "callback-dispatcher": { CALLBACK_ALLOW_HTTP: "true", CALLBACK_ALLOWLIST: "127.0.0.1,localhost,::1" },
    };
    for (const [service, values] of Object.entries(settings.serviceSettings)) {
      perService[service] = { ...perService[service], ...values };
    }
    const gatewayUrl = `http://127.0.0.1:${servicePort(localServices[0], localRun.portOffset)}`;
    const demoClient = clients.find((candidate) => candidate.clientId === DEMO_CALLBACK_CLIENT);
    const serviceEnvironment = {
      ...infra,
      databaseUrl,
      perService,
      portOffset: localRun.portOffset,
      ...(localRun.topicNamespace ? { topicNamespace: localRun.topicNamespace } : {}),
    };
    try {
      await startLocalServices(settings.stateDir, serviceEnvironment, logger);
      supervisor = superviseLocalServices(settings.stateDir, serviceEnvironment, logger);
      // A source system's callback endpoint, registered through the gateway with its client's token.
      receiver = await startDemoReceiver({
        port: settings.demoReceiverPort + localRun.portOffset,
        print: (line) => console.log(line),
      });
      if (demoClient) {
        receiver.useSecret(
          await registerDemoCallback({
            gatewayUrl,
            token: await oauth.tokenFor(demoClient),
            url: receiver.url,
          }),
        );
      }
    } catch (error) {
      await stopAll();
      throw error;
    }
    printInfrastructure(infra);
    printServices(localRun.portOffset);
    printTryIt({
      gatewayUrl,
      tokenEndpoint: oauth.tokenEndpoint,
      clients,
      admin: adminClient,
      databaseUrl,
      retryBudgetSeconds:
        Number(perService["archive-adapter"]?.ARCHIVE_RETRY_BUDGET_MS ?? LOCAL_RETRY_BUDGET_MS) / 1000,
    });
    console.log(
      `\nCallbacks: ${DEMO_CALLBACK_CLIENT}'s endpoint is the demo receiver at ${receiver.url}; it prints each callback whose signature it verified (try the session above, or POST /api/v1/callback/ping).`,
    );
    await signalled;
    logger.info("stopping services and the infrastructure this run started");
    await stopAll();
    logger.info("everything this run started has stopped");
    return 0;
  },
};

function printInfrastructure(infra: Infrastructure) {
  console.log(`
Flyt local infrastructure
  Kafka brokers     ${infra.kafkaBrokers.join(",")}   (${infra.provenance.kafka})
  Schema registry   ${infra.schemaRegistryUrl}   (${infra.provenance.registry})
  Postgres          ${redactUrlCredentials(infra.postgresUrl)}   (${infra.provenance.postgres})
  State and logs    ${settings.stateDir}`);
}

function printServices(portOffset: number) {
  const gateway = localServices[0];
  console.log(
    `\nFlyt gateway API   http://127.0.0.1:${servicePort(gateway, portOffset)}/api/v1 (and /admin/v1)`,
  );
  console.log("Flyt services' ops ports (health: /livez /readyz, metrics: /metrics)");
  for (const service of localServices) {
    console.log(`  ${service.name.padEnd(20)} http://127.0.0.1:${opsPort(service, portOffset)}/readyz`);
  }
  console.log("\nLogs: .flyt/local/logs/<service>.log   Stop: Ctrl-C");
}

/** The demo client whose callbacks go to the demo receiver (the one the printed session uses). */
const DEMO_CALLBACK_CLIENT = "demo-egrunnerverv-test";

function printTryIt(options: {
  gatewayUrl: string;
  tokenEndpoint: string;
  clients: readonly RegisteredClient[];
  admin: RegisteredClient;
  databaseUrl: string;
  retryBudgetSeconds: number;
}) {
  const { gatewayUrl, tokenEndpoint, clients, admin } = options;
  console.log(`\nLocal OAuth 2.0 server (client credentials): ${tokenEndpoint}`);
  console.log("Demo clients of the demo county (environment: test):");
  for (const client of clients) console.log(`  ${client.clientId.padEnd(30)} ${client.clientSecret}`);
  console.log(`Admin client (role ${admin.roles?.join(", ")}, for /admin/v1):`);
  console.log(`  ${admin.clientId.padEnd(30)} ${admin.clientSecret}`);
  const client = clients.find((candidate) => candidate.clientId === "demo-egrunnerverv-test") ?? clients[0];
  if (client) {
    console.log(
      "\nTry it: a case and journal posts archived, a rejection, an outage and an operator's retry.",
    );
    console.log(`${DEMO_START}\n${demoSession({ ...options, client })}\n${DEMO_END}`);
  }
  console.log(
    "\nThe admin API: the demo county's integrations, their state and active configuration version:\n",
  );
  console.log(adminCurl({ gatewayUrl, tokenEndpoint, client: admin }));
}

function runChild(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: "inherit", env });
    // The terminal sends Ctrl-C to the child too; we only wait for it, then clean up.
    const ignore = () => {};
    process.on("SIGINT", ignore);
    process.on("SIGTERM", () => child.kill("SIGTERM"));
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const run = command ? commands[command] : undefined;
if (!run) {
  console.error(`usage: cli.ts <${Object.keys(commands).join(" | ")}>`);
  process.exit(2);
}
run().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // The message carries the failing process's log tail; the stack adds nothing for the person reading it.
    console.error(`\n${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
