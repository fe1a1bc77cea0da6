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
import {
  type ArchiveOutcome,
  arkivsak,
  journalpost,
  startPipelineHarness,
  submissionId,
  validated,
} from "../test-support/pipeline-harness";
import { DeclaredOutages } from "./drivers/simulator/declared-outages";

const infra = testInfra();
const logger = createLogger({ service: "archive-recovery-test", level: "info" });
const namespace = uniqueName("recovery");
let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let harness: Awaited<ReturnType<typeof startPipelineHarness>>;
let adapter: ServiceProcess;
// Down from before the adapter first calls them: it reads declared outages at most once a second, so one declared
// just before a submission could go unseen by its first attempt.
const recovering = uniqueName("demo-recovering");
const killed = uniqueName("demo-killed");

beforeAll(async () => {
  scratch = await createTestDatabase();
  harness = await startPipelineHarness({
    namespace,
    databaseUrl: scratch.url,
    kafkaBrokers: infra.kafkaBrokers,
    schemaRegistryUrl: infra.schemaRegistryUrl,
  });
  adapter = await startServiceProcess("archive-adapter", adapterEnv());
  await waitForReady(adapter);
  const outages = new DeclaredOutages(harness.db);
  for (const destinationId of [recovering, killed]) {
    await outages.declare(destinationId, 3_600_000, "planned maintenance");
  }
}, 60_000);

const adapterEnv = (extra: Record<string, string> = {}) => ({
  FLYT_TOPIC_NAMESPACE: namespace,
  DATABASE_URL: scratch.url,
  REGISTER_SCHEMAS: "true",
  CONSUMER_SESSION_TIMEOUT_MS: "6000",
  ...extra,
});

/** Runs `test` against an adapter started with `extra`, in place of the suite's own. */
async function withAdapter(extra: Record<string, string>, test: () => Promise<void>) {
  const other = await startServiceProcess("archive-adapter", adapterEnv(extra));
  await adapter.stop();
  try {
    await waitForReady(other);
    await test();
  } finally {
    await other.stop();
    adapter = await startServiceProcess("archive-adapter", adapterEnv());
    await waitForReady(adapter);
  }
}

afterAll(async () => {
  await adapter?.stop();
  await harness?.stop();
  await scratch?.drop();
});

