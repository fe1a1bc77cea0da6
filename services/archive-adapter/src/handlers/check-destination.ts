import { type ConsumedMessage, defaultRetryPolicy, handlerFor, type RetryPolicy } from "@flyt/kafka";
import { checkRequestExpired, type DestinationCheckReport } from "@flyt/registry";
import type { ArchiveDestination, DestinationCheckRequested } from "@flyt/schemas";
import type { TopicCatalogue } from "@flyt/topics";
import { type ConfigurationToCheck, codesToCheck } from "../domain/codes-to-check";
import type { ArchiveDriver } from "../drivers/archive-driver";
import type { DriverCheck } from "../drivers/destination-check";

export interface CheckDestinationDependencies extends DestinationCheckDependencies {
  readonly topics: Pick<TopicCatalogue, "destinationCheckRequested">;
  /** Whether this deployment serves the destination's archive system (another deployment checks the others). */
  readonly serves: (destination: ArchiveDestination) => boolean;
  readonly now: () => Date;
}

export interface DestinationCheckDependencies {
  /**
   * A driver for this check alone (`archiveDriversForChecks`): never the one the destination's submissions go
   * through, so a check holds none of their concurrency slots and no circuit of theirs stops it.
   */
  readonly driverFor: (destination: ArchiveDestination, tenantId: string) => ArchiveDriver;
  /** How long a check may take in all: then it ends, recorded as timed out. */
  readonly deadlineMs: number;
  /** The active versions and drafts of the tenant's integrations that archive into the destination. */
  readonly configurations: (
    tenantId: string,
    destinationId: string,
  ) => Promise<readonly ConfigurationToCheck[]>;
  readonly record: (report: Omit<DestinationCheckReport, "finishedAt">) => Promise<void>;
}

/** Time left after a check's deadline to record its report, before the runner gives up on the handler. */
const RECORDING_MS = 15_000;

/**
 * Runs a connection check of an archive destination: the driver reaches the archive, authenticates, reads its code
 * lists and looks up every code the destination's integrations (active versions and drafts) are configured with;
 * the report is recorded in the registry, where the admin API and CLI read it. Reads only, in the archive.
 *
 * One attempt: whoever asked reads the report within seconds, or asks again. A check never fails its message (it
 * ends as a failed step), so only a report that cannot be recorded goes to the dead letters, never to retries. A
 * request too old to be reported before the admin API reads it as expired is skipped: "expired" stays so.
 */
export function checkDestinationHandler(deps: CheckDestinationDependencies) {
  return handlerFor({
    topic: deps.topics.destinationCheckRequested,
    retry: noRetries,
    timeoutMs: deps.deadlineMs + RECORDING_MS,
    handle: async (message: ConsumedMessage<DestinationCheckRequested>) => {
      const request = message.value;
      if (!deps.serves(request.destination)) return;
      if (checkRequestExpired(request.meta.occurredAt, deps.now(), deps.deadlineMs + RECORDING_MS)) {
        message.logger.warn({ checkId: request.checkId }, "destination check request expired, skipped");
        return;
      }
      await checkDestination(deps, {
        checkId: request.checkId,
        tenantId: request.tenant,
        destination: request.destination,
        requestedBy: request.requestedBy,
        requestedAt: request.meta.occurredAt,
      });
    },
  });
}

/** Checks a destination and records the report (the handler's work, and the connection-check script's). */
export async function checkDestination(
  deps: DestinationCheckDependencies,
  request: {
    readonly checkId: string;
    readonly tenantId: string;
    readonly destination: ArchiveDestination;
    readonly requestedBy: string;
    readonly requestedAt: Date;
  },
): Promise<Omit<DestinationCheckReport, "finishedAt">> {
  const found = await withinDeadline(deps.deadlineMs, async () => {
    const codes = codesToCheck(await deps.configurations(request.tenantId, request.destination.id));
    return runCheck(() => deps.driverFor(request.destination, request.tenantId), codes);
  });
  const report = {
    checkId: request.checkId,
    tenantId: request.tenantId,
    destinationId: request.destination.id,
    requestedBy: request.requestedBy,
    requestedAt: request.requestedAt,
    passed: found.steps.every((step) => step.ok) && found.unknownCodes.length === 0,
    steps: found.steps,
    unknownCodes: found.unknownCodes,
  };
  await deps.record(report);
  return report;
}

/**
 * The driver's check; no connection settings, a driver that cannot check, or a check that broke, is a failed
 * step, not a stuck message.
 */
async function runCheck(
  connect: () => ArchiveDriver,
  codes: Parameters<NonNullable<ArchiveDriver["check"]>>[0],
): Promise<DriverCheck> {
  let driver: ArchiveDriver;
  try {
    driver = connect();
  } catch (error) {
    return failed(
      `Flyt cannot connect to this archive: ${(error as Error).message}. Add the destination to the archive adapter's connections file (ARCHIVE_CONNECTIONS_FILE).`,
    );
  }
  if (!driver.check) {
    return failed("This archive system's driver cannot check a connection yet.");
  }
  try {
    return await driver.check(codes);
  } catch (error) {
    return failed(`The check stopped on an error Flyt did not expect: ${(error as Error).message}`);
  }
}

/**
 * The check, or a timed-out one when it takes longer than `deadlineMs` in all: an archive that answers slowly
 * at every step would otherwise hold the check for the request timeout of each of its many reads.
 */
async function withinDeadline(deadlineMs: number, check: () => Promise<DriverCheck>): Promise<DriverCheck> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<DriverCheck>((resolve) => {
    timer = setTimeout(() => resolve(timedOutCheck(deadlineMs)), deadlineMs);
  });
  const running = check();
  // Past the deadline nobody awaits it: a later failure (the registry read) must not go unhandled.
  running.catch(() => {});
  try {
    return await Promise.race([running, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

const timedOutCheck = (deadlineMs: number): DriverCheck => ({
  steps: [
    {
      step: "deadline",
      ok: false,
      detail: `The check did not finish within ${Math.round(deadlineMs / 1000)} s: the archive, or its login, answers too slowly or not at all. Run it again; if it times out again, ask the county whether the archive is up, and check the network from the archive adapter to it.`,
    },
  ],
  unknownCodes: [],
});

/** The consumer runner's policy for a check request: one attempt, no retry topic. */
const noRetries: RetryPolicy = { ...defaultRetryPolicy, inPlaceAttempts: 1, retryTopicAttempts: 0 };

const failed = (detail: string): DriverCheck => ({
  steps: [{ step: "reach", ok: false, detail }],
  unknownCodes: [],
});
