import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { repoRoot } from "@flyt/local-infra";
import type { Logger } from "@flyt/logging";
import { ChaosStack, SERVICES, SLOW_LOSSY_ARCHIVE } from "./chaos-stack";
import { runChecks } from "./domain/checks";
import { SOURCE_APPLICATIONS } from "./domain/load-plan";
import type { FaultWindow, Observations } from "./domain/observations";
import { type Fault, faultName, type Profile } from "./domain/profiles";
import { type ChaosReport, renderMarkdown } from "./domain/report";
import { Load } from "./load";
import { type OwnInfrastructure, startOwnInfrastructure } from "./own-infrastructure";

export interface ChaosRunOptions {
  readonly profile: Profile;
  /** The shared infrastructure (the short profile runs on it, in a namespace and database of its own). */
  readonly shared: {
    readonly kafkaBrokers: readonly string[];
    readonly schemaRegistryUrl: string;
    readonly postgresUrl: string;
  };
  readonly runId: string;
  /** Load kept up after the last fault, beyond the profile's spacing. */
  readonly extraLoadSeconds: number;
  /** The command that ran it, for the report. */
  readonly command: string;
  readonly logger: Logger;
}

export interface ChaosRun {
  readonly report: ChaosReport;
  readonly observations: Observations;
  /** Where the JSON and Markdown reports were written. */
  readonly files: readonly string[];
  /** The services' logs (kept whole by a short run), for reading why a check failed. */
  readonly logs: Readonly<Record<string, readonly Record<string, unknown>[]>>;
}

/**
 * One chaos run: the stack, load at the profile's fixed rate, each fault in turn with the load running, then
 * time to settle; what was observed is checked and reported (JSON and Markdown under `.flyt/chaos/`).
 */
export async function runChaos(options: ChaosRunOptions): Promise<ChaosRun> {
  const { profile, logger } = options;
  const startedAt = new Date();
  const own = profile.ownInfrastructure ? await startOwnInfrastructure(logger) : undefined;
  const infra = own?.infra ?? options.shared;
  const stack = new ChaosStack({ ...infra, runId: options.runId, keepLogs: !own, logger });
  let load: Load | undefined;
  try {
    await stack.start();
    for (const application of SOURCE_APPLICATIONS) await stack.registerCallback(application);
    load = new Load(
      { gatewayUrl: () => stack.gatewayUrl, tokenFor: (app) => stack.tokenFor(app) },
      options.runId,
    );
    const faults: FaultWindow[] = [];
    load.start(profile.actionsPerSecond);
    const loadStartedAt = Date.now();
    await sleep(profile.warmUpSeconds * 1_000);
    for (const fault of profile.faults) {
      logger.info({ fault: faultName(fault) }, "fault");
      faults.push(await inflict(fault, stack, own));
      await sleep(profile.spacingSeconds * 1_000);
    }
    await sleep(options.extraLoadSeconds * 1_000);
    await load.stop();
    const loadEndedAt = Date.now();
    logger.info({ accepted: load.accepted.length }, "load stopped; settling");
    await settle(load, stack, profile.settleSeconds * 1_000);
    const endedAt = Date.now();
    await load.stopPolling();
    const observations: Observations = {
      accepted: load.accepted,
      notAccepted: load.notAccepted,
      copyGroups: load.copyGroups,
      answers: load.answers,
      polls: load.polls,
      finals: await load.finals(),
      callbacks: stack.receiver.received,
      archive: await stack.archiveRecords(),
      faults,
      loadEndedAt,
      endedAt,
    };
    const { checks, recoveries } = runChecks(observations, profile.recovery);
    const byScenario: Record<string, number> = {};
    for (const submission of observations.accepted) {
      byScenario[submission.scenario] = (byScenario[submission.scenario] ?? 0) + 1;
    }
    const loadSeconds = Math.round((loadEndedAt - loadStartedAt) / 1_000);
    const report: ChaosReport = {
      summary: {
        profile: profile.name,
        command: options.command,
        startedAt: startedAt.toISOString(),
        loadSeconds,
        submissionsPerSecond: observations.accepted.length / loadSeconds,
        accepted: observations.accepted.length,
        byScenario,
      },
      checks,
      recoveries,
    };
    const logs = Object.fromEntries(SERVICES.map((service) => [service, stack.logOf(service)]));
    return { report, observations, files: await writeReport(report, observations, logs), logs };
  } finally {
    load?.abort();
    await stack.stop();
    await own?.stop();
  }
}

/** Causes the fault and resolves once it is over (the service, broker or archive back) with when it was. */
async function inflict(
  fault: Fault,
  stack: ChaosStack,
  own: OwnInfrastructure | undefined,
): Promise<FaultWindow> {
  const name = faultName(fault);
  const needOwn = () => {
    if (!own) throw new Error(`${name} needs the run's own infrastructure`);
    return own;
  };
  let startedAt = Date.now();
  switch (fault.kind) {
    case "kill-service":
      await stack.stopService(fault.service, "SIGKILL");
      await stack.startService(fault.service);
      break;
    case "archive-outage":
      await stack.archiveDown("chaos: planned outage");
      // From when it is declared: the declaring tool's own start is no part of the outage.
      startedAt = Date.now();
      await sleep(fault.seconds * 1_000);
      await stack.archiveUp();
      break;
    case "slow-lossy-archive":
      await stack.stopService("archive-adapter", "SIGTERM");
      await stack.startService("archive-adapter", SLOW_LOSSY_ARCHIVE);
      await sleep(fault.seconds * 1_000);
      await stack.stopService("archive-adapter", "SIGTERM");
      await stack.startService("archive-adapter");
      break;
    case "callback-receiver-down":
      await stack.receiver.stop();
      await sleep(fault.seconds * 1_000);
      await stack.receiver.start();
      break;
    case "kill-kafka":
      await needOwn().killKafka();
      break;
    case "kill-registry":
      await needOwn().killRegistry();
      break;
    case "restart-postgres":
      await needOwn().restartPostgres();
      break;
  }
  return { name, startedAt, endedAt: Date.now() };
}

/** Waits until every accepted submission is terminal and called back, or the time is up. */
async function settle(load: Load, stack: ChaosStack, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const calledBack = new Set(stack.receiver.received.map((callback) => callback.body.id));
    if (
      load.accepted.every((submission) => load.terminal.has(submission.id) && calledBack.has(submission.id))
    ) {
      return;
    }
    await sleep(1_000);
  }
}

/** The report as JSON and Markdown, and what it was computed from (to look into a failed check). */
async function writeReport(
  report: ChaosReport,
  observations: Observations,
  logs: ChaosRun["logs"],
): Promise<string[]> {
  const folder = join(repoRoot, ".flyt", "chaos");
  await mkdir(folder, { recursive: true });
  const name = `${report.summary.profile}-${report.summary.startedAt.replaceAll(":", "")}`;
  const files = [
    join(folder, `${name}.json`),
    join(folder, `${name}.md`),
    join(folder, `${name}.observations.json`),
  ];
  await writeFile(files[0] as string, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(files[1] as string, renderMarkdown(report));
  await writeFile(files[2] as string, JSON.stringify(observations));
  for (const [service, records] of Object.entries(logs)) {
    if (records.length === 0) continue;
    const file = join(folder, `${name}.${service}.log`);
    await writeFile(file, records.map((record) => JSON.stringify(record)).join("\n"));
    files.push(file);
  }
  return files;
}
