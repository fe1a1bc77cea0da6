import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  deployTopics,
  dropDatabase,
  ensureDatabase,
  LOCAL_AUDIENCE,
  registeredClientIds,
  repoRoot,
  seedRegistries,
} from "@flyt/local-infra";
import type { Logger } from "@flyt/logging";
import {
  type RegisteredClient,
  type RunningAuthorizationServer,
  startAuthorizationServer,
} from "@flyt/oauth-server";
import { type ServiceProcess, startServiceProcess, waitForReady } from "@flyt/testing";
import pg from "pg";
import { CallbackReceiver } from "./callback-receiver";
import type { ArchiveRecord } from "./domain/observations";

const run = promisify(execFile);

/** The five services, in the order they start. */
export const SERVICES = [
  "gateway",
  "validation",
  "archive-adapter",
  "status-projection",
  "callback-dispatcher",
];

/** The simulated archive every demo integration writes to. */
const DESTINATION = "demo-simulator";

/** What the simulated archive does when it is slow and lossy (the issue's: 1 s, 5 % errors, 5 % lost answers). */
export const SLOW_LOSSY_ARCHIVE = {
  SIMULATOR_LATENCY_MS: "1000",
  SIMULATOR_ERROR_RATE: "0.05",
  SIMULATOR_UNCERTAIN_RATE: "0.05",
};

export interface ChaosStackOptions {
  readonly kafkaBrokers: readonly string[];
  readonly schemaRegistryUrl: string;
  /** The Postgres server; the run makes its own database on it. */
  readonly postgresUrl: string;
  /** Names the run's topics, consumer groups and database. */
  readonly runId: string;
  /** Keep every service log record (a short run) or not (a long one). */
  readonly keepLogs: boolean;
  readonly logger: Logger;
}

/**
 * The whole system for one chaos run: its own topics, consumer groups and database; the demo county's source
 * applications with OAuth clients and callback endpoints at the run's receiver; the five services as processes of
 * their builds, each of which can be killed and started again.
 */
export class ChaosStack {
  readonly receiver = new CallbackReceiver();
  readonly #services = new Map<string, ServiceProcess>();
  /** Every process each service ran as, killed ones included, for their logs. */
  readonly #processes = new Map<string, ServiceProcess[]>();
  readonly #clients = new Map<string, RegisteredClient>();
  readonly #database: string;
  readonly #namespace: string;
  #databaseUrl = "";
  #oauth: RunningAuthorizationServer | undefined;
  #gatewayPort = "0";

  constructor(private readonly options: ChaosStackOptions) {
    this.#database = `flyt_chaos_${options.runId.replaceAll(/[^a-z0-9]/g, "_")}`;
    this.#namespace = `chaos-${options.runId}`;
  }

  get gatewayUrl(): string {
    return `http://127.0.0.1:${this.#gatewayPort}`;
  }

  get databaseUrl(): string {
    return this.#databaseUrl;
  }

