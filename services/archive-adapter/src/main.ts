import { TransientError } from "@flyt/errors";
import { migrateFileStore, PostgresFileStore } from "@flyt/file-store";
import { routingHeaders, Semaphore } from "@flyt/kafka";
import { withMigrationLock } from "@flyt/postgres";
import type { ArchiveDestination } from "@flyt/schemas";
import { consumingCheck, startConsuming, startServiceRuntime } from "@flyt/service-runtime";
import { loadArchiveConnections } from "./adapters/archive-connections";
import { migrateArchiveAdapter } from "./adapters/postgres/migrations";
import { ProgressStore } from "./adapters/postgres/progress-store";
import { CircuitBreaker } from "./archiving/circuit-breaker";
import { guardedDriver } from "./archiving/guarded-driver";
import { loadConfig } from "./config";
import type { ArchiveDriver } from "./drivers/archive-driver";
import { createFintDriver } from "./drivers/fint/fint-driver";
import { createNoark5Driver } from "./drivers/noark5/noark5-driver";
import { SimulatedArchive, wellBehaved } from "./drivers/simulator/simulated-archive";
import { archiveValidatedHandler } from "./handlers/archive-validated";

const config = loadConfig();
const consuming = consumingCheck();
const runtime = await startServiceRuntime("archive-adapter", config, [consuming]);
const { db, producer, topics, logger } = runtime;
const fileStore = new PostgresFileStore(db);
const progress = new ProgressStore(db, config.archive.leaseMs);
const connections = await loadArchiveConnections(config.archive.connectionsFile);

/** One driver per destination, each behind its own concurrency limit and circuit breaker. */
const drivers = new Map<string, ArchiveDriver>();
function driverFor(destination: ArchiveDestination): ArchiveDriver {
  let driver = drivers.get(destination.id);
  if (!driver) {
    driver = guardedDriver(
      connect(destination),
      new Semaphore(config.archive.concurrencyPerDestination),
      new CircuitBreaker(destination.id, config.archive.circuit),
    );
    drivers.set(destination.id, driver);
    logger.info({ destination }, "archive destination connected");
  }
  return driver;
}

function connect(destination: ArchiveDestination): ArchiveDriver {
  if (destination.driver === "SIMULATOR") {
    const { misbehavingDestinations, ...behaviour } = config.simulator;
    const misbehaves =
      misbehavingDestinations.length === 0 || misbehavingDestinations.includes(destination.id);
    return new SimulatedArchive(db, destination.id, misbehaves ? behaviour : wellBehaved);
  }
  const connection = connections[destination.id];
  // Waits (retried, then failed when the budget is spent) rather than failing at once: an operator can add it.
  if (connection?.driver !== destination.driver) {
    throw new NotConnectedError(`no ${destination.driver} connection for destination ${destination.id}`);
  }
  switch (connection.driver) {
    case "FINT": {
      const { username, password, scope, ...client } = connection.oauth;
      return createFintDriver({
        baseUrl: connection.baseUrl,
        requestTimeoutMs: connection.requestTimeoutMs,
        poll: connection.poll,
        oauth: {
          ...client,
          ...(username && password ? { username, password } : {}),
          ...(scope ? { scope } : {}),
        },
      });
    }
    case "NOARK5": {
      const { scope, ...client } = connection.oauth;
      return createNoark5Driver({
        baseUrl: connection.baseUrl,
        requestTimeoutMs: connection.requestTimeoutMs,
        oauth: { ...client, ...(scope ? { scope } : {}) },
        // Noark 5 takes a file only once its journal post exists; after a restart the bytes come from here.
        contentOf: async (file) => fileStore.content(await tenantOf(destination.id), file.fileId),
      });
    }
  }
}

const tenants = new Map<string, Promise<string>>();
/** The county an archive destination belongs to (the registry's, never changing). */
function tenantOf(destinationId: string): Promise<string> {
  let tenant = tenants.get(destinationId);
  if (!tenant) {
    tenant = db("archive_destinations")
      .where({ id: destinationId })
      .first("tenant_id")
      .then((row?: { tenant_id: string }) => {
        if (!row) throw new NotConnectedError(`destination ${destinationId} is not in the registry`);
        return row.tenant_id;
      });
    tenant.catch(() => tenants.delete(destinationId));
    tenants.set(destinationId, tenant);
  }
  return tenant;
}

/** An archive destination this deployment has no connection settings for. */
class NotConnectedError extends TransientError {}

startConsuming(runtime, {
  service: "archive-adapter",
  config,
  // One consumer group per set of archive systems served: each deployment sees every submission once.
  groupId: `flyt.archive-adapter.${[...config.archive.drivers].sort().join("-").toLowerCase()}`,
  // The file store's tables are read here; whichever service starts first creates them.
  prepare: () =>
    withMigrationLock(db, async () => {
      await migrateFileStore(db);
      await migrateArchiveAdapter(db);
    }),
  handlers: [
    archiveValidatedHandler({
      topics,
      serves: (destination) => config.archive.drivers.includes(destination.driver),
      driverFor,
      progress: {
        start: (submission, destinationId, owner) => progress.start(submission, destinationId, owner),
        save: (saved, options) => progress.save(saved, options),
        renew: (held) => progress.renew(held),
        releaseSearches: (submissionId) => progress.releaseSearches(submissionId),
        searches: {
          claim: (destinationId, criteria, submissionId) =>
            progress.claimSearch(destinationId, criteria, submissionId),
          settle: (destinationId, criteria, archivedCase) =>
            progress.settleSearch(destinationId, criteria, archivedCase),
        },
        caseOfSubmission: (tenantId, submissionId, destinationId) =>
          progress.caseOfSubmission(tenantId, submissionId, destinationId),
      },
      leaseRenewalMs: Math.max(1_000, Math.floor(config.archive.leaseMs / 3)),
      fileContent: (tenantId, fileId) => fileStore.content(tenantId, fileId),
      publish: {
        completed: (key, value, headers) =>
          producer.publish(topics.archiveCompleted, { key, value, headers }),
        failed: (key, value, headers) => producer.publish(topics.archiveFailed, { key, value, headers }),
      },
      retryBudgetMs: config.archive.retryBudgetMs,
      now: () => new Date(),
    }),
  ],
  onConsuming: consuming.markConsuming,
  // A slow archive holds at most its own share of the handlers: the others' submissions go on.
  admissionGroup: (headers) => headers[routingHeaders.destination],
  groupConcurrency: config.archive.concurrencyPerDestination,
});