describe("an archive that comes back after an outage", () => {
  it("archives the backlog that waited for it, each submission once", async () => {
    const destinationId = recovering;
    const outages = new DeclaredOutages(harness.db);
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

describe("an adapter killed while its archive is down", () => {
  it("loses none of the waiting submissions and archives each once when the archive is back", async () => {
    const destinationId = killed;
    const outages = new DeclaredOutages(harness.db);
    const file = (await harness.storePdf()).reference;
    const submissions = () =>
      Array.from({ length: 10 }, () => validated({ destinationId, journalPosts: [journalpost(file)] }));
    const triedThrice = async (ids: readonly string[]) =>
      vi.waitFor(
        async () => {
          const tried = await harness
            .db("archive_progress")
            .whereIn("submission_id", ids)
            .where("attempts", ">=", 3);
          if (tried.length < ids.length) throw new Error(`${tried.length} of ${ids.length} tried thrice`);
        },
        { timeout: 60_000, interval: 200 },
      );
    const waiting = submissions();
    for (const request of waiting) await harness.publish(request, request.submission.id);
    // Tried in place, then waiting in the retry topic when the adapter is killed.
    await triedThrice(waiting.map((request) => request.submission.id));
    await adapter.stop("SIGKILL");
    adapter = await startServiceProcess("archive-adapter", adapterEnv());
    await waitForReady(adapter);
    // Traffic goes on meanwhile.
    const later = submissions();
    for (const request of later) await harness.publish(request, request.submission.id);
    await triedThrice(later.map((request) => request.submission.id));

    expect(await outages.end(destinationId)).toBe(1);
    const ids = [...waiting, ...later].map((request) => request.submission.id);
    await vi.waitFor(
      () => {
        const done = ids.filter((id) => harness.outcomesOf(id).length > 0);
        if (done.length < ids.length) throw new Error(`${done.length} of ${ids.length} archived`);
      },
      { timeout: 90_000, interval: 200 },
    );
    expect(ids.every((id) => harness.outcomesOf(id).every((outcome) => outcome.completed))).toBe(true);
    const cases = await harness
      .db("simulated_archive_cases")
      .whereIn("external_id", ids)
      .select("external_id");
    expect(cases.map((row) => row.external_id).sort()).toEqual([...ids].sort());
    const posts = await harness
      .db("simulated_archive_journal_posts")
      .whereIn(
        "external_id",
        ids.map((id) => `${id}/0`),
      )
      .select("external_id");
    expect(posts).toHaveLength(ids.length);
  }, 240_000);
});

describe("journal posts waiting for a case another submission makes", () => {
  // A budget spent long before the slow archive has made the case: the waiters outlive their own budget.
  const slowArchive = (destinationId: string) => ({
    ARCHIVE_RETRY_BUDGET_MS: "2000",
    SIMULATOR_LATENCY_MS: "3000",
    SIMULATOR_MISBEHAVING_DESTINATIONS: destinationId,
  });

  it("go in once the case is archived, however long it took, also after their own budget", async () => {
    const destinationId = uniqueName("demo-slow");
    await withAdapter(slowArchive(destinationId), async () => {
      const file = (await harness.storePdf()).reference;
      const tittel = `Elevmappe ${submissionId()}`;
      const searching = () =>
        validated({
          destinationId,
          caseMode: "BY_SEARCH_OR_NEW",
          searchCriteria: { arkivdel: "ELEV", tittel },
          case: arkivsak({ tittel, arkivdel: "ELEV" }),
          journalPosts: [journalpost(file)],
        });
      const [holder, waiter] = [searching(), searching()];
      const caseSubmission = validated({ destinationId, journalPosts: [journalpost(file)] });
      const toCase = validated({
        destinationId,
        kind: "JOURNAL_POSTS",
        caseMode: "BY_ID",
        caseRef: caseSubmission.submission.id,
        case: null,
        journalPosts: [journalpost(file)],
      });
      await harness.publish(holder, holder.submission.id);
      await harness.publish(caseSubmission, caseSubmission.submission.id);
      await vi.waitFor(
        () => {
          expect(harness.stagesOf(holder.submission.id)).toEqual(["ARCHIVING"]);
          expect(harness.stagesOf(caseSubmission.submission.id)).toEqual(["ARCHIVING"]);
        },
        { timeout: 20_000, interval: 100 },
      );
      // Keyed on their own, so they do not queue behind the submissions making their cases.
      await harness.publish(waiter, waiter.submission.id);
      await harness.publish(toCase, toCase.submission.id);

      const [held, waited] = await Promise.all([
        outcomeOf(holder.submission.id),
        outcomeOf(waiter.submission.id),
      ]);
      expect(waited.failed).toBeUndefined();
      expect(waited.completed).toMatchObject({ caseNumber: held.completed?.caseNumber, caseCreated: false });
      expect(harness.stagesOf(waiter.submission.id)).toEqual(["WAITING_FOR_CASE", "ARCHIVING"]);

      const [made, added] = await Promise.all([
        outcomeOf(caseSubmission.submission.id),
        outcomeOf(toCase.submission.id),
      ]);
      expect(added.failed).toBeUndefined();
      expect(added.completed?.caseNumber).toBe(made.completed?.caseNumber);
      expect(added.completed?.journalPostNumbers).toEqual([`${made.completed?.caseNumber}-2`]);
    });
  }, 120_000);

  it("fail with their case submission's reason when it fails", async () => {
    const file = (await harness.storePdf()).reference;
    // The archive refuses a case without an archive section.
    const caseSubmission = validated({
      case: arkivsak({ arkivdel: null }),
      journalPosts: [journalpost(file)],
    });
    const toCase = validated({
      kind: "JOURNAL_POSTS",
      caseMode: "BY_ID",
      caseRef: caseSubmission.submission.id,
      case: null,
      journalPosts: [journalpost(file)],
    });
    await harness.publish(caseSubmission, caseSubmission.submission.id);
    await harness.publish(toCase, caseSubmission.submission.id);
    expect((await outcomeOf(caseSubmission.submission.id)).failed).toMatchObject({
      code: "archive-rejected",
    });
    const { failed } = await outcomeOf(toCase.submission.id);
    expect(failed).toMatchObject({ code: "case-not-archived", retriable: false });
    expect(failed?.message).toContain("archive-rejected: arkivdel is required");
  }, 60_000);
});

const outcomeOf = (id: string) => harness.outcomeOf(id, 60_000);

const outcomeId = (outcome: ArchiveOutcome) => (outcome.completed ?? outcome.failed)?.submission.id ?? "";
