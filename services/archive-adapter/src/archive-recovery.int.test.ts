import { createLogger } from "@flyt/logging";
import {
  createTestDatabase,
  type ServiceProcess,
  startServiceProcess,
  testInfra,
  uniqueName,
  waitForReady,
} from "@flyt/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { journalpost, startPipelineHarness, validated } from "../test-support/pipeline-harness";
import { DeclaredOutages } from "./drivers/simulator/declared-outages";

const infra = testInfra();
const logger = createLogger({ service: "archive-recovery-test", level: "info" });
const namespace = uniqueName("recovery");
let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let harness: Awaited<ReturnType<typeof startPipelineHarness>>;
let adapter: ServiceProcess;

beforeAll(async () => {
  scratch = await createTestDatabase();
  harness = await startPipelineHarness({
    namespace,
    databaseUrl: scratch.url,
    kafkaBrokers: infra.kafkaBrokers,
    schemaRegistryUrl: infra.schemaRegistryUrl,
  });
  adapter = await startServiceProcess("archive-adapter", {
    FLYT_TOPIC_NAMESPACE: namespace,
    DATABASE_URL: scratch.url,
    REGISTER_SCHEMAS: "true",
    CONSUMER_SESSION_TIMEOUT_MS: "6000",
  });
  await waitForReady(adapter);
}, 60_000);

afterAll(async () => {
  await adapter?.stop();
  await harness?.stop();
  await scratch?.drop();
});

describe("an archive that comes back after an outage", () => {
  it("archives the backlog that waited for it, each submission once", async () => {
    const destinationId = uniqueName("demo-recovering");
    const outages = new DeclaredOutages(harness.db);
    await outages.declare(destinationId, 3_600_000, "planned maintenance");
    const file = (await harness.storePdf()).reference;
    const backlog = Array.from({ length: 30 }, () =>
      validated({ destinationId, journalPosts: [journalpost(file)] }),
    );
    for (const request of backlog) await harness.publish(request, request.submission.id);
    // Long enough that retry-topic backoff alone would have them wait minutes more: each has been tried six
    // times (three in place, three through the retry topic), so its next backoff is 67.5–135 s.
    const ids = backlog.map((request) => request.submission.id);
    await vi.waitFor(
      async () => {
        const tried = await harness
          .db("archive_progress")
          .whereIn("submission_id", ids)
          .where("attempts", ">=", 6);
        if (tried.length < ids.length) throw new Error(`${tried.length} of ${ids.length} tried six times`);
      },
      { timeout: 150_000, interval: 500 },
    );
    expect(harness.outcomes.filter((outcome) => ids.includes(outcomeId(outcome)))).toEqual([]);

    expect(await outages.end(destinationId)).toBe(1);
    const upAt = Date.now();
    let firstAt: number | undefined;
    await vi.waitFor(
      () => {
        const done = ids.filter((id) => harness.outcomesOf(id).length > 0);
        if (done.length > 0) firstAt ??= Date.now();
        if (done.length < ids.length) throw new Error(`${done.length} of ${ids.length} archived`);
      },
      // Generous: the backlog is archived within seconds of the archive coming back, not after its backoff.
      { timeout: 60_000, interval: 100 },
    );
    // The figures for the record (docs, README): not asserted, the machine may be busy.
    logger.info(
      { firstArchivedMs: (firstAt ?? 0) - upAt, allArchivedMs: Date.now() - upAt, submissions: ids.length },
      "archive up: time to first and to all archived",
    );
    expect(ids.map((id) => harness.outcomesOf(id).map((outcome) => outcome.completed !== undefined))).toEqual(
      ids.map(() => [true]),
    );
    const cases = await harness
      .db("simulated_archive_cases")
      .whereIn("external_id", ids)
      .select("external_id");
    expect(cases.map((row) => row.external_id).sort()).toEqual([...ids].sort());
  }, 240_000);
});

const outcomeId = (outcome: {
  completed?: { submission: { id: string } };
  failed?: { submission: { id: string } };
}) => (outcome.completed ?? outcome.failed)?.submission.id ?? "";
