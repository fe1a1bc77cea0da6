import { answerEventId } from "@flyt/kafka";
import { batched, withMigrationLock } from "@flyt/postgres";
import { consumingCheck, startConsuming, startServiceRuntime } from "@flyt/service-runtime";
import { migrateStatusReadModel } from "@flyt/status-read-model";
import { heldBackMetrics } from "./adapters/metrics";
import { type PendingCompletion, StatusStore } from "./adapters/postgres/status-store";
import { loadConfig } from "./config";
import { projectStatusHandlers } from "./handlers/project-status";
import { releaseHeldBack } from "./handlers/release-held-back";

/** A completion not published this long after it was recorded is published by the relay. */
const RELAY_AFTER_MS = 10_000;
/** Published completions are kept this long, then forgotten. */
const KEEP_PUBLISHED_MS = 7 * 86_400_000;

const config = loadConfig();
const consuming = consumingCheck();
const runtime = await startServiceRuntime("status-projection", config, [consuming]);
const { db, producer, topics, logger, shutdown, metrics } = runtime;
const store = new StatusStore(db, (terminalEventId) => answerEventId(terminalEventId, "completed"));

async function publishCompletion(completion: PendingCompletion): Promise<void> {
  await producer.publish(topics.submissionCompleted, {
    key: completion.submissionId,
    value: completion.event,
    headers: completion.headers,
  });
  await store.markPublished(completion.eventId);
}

startConsuming(runtime, {
  service: "status-projection",
  config,
  prepare: () => withMigrationLock(db, () => migrateStatusReadModel(db).then(() => undefined)),
  handlers: projectStatusHandlers({
    topics,
    // Events handled at the same time are applied in one transaction.
    apply: batched((incoming) => store.apply(incoming)),
    publishCompletion,
  }),
  onConsuming: () => {
    consuming.markConsuming();
    relay.start();
    sweep.start();
  },
});

/** Publishes completions whose process stopped between recording and publishing them (same event id again). */
const relay = {
  timer: undefined as NodeJS.Timeout | undefined,
  start() {
    this.timer = setInterval(() => {
      void (async () => {
        for (const completion of await store.unpublished(RELAY_AFTER_MS)) await publishCompletion(completion);
        await store.forgetPublished(KEEP_PUBLISHED_MS);
      })().catch((error: unknown) => logger.warn({ err: error }, "completion relay failed; will try again"));
    }, RELAY_AFTER_MS / 2);
  },
};
shutdown.register("completion-relay", () => clearInterval(relay.timer));

/** Shows events held back past their age (a step they follow was lost on the way), and reports how many wait. */
const sweep = {
  timer: undefined as NodeJS.Timeout | undefined,
  start() {
    const deps = {
      store,
      publishCompletion,
      metrics: heldBackMetrics(metrics),
      logger: logger.child({ component: "held-back-sweep" }),
      releaseAfterMs: config.heldBack.releaseAfterMs,
    };
    this.timer = setInterval(() => {
      releaseHeldBack(deps).catch((error: unknown) =>
        logger.warn({ err: error }, "held-back sweep failed; will try again"),
      );
    }, config.heldBack.sweepIntervalMs);
  },
};
shutdown.register("held-back-sweep", () => clearInterval(sweep.timer));
