import { createDatabase } from "@flyt/postgres";
import { createTestDatabase } from "@flyt/testing";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Progress } from "../../archiving/progress";
import { migrateArchiveAdapter, rollbackArchiveAdapterBefore } from "./migrations";
import { LeaseLostError, ProgressStore, SubmissionBusyError } from "./progress-store";

let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Knex;
let store: ProgressStore;
let sequence = 0;
const submission = (sourceApplication = "egrunnerverv") => ({
  id: `sub_lease_${++sequence}`,
  tenant: "demo",
  sourceApplication,
  run: 1,
});

/** Leases the progress, failing the test if a later run has superseded it. */
async function lease(
  of: { id: string; tenant: string; sourceApplication: string; run: number },
  owner: string,
  destinationId = "demo-simulator",
): Promise<Progress> {
  const progress = await store.start(of, destinationId, owner);
  if (progress === "superseded") throw new Error(`${of.id} run ${of.run} was superseded`);
  return progress;
}

beforeAll(async () => {
  scratch = await createTestDatabase();
  db = createDatabase({ url: scratch.url, applicationName: "flyt.test" });
  await migrateArchiveAdapter(db);
  store = new ProgressStore(db, 60_000);
});

afterAll(async () => {
  await db?.destroy();
  await scratch?.drop();
});

describe("ProgressStore leases", () => {
  it("lets one delivery archive a submission at a time: a second delivery waits until the first lets go", async () => {
    const racing = submission();
    const first = await lease(racing, "delivery-a");
    await expect(store.start(racing, "demo-simulator", "delivery-b")).rejects.toBeInstanceOf(
      SubmissionBusyError,
    );
    first.caseCreateAttempted = true;
    await store.save(first, { release: true });
    const second = await lease(racing, "delivery-b");
    expect(second.caseCreateAttempted).toBe(true);
  });

  it("stops a stale delivery: its save over a newer one's progress is refused", async () => {
    const contested = submission();
    const stale = await lease(contested, "delivery-a");
    // The stale delivery's lease ran out and another took the submission and saved.
    await db("archive_progress")
      .where({ submission_id: contested.id })
      .update({ lease_until: db.raw("now() - interval '1 second'") });
    const current = await lease(contested, "delivery-b");
    current.journalPosts = [{ systemId: "jp-1", number: "2026/1-1" }];
    await store.save(current);
    stale.journalPosts = [];
    await expect(store.save(stale)).rejects.toBeInstanceOf(LeaseLostError);
    expect(await store.renew(stale)).toBe(false);
    const [row] = await db("archive_progress").where({ submission_id: contested.id });
    expect(row.journal_posts).toEqual([{ systemId: "jp-1", number: "2026/1-1" }]);
  });

  it("hands out a recorded outcome to any delivery, without waiting for a lease", async () => {
    const done = submission();
    const first = await lease(done, "delivery-a");
    first.answer = { topic: "failed", value: {} as never };
    await store.save(first);
    expect((await lease(done, "delivery-b")).answer?.topic).toBe("failed");
  });
});

