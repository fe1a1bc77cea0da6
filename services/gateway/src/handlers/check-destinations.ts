import type { ArchiveDestination, DestinationCheckReport, DestinationChecks } from "@flyt/registry";

export interface DestinationCheckDependencies {
  readonly destinations: (tenantId: string) => Promise<readonly ArchiveDestination[]>;
  readonly checks: Pick<DestinationChecks, "requested" | "find" | "latest">;
  /** Asks the archive adapter serving the destination to check it (through Kafka): it has the credentials. */
  readonly request: (check: {
    readonly checkId: string;
    readonly destination: ArchiveDestination;
    readonly requestedBy: string;
  }) => Promise<void>;
  readonly audit: (
    destination: ArchiveDestination,
    actor: string,
    details: Record<string, unknown>,
  ) => Promise<void>;
  readonly newCheckId: () => string;
  readonly now: () => Date;
}

/** A destination of the tenant with the outcome of its latest check, if it has been checked. */
export interface DestinationOverview extends ArchiveDestination {
  readonly lastCheck: Pick<DestinationCheckReport, "checkId" | "finishedAt" | "passed"> | null;
}

export async function destinationsOf(
  deps: DestinationCheckDependencies,
  tenantId: string,
): Promise<DestinationOverview[]> {
  const destinations = await deps.destinations(tenantId);
  return Promise.all(
    destinations.map(async (destination) => {
      const [last] = await deps.checks.latest(tenantId, destination.id, 1);
      return {
        ...destination,
        lastCheck: last ? { checkId: last.checkId, finishedAt: last.finishedAt, passed: last.passed } : null,
      };
    }),
  );
}

export type RequestCheckOutcome =
  | { readonly outcome: "unknown-destination" }
  | { readonly outcome: "requested"; readonly checkId: string };

/**
 * Asks for a connection check of a destination of the tenant; audited with who asked. The check is recorded as
 * asked for first, so it can be read at once, and read as expired if no archive adapter ever runs it.
 */
export async function requestCheck(
  deps: DestinationCheckDependencies,
  request: { readonly tenantId: string; readonly destinationId: string; readonly actor: string },
): Promise<RequestCheckOutcome> {
  const destination = (await deps.destinations(request.tenantId)).find(
    ({ id }) => id === request.destinationId,
  );
  if (!destination) return { outcome: "unknown-destination" };
  const checkId = deps.newCheckId();
  await deps.checks.requested({
    checkId,
    tenantId: destination.tenantId,
    destinationId: destination.id,
    requestedBy: request.actor,
    requestedAt: deps.now(),
  });
  await deps.request({ checkId, destination, requestedBy: request.actor });
  await deps.audit(destination, request.actor, { checkId });
  return { outcome: "requested", checkId };
}
