import { type ConsumedMessage, handlerFor } from "@flyt/kafka";
import type { DestinationCheckReport } from "@flyt/registry";
import type { ArchiveDestination, DestinationCheckRequested } from "@flyt/schemas";
import type { TopicCatalogue } from "@flyt/topics";
import { type ConfigurationToCheck, codesToCheck } from "../domain/codes-to-check";
import type { ArchiveDriver } from "../drivers/archive-driver";
import type { DriverCheck } from "../drivers/destination-check";

export interface CheckDestinationDependencies extends DestinationCheckDependencies {
  readonly topics: Pick<TopicCatalogue, "destinationCheckRequested">;
  /** Whether this deployment serves the destination's archive system (another deployment checks the others). */
  readonly serves: (destination: ArchiveDestination) => boolean;
}

export interface DestinationCheckDependencies {
  readonly driverFor: (destination: ArchiveDestination, tenantId: string) => ArchiveDriver;
  /** The active versions and drafts of the tenant's integrations that archive into the destination. */
  readonly configurations: (
    tenantId: string,
    destinationId: string,
  ) => Promise<readonly ConfigurationToCheck[]>;
  readonly record: (report: Omit<DestinationCheckReport, "finishedAt">) => Promise<void>;
}

/**
 * Runs a connection check of an archive destination: the driver reaches the archive, authenticates, reads its code
 * lists and looks up every code the destination's integrations (active versions and drafts) are configured with;
 * the report is recorded in the registry, where the admin API and CLI read it. Reads only, in the archive.
 */
export function checkDestinationHandler(deps: CheckDestinationDependencies) {
  return handlerFor({
    topic: deps.topics.destinationCheckRequested,
    handle: async (message: ConsumedMessage<DestinationCheckRequested>) => {
      const request = message.value;
      if (!deps.serves(request.destination)) return;
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
  const codes = codesToCheck(await deps.configurations(request.tenantId, request.destination.id));
  const found = await runCheck(() => deps.driverFor(request.destination, request.tenantId), codes);
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

const failed = (detail: string): DriverCheck => ({
  steps: [{ step: "reach", ok: false, detail }],
  unknownCodes: [],
});