describe("ProgressStore runs", () => {
  it("starts a later run's outcome and retry budget afresh, keeping what is in the archive", async () => {
    const retried = submission();
    const first = await lease(retried, "delivery-a");
    first.case = { systemId: "case-1", caseNumber: "2026/5" };
    first.caseCreated = true;
    first.attempts = 7;
    // It waited for a case: its budget started later than its first attempt.
    const waitedUntil = new Date(first.firstAttemptAt.getTime() + 60_000);
    first.budgetFrom = waitedUntil;
    await store.save(first, { release: true });
    const again = await lease(retried, "delivery-a");
    expect(again.budgetFrom).toEqual(waitedUntil);
    again.answer = { topic: "failed", value: {} as never };
    await store.save(again, { release: true });

    const second = await lease({ ...retried, run: 2 }, "delivery-b");
    expect(second.budgetFrom).toBeUndefined();
    expect(second).toMatchObject({ run: 2, attempts: 0, caseCreated: true, case: { caseNumber: "2026/5" } });
    expect(second.answer).toBeUndefined();
    expect(second.firstAttemptAt.getTime()).toBeGreaterThanOrEqual(first.firstAttemptAt.getTime());
    // When the first run started stays: what it sent is recognised from there.
    expect(second.firstRunAt).toEqual(first.firstAttemptAt);
    // The earlier run, delivered late, has nothing left to do.
    expect(await store.start(retried, "demo-simulator", "delivery-c")).toBe("superseded");
  });

  it("keeps when and how a write was sent, with the driver's marker, for a later run to the same archive", async () => {
    const resumed = submission();
    const first = await lease(resumed, "delivery-a");
    const sentAt = new Date("2026-03-14T12:00:00.123Z");
    first.sentWrites = {
      case: { firstSentAt: sentAt, lastSentAt: sentAt, sends: 1 },
      "journalPost/0": {
        firstSentAt: sentAt,
        lastSentAt: new Date("2026-03-14T12:31:00Z"),
        sends: 2,
        marker: "4",
      },
    };
    await store.save(first, { release: true });
    const second = await lease({ ...resumed, run: 2 }, "delivery-b");
    expect(second.sentWrites).toEqual(first.sentWrites);
    expect(second.sentWrites["journalPost/0"]?.lastSentAt).toBeInstanceOf(Date);
  });

  it("starts from nothing when a later run goes to another archive", async () => {
    const moved = submission();
    const first = await lease(moved, "delivery-a");
    first.case = { systemId: "case-1", caseNumber: "2026/5" };
    first.files = { f1: "archive-file-1" };
    first.sentWrites = { case: { firstSentAt: new Date(), lastSentAt: new Date(), sends: 1 } };
    first.answer = { topic: "failed", value: {} as never };
    await store.save(first, { release: true });
    const second = await lease({ ...moved, run: 2 }, "delivery-b", "vestland-elements");
    expect(second).toMatchObject({
      destinationId: "vestland-elements",
      files: {},
      caseCreated: false,
      sentWrites: {},
    });
    expect(second.case).toBeUndefined();
  });
});

