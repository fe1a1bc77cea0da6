import { createDatabase } from "@flyt/postgres";
import { createTestDatabase } from "@flyt/testing";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateArchiveAdapter } from "./migrations";
import { LeaseLostError, ProgressStore, SubmissionBusyError } from "./progress-store";

let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Knex;
let store: ProgressStore;
let sequence = 0;
const submission = () => ({ id: `sub_lease_${++sequence}`, tenant: "demo" });

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
  it("lets one run archive a submission at a time: a second delivery waits until the first lets go", async () => {
    const racing = submission();
    const first = await store.start(racing, "demo-simulator", "run-a");
    await expect(store.start(racing, "demo-simulator", "run-b")).rejects.toBeInstanceOf(SubmissionBusyError);
    first.caseCreateAttempted = true;
    await store.save(first, { release: true });
    const second = await store.start(racing, "demo-simulator", "run-b");
    expect(second.caseCreateAttempted).toBe(true);
  });

  it("stops a stale run: its save over a newer run's progress is refused", async () => {
    const contested = submission();
    const stale = await store.start(contested, "demo-simulator", "run-a");
    // The stale run's lease ran out and another run took the submission and saved.
    await db("archive_progress")
      .where({ submission_id: contested.id })
      .update({ lease_until: db.raw("now() - interval '1 second'") });
    const current = await store.start(contested, "demo-simulator", "run-b");
    current.journalPosts = [{ systemId: "jp-1", number: "2026/1-1" }];
    await store.save(current);
    stale.journalPosts = [];
    await expect(store.save(stale)).rejects.toBeInstanceOf(LeaseLostError);
    expect(await store.renew(stale)).toBe(false);
    const [row] = await db("archive_progress").where({ submission_id: contested.id });
    expect(row.journal_posts).toEqual([{ systemId: "jp-1", number: "2026/1-1" }]);
  });

  it("hands out a recorded outcome to any run, without waiting for a lease", async () => {
    const done = submission();
    const run = await store.start(done, "demo-simulator", "run-a");
    run.answer = { topic: "failed", value: {} as never };
    await store.save(run);
    expect((await store.start(done, "demo-simulator", "run-b")).answer?.topic).toBe("failed");
  });
});
