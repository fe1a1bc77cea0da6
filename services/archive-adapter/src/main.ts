import { migrateFileStore, PostgresFileStore } from "@flyt/file-store";
import { RetryWakeups, routingHeaders } from "@flyt/kafka";
import { withMigrationLock } from "@flyt/postgres";
import { ConfigurationStore, DestinationChecks } from "@flyt/registry";
import { consumingCheck, startConsuming, startServiceRuntime } from "@flyt/service-runtime";
import { loadArchiveConnections } from "./adapters/archive-connections";
import { archiveDrivers, archiveDriversForChecks } from "./adapters/archive-drivers";
import { migrateArchiveAdapter } from "./adapters/postgres/migrations";
import { ProgressStore } from "./adapters/postgres/progress-store";
import { loadConfig } from "./config";
import { archiveValidatedHandler } from "./handlers/archive-validated";
import { checkDestinationHandler } from "./handlers/check-destination";
import { recordResolutionHandler } from "./handlers/record-resolution";

const config = loadConfig();
const consuming = consumingCheck();
const runtime = await startServiceRuntime("archive-adapter", config, [consuming]);
const { db, producer, topics, logger } = runtime;
const fileStore = new PostgresFileStore(db);
const progress = new ProgressStore(db, config.archive.leaseMs);
const connections = await loadArchiveConnections(config.archive.connectionsFile);

// Submissions waiting to be retried go at once when what they wait for is there: their archive, or their case.
const wakeups = new RetryWakeups();
const driverFor = archiveDrivers({
  db,
  config,
  connections,
  fileStore,
  logger,
  onArchiveCallable: (destinationId) => wakeups.wakeGroup(destinationId),
});
const checkDriverFor = archiveDriversForChecks({ db, config, connections, fileStore, logger });
const configurations = new ConfigurationStore(db);
const destinationChecks = new DestinationChecks(db);

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
        submissionState: (submissionId, quietMs) => progress.submissionState(submissionId, quietMs),
        searches: {
          claim: (destinationId, criteria, submissionId) =>
            progress.claimSearch(destinationId, criteria, submissionId),
          settle: (destinationId, criteria, submissionId, archivedCase) =>
            progress.settleSearch(destinationId, criteria, submissionId, archivedCase),
        },
        caseOfSubmission: (owner, submissionId) => progress.caseOfSubmission(owner, submissionId),
        ownCases: {
          hasCaseNumber: (owner, caseNumber) => progress.hasOwnCaseNumber(owner, caseNumber),
          among: (owner, caseNumbers) => progress.ownCaseNumbersAmong(owner, caseNumbers),
        },
        writtenByOthers: {
          cases: (owner, submissionId, caseNumbers) =>
            progress.casesCreatedByOthers(owner, submissionId, caseNumbers),
          journalPosts: (owner, submissionId, caseNumber, numbers) =>
            progress.journalPostsAddedByOthers(owner, submissionId, caseNumber, numbers),
        },
      },
      leaseRenewalMs: Math.max(1_000, Math.floor(config.archive.leaseMs / 3)),
      fileContent: (owner, fileId) => fileStore.content(owner, fileId),
      publish: {
        progressed: (key, value, headers) =>
          producer.publish(topics.archiveProgressed, { key, value, headers }),
        completed: (key, value, headers) =>
          producer.publish(topics.archiveCompleted, { key, value, headers }),
        failed: (key, value, headers) => producer.publish(topics.archiveFailed, { key, value, headers }),
      },
      retryBudgetMs: config.archive.retryBudgetMs,
      wakeKey: (key) => wakeups.wakeKey(key),
      now: () => new Date(),
    }),
    checkDestinationHandler({
      topics,
      serves: (destination) => config.archive.drivers.includes(destination.driver),
      driverFor: checkDriverFor,
      deadlineMs: config.archive.checkTimeoutMs,
      now: () => new Date(),
      configurations: (tenantId, destinationId) => configurations.usingDestination(tenantId, destinationId),
      record: (report) => destinationChecks.record(report),
    }),
    recordResolutionHandler({
      topics,
      progress: {
        recordResolution: (submissionId, caseNumber) => progress.recordResolution(submissionId, caseNumber),
      },
    }),
  ],
  onConsuming: consuming.markConsuming,
  // A slow archive holds at most its own share of the handlers: the others' submissions go on.
  admissionGroup: (headers) => headers[routingHeaders.destination],
  groupConcurrency: config.archive.concurrencyPerDestination,
  wakeups,
});