describe("ProgressStore case owners", () => {
  /** A case submission of `sourceApplication` that got its case (created, or found and filed into). */
  async function filedInto(sourceApplication: string, systemId: string, caseNumber: string, tenant = "demo") {
    const of = { ...submission(sourceApplication), tenant };
    const progress = await lease(of, "delivery-a");
    progress.case = { systemId, caseNumber };
    progress.answer = { topic: "completed", value: {} as never };
    await store.save(progress, { release: true });
    return of;
  }
  const owner = (sourceApplicationId: string, tenantId = "demo") => ({
    tenantId,
    sourceApplicationId,
    destinationId: "demo-simulator",
  });

  it("knows a source application's own cases, and no other source application's or county's", async () => {
    await filedInto("egrunnerverv", "owners-case-1", "2031/1");
    await filedInto("vigo", "owners-case-2", "2031/2");
    await filedInto("egrunnerverv", "owners-case-3", "2031/3", "vestland");

    expect(await store.hasOwnCaseNumber(owner("egrunnerverv"), "2031/1")).toBe(true);
    expect(await store.hasOwnCaseNumber(owner("vigo"), "2031/1")).toBe(false);
    expect(await store.hasOwnCaseNumber(owner("egrunnerverv"), "2031/3")).toBe(false);
    expect(await store.hasOwnCaseNumber(owner("egrunnerverv", "vestland"), "2031/3")).toBe(true);
    expect(await store.ownCaseNumbersAmong(owner("egrunnerverv"), ["2031/1", "2031/2", "2031/3"])).toEqual(
      new Set(["2031/1"]),
    );
  });

  it("gives journal posts the case of their own source application's case submission only", async () => {
    const own = await filedInto("egrunnerverv", "owners-case-4", "2031/4");
    expect(await store.caseOfSubmission(owner("egrunnerverv"), own.id)).toEqual({
      systemId: "owners-case-4",
      caseNumber: "2031/4",
    });
    // Another source application's case submission is as if it had never been made: it never gets a case.
    expect(await store.caseOfSubmission(owner("vigo"), own.id)).toBe("waiting");
  });

  it("takes a case number an operator resolved a submission with as its source application's", async () => {
    const failed = { ...submission("egrunnerverv") };
    const progress = await lease(failed, "delivery-a");
    progress.answer = {
      topic: "failed",
      value: { code: "archive-unavailable", message: "503 Service Unavailable", retriable: true } as never,
    };
    await store.save(progress, { release: true });
    // How it failed, as it was published: journal posts to it fail with that reason.
    expect(await store.caseOfSubmission(owner("egrunnerverv"), failed.id)).toEqual({
      failed: { code: "archive-unavailable", message: "503 Service Unavailable", retriable: true },
    });

    await store.recordResolution(failed.id, "2031/77");
    expect(await store.caseOfSubmission(owner("egrunnerverv"), failed.id)).toEqual({ resolvedAs: "2031/77" });
    expect(await store.hasOwnCaseNumber(owner("egrunnerverv"), "2031/77")).toBe(true);
    expect(await store.hasOwnCaseNumber(owner("vigo"), "2031/77")).toBe(false);
  });

  it("tells whether a submission others wait for is still being archived", async () => {
    const making = submission();
    const quietMs = 60_000;
    expect(await store.submissionState(making.id, quietMs)).toBe("unknown");
    const progress = await lease(making, "delivery-a");
    expect(await store.submissionState(making.id, quietMs)).toBe("archiving");
    // Between attempts (waiting to be retried) it holds no lease, but saved its last attempt a moment ago.
    await store.save(progress, { release: true });
    expect(await store.submissionState(making.id, quietMs)).toBe("archiving");
    // Silent for longer than any retry of it waits: nothing is coming.
    await db("archive_progress")
      .where({ submission_id: making.id })
      .update({ updated_at: db.raw("now() - interval '2 minutes'") });
    expect(await store.submissionState(making.id, quietMs)).toBe("unknown");

    const again = await lease(making, "delivery-b");
    again.answer = { topic: "completed", value: {} as never };
    await store.save(again, { release: true });
    expect(await store.submissionState(making.id, quietMs)).toBe("done");
  });

  it("gives journal posts the case of a case submission recorded before owners were", async () => {
    const older = await filedInto("egrunnerverv", "owners-case-5", "2031/5");
    await db("archive_progress").where({ submission_id: older.id }).update({ source_application_id: null });
    // The gateway only lets a source application name its own case submissions, so the row is taken as its.
    expect(await store.caseOfSubmission(owner("egrunnerverv"), older.id)).toEqual({
      systemId: "owners-case-5",
      caseNumber: "2031/5",
    });
    // But its case number is nobody's to reach by number or by search.
    expect(await store.hasOwnCaseNumber(owner("egrunnerverv"), "2031/5")).toBe(false);
  });
});

describe("migration 004: case owners", () => {
  it("takes the owner of a row from before it from the outcome the row recorded", async () => {
    const older = await createTestDatabase();
    const olderDb = createDatabase({ url: older.url, applicationName: "flyt.test" });
    try {
      await migrateArchiveAdapter(olderDb);
      await rollbackArchiveAdapterBefore(olderDb, "004-archive-progress-case-owners");
      await olderDb("archive_progress").insert({
        submission_id: "sub_before_004",
        tenant_id: "demo",
        destination_id: "demo-simulator",
        case_system_id: "case-before",
        case_number: "2030/1",
        case_tittel: "Grunneier Kari Hansen",
        answer: JSON.stringify({
          topic: "completed",
          value: { submission: { id: "sub_before_004", tenant: "demo", sourceApplication: "egrunnerverv" } },
        }),
      });
      await migrateArchiveAdapter(olderDb);
      const [row] = await olderDb("archive_progress").where({ submission_id: "sub_before_004" });
      expect(row).toMatchObject({ source_application_id: "egrunnerverv", case_tittel: null });
      const olderStore = new ProgressStore(olderDb, 60_000);
      const owner = {
        tenantId: "demo",
        sourceApplicationId: "egrunnerverv",
        destinationId: "demo-simulator",
      };
      expect(await olderStore.hasOwnCaseNumber(owner, "2030/1")).toBe(true);
      expect(await olderStore.hasOwnCaseNumber({ ...owner, sourceApplicationId: "vigo" }, "2030/1")).toBe(
        false,
      );
    } finally {
      await olderDb.destroy();
      await older.drop();
    }
  });
});