  async start(): Promise<void> {
    const { logger } = this.options;
    this.#databaseUrl = await ensureDatabase(this.options.postgresUrl, this.#database);
    await Promise.all([
      deployTopics(this.options, logger, this.#namespace),
      seedRegistries(this.#databaseUrl, logger),
    ]);
    for (const clientId of await registeredClientIds(this.#databaseUrl, "demo")) {
      this.#clients.set(clientId, { clientId, clientSecret: randomBytes(24).toString("base64url") });
    }
    this.#oauth = await startAuthorizationServer({
      audience: LOCAL_AUDIENCE,
      clients: [...this.#clients.values()],
    });
    await this.receiver.start();
    await Promise.all(SERVICES.map((service) => this.startService(service)));
    // The gateway ready (its tables migrated) before the first request, as a deployment routes only to ready ones;
    // the pipeline takes what Kafka holds for it whenever it is consuming.
    const gateway = this.#services.get("gateway") as ServiceProcess;
    await waitForReady({ baseUrl: gateway.opsBaseUrl }, 120_000);
  }

  /** A source application's access token, as its source system gets one. */
  async tokenFor(application: string): Promise<string> {
    const client = this.#clients.get(`demo-${application}-test`);
    if (!client || !this.#oauth) throw new Error(`no demo client for ${application}`);
    return this.#oauth.tokenFor(client);
  }

  /** Registers the receiver as the application's callback endpoint, as its source system would. */
  async registerCallback(application: string): Promise<void> {
    const res = await fetch(`${this.gatewayUrl}/api/v1/callback`, {
      method: "PUT",
      headers: {
        authorization: `Bearer ${await this.tokenFor(application)}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ url: this.receiver.urlOf(application) }),
    });
    const body = (await res.json()) as { secret?: string };
    if (res.status !== 200 || !body.secret)
      throw new Error(`callback registration of ${application}: ${res.status}`);
    this.receiver.useSecret(application, body.secret);
  }

  /** Starts a service (again): resolves once it has started, not once it consumes. */
  async startService(service: string, extra: Readonly<Record<string, string>> = {}): Promise<void> {
    const started = await startServiceProcess(
      service,
      { ...this.#environment(service), ...extra },
      {
        keepLogRecords: this.options.keepLogs ? "all" : "until-started",
      },
    );
    this.#services.set(service, started);
    this.#processes.set(service, [...(this.#processes.get(service) ?? []), started]);
    if (service === "gateway") this.#gatewayPort = String(started.port);
  }

  /** SIGKILL (a crash) or SIGTERM (a graceful stop). */
  async stopService(service: string, signal: NodeJS.Signals): Promise<void> {
    await this.#services.get(service)?.stop(signal);
  }

  /** What a service logged (a short run keeps it all), for a report of why a check failed. */
  logOf(service: string): readonly Record<string, unknown>[] {
    return (this.#processes.get(service) ?? []).flatMap((process) => process.records);
  }

  /** Declares the simulated archive down, as an operator does (`npm run simulator -- outage`, built). */
  async archiveDown(reason: string): Promise<void> {
    await this.#simulator(["outage", "--destination", DESTINATION, "--seconds", "3600", "--reason", reason]);
  }

  async archiveUp(): Promise<void> {
    await this.#simulator(["outage-end", "--destination", DESTINATION]);
  }

  /** Every case and journal post in the simulated archive, under the external id it was written with. */
  async archiveRecords(): Promise<ArchiveRecord[]> {
    const client = new pg.Client({ connectionString: this.#databaseUrl });
    await client.connect();
    try {
      const cases = await client.query<{ external_id: string; case_number: string }>(
        "select external_id, case_number from simulated_archive_cases where destination_id = $1",
        [DESTINATION],
      );
      const posts = await client.query<{ external_id: string; number: string }>(
        `select p.external_id, p.number from simulated_archive_journal_posts p
         join simulated_archive_cases c on c.system_id = p.case_system_id where c.destination_id = $1`,
        [DESTINATION],
      );
      return [
        ...cases.rows.map((row) => ({
          kind: "case" as const,
          externalId: row.external_id,
          number: row.case_number,
        })),
        ...posts.rows.map((row) => ({
          kind: "journal-post" as const,
          externalId: row.external_id,
          number: row.number,
        })),
      ];
    } finally {
      await client.end();
    }
  }

  /** Stops everything it started and drops its database. */
  async stop(): Promise<void> {
    await Promise.all([...this.#services.values()].map((service) => service.stop("SIGTERM")));
    await this.receiver.stop();
    await this.#oauth?.stop();
    await dropDatabase(this.options.postgresUrl, this.#database).catch(() => undefined);
  }

  #environment(service: string): Record<string, string> {
    const callbacks = { CALLBACK_ALLOW_HTTP: "true", CALLBACK_ALLOWLIST: "127.0.0.1,localhost,::1" };
    const common = {
      KAFKA_BROKERS: this.options.kafkaBrokers.join(","),
      SCHEMA_REGISTRY_URL: this.options.schemaRegistryUrl,
      DATABASE_URL: this.#databaseUrl,
      FLYT_TOPIC_NAMESPACE: this.#namespace,
    };
    const oauth = this.#oauth as RunningAuthorizationServer;
    const perService: Record<string, Record<string, string>> = {
      gateway: {
        // Its port stays the same across restarts: the source systems keep one URL.
        HTTP_PORT: this.#gatewayPort,
        OPS_PORT: "0",
        FLYT_ENVIRONMENT: "test",
        OAUTH_ISSUER: oauth.issuer,
        OAUTH_AUDIENCE: LOCAL_AUDIENCE,
        OAUTH_JWKS_URI: oauth.jwksUri,
        // The load is the harness's, polling included: the per-client limit is not under test here.
        RATE_LIMIT_BURST: "1000",
        RATE_LIMIT_PER_SECOND: "500",
        ...callbacks,
      },
      // Long enough for every fault of the run, short enough that a submission nobody finishes shows as FAILED.
      "archive-adapter": { HTTP_PORT: "0", ARCHIVE_RETRY_BUDGET_MS: "90000" },
      // The product's schedule waits 5 min after the second failure; a run of minutes needs its retries sooner.
      "callback-dispatcher": {
        HTTP_PORT: "0",
        CALLBACK_RETRY_SCHEDULE: "1s,2s,5s,10s,10s,20s,30s,60s",
        ...callbacks,
      },
    };
    return { ...common, HTTP_PORT: "0", ...perService[service] };
  }

  async #simulator(args: readonly string[]): Promise<void> {
    await run(process.execPath, [join(repoRoot, "services/archive-adapter/dist/simulator.js"), ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "", DATABASE_URL: this.#databaseUrl },
    });
  }
}
