import { migrateFileStore, PostgresFileStore } from "@flyt/file-store";
import { routingHeaders } from "@flyt/kafka";
import { batched, withMigrationLock } from "@flyt/postgres";
import { consumingCheck, startConsuming, startServiceRuntime } from "@flyt/service-runtime";
import { ConfigurationVersions } from "./adapters/postgres/configuration-versions";
import { DecisionStore } from "./adapters/postgres/decision-store";
import { migrateValidation } from "./adapters/postgres/migrations";
import { loadConfig } from "./config";
import { SIGNATURE_BYTES } from "./domain/file-signature";
import { validateReceivedHandler } from "./handlers/validate-received";

const config = loadConfig();
const consuming = consumingCheck();
const runtime = await startServiceRuntime("validation", config, [consuming]);
const { db, producer, topics } = runtime;
const fileStore = new PostgresFileStore(db);
const decisionStore = new DecisionStore(db);

startConsuming(runtime, {
  service: "validation",
  config,
  // The file store's tables are read here; whichever service starts first creates them.
  prepare: () =>
    withMigrationLock(db, async () => {
      await migrateFileStore(db);
      await migrateValidation(db);
    }),
  handlers: [
    validateReceivedHandler({
      topics,
      decisions: {
        context: batched((submissions) => decisionStore.contexts(submissions)),
        record: batched((decisions) => decisionStore.record(decisions)),
        referencedCase: (owner, submissionId) => decisionStore.referencedCase(owner, submissionId),
      },
      configurations: new ConfigurationVersions(db),
      files: {
        heads: batched((requests) => fileStore.heads(requests, SIGNATURE_BYTES)),
      },
      publish: {
        validated: (key, value, headers) =>
          producer.publish(topics.submissionValidated, {
            key,
            value,
            headers,
            // Lets the archive adapter bound each archive's share of its work without decoding the message.
            extraHeaders: { [routingHeaders.destination]: value.destination.id },
          }),
        rejected: (key, value, headers) =>
          producer.publish(topics.submissionRejected, { key, value, headers }),
      },
      now: () => new Date(),
    }),
  ],
  onConsuming: consuming.markConsuming,
});