describe("ProgressStore: what other submissions wrote into an archive", () => {
  const archive = { tenantId: "demo", sourceApplicationId: "egrunnerverv", destinationId: "vestland-p360" };

  /** A submission to that archive with a case (created by it, or found) and journal posts added by it. */
  async function wrote(caseNumber: string, options: { created: boolean; posts?: string[] }) {
    const of = submission("vigo");
    const progress = await lease(of, "delivery-a", archive.destinationId);
    progress.case = { systemId: `sys-${caseNumber}`, caseNumber };
    progress.caseCreated = options.created;
    progress.journalPosts = (options.posts ?? []).map((number) => ({ systemId: number, number }));
    await store.save(progress, { release: true });
    return of.id;
  }

  it("knows the cases another submission created there, whoever's, but not one it only filed into", async () => {
    const creator = await wrote("32/00001", { created: true });
    await wrote("32/00002", { created: false });
    const mine = await wrote("32/00003", { created: true });
    const asked = ["32/00001", "32/00002", "32/00003", "32/00004"];
    expect(await store.casesCreatedByOthers(archive, mine, asked)).toEqual(new Set(["32/00001"]));
    expect(await store.casesCreatedByOthers(archive, creator, asked)).toEqual(new Set(["32/00003"]));
    expect(
      await store.casesCreatedByOthers({ ...archive, destinationId: "agder-elements" }, mine, asked),
    ).toEqual(new Set());
  });

  it("knows a case an operator resolved another submission with, and what a submission wrote before it went elsewhere", async () => {
    const mine = await wrote("32/00019", { created: true });
    const resolved = submission("vigo");
    await lease(resolved, "delivery-a", archive.destinationId);
    await store.recordResolution(resolved.id, "32/00020");
    // Run 1 created a case and added a journal post here; an operator's retry sent run 2 to another archive.
    const moved = submission("vigo");
    const first = await lease(moved, "delivery-a", archive.destinationId);
    first.case = { systemId: "sys-32/00021", caseNumber: "32/00021" };
    first.caseCreated = true;
    first.journalPosts = [{ systemId: "32/00021-1", number: "32/00021-1" }];
    first.answer = { topic: "failed", value: {} as never };
    await store.save(first, { release: true });
    const second = await lease({ ...moved, run: 2 }, "delivery-b", "agder-elements");
    expect(second.case).toBeUndefined();

    const asked = ["32/00020", "32/00021", "32/00022"];
    expect(await store.casesCreatedByOthers(archive, mine, asked)).toEqual(new Set(["32/00020", "32/00021"]));
    expect(await store.journalPostsAddedByOthers(archive, mine, "32/00021", ["32/00021-1"])).toEqual(
      new Set(["32/00021-1"]),
    );
    // Its own writes are not another's to it.
    expect(await store.casesCreatedByOthers(archive, moved.id, asked)).toEqual(new Set(["32/00020"]));
  });

  it("knows the journal posts another submission added to a case, and not its own", async () => {
    const first = await wrote("32/00010", { created: true, posts: ["32/00010-1"] });
    const second = await wrote("32/00010", { created: false, posts: ["32/00010-2", "32/00010-3"] });
    const asked = ["32/00010-1", "32/00010-2", "32/00010-3", "32/00010-4"];
    expect(await store.journalPostsAddedByOthers(archive, second, "32/00010", asked)).toEqual(
      new Set(["32/00010-1"]),
    );
    expect(await store.journalPostsAddedByOthers(archive, first, "32/00010", asked)).toEqual(
      new Set(["32/00010-2", "32/00010-3"]),
    );
  });
});
