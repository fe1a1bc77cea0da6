import { randomUUID } from "node:crypto";
import { createDatabase } from "@flyt/postgres";
import type { SubmissionRef } from "@flyt/schemas";
import { migrateStatusReadModel } from "@flyt/status-read-model";
import { createTestDatabase } from "@flyt/testing";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StatusEvent } from "../../domain/status-transition";
import { type IncomingStatusEvent, StatusStore } from "./status-store";

let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Knex;

beforeAll(async () => {
  scratch = await createTestDatabase();
  db = createDatabase({ url: scratch.url, applicationName: "flyt.test" });
  await migrateStatusReadModel(db);
});

afterAll(async () => {
  await db?.destroy();
  await scratch?.drop();
});

describe("the completion outbox", () => {
  it("forgets announcements published long ago, keeping recent and unpublished ones", async () => {
    const daysAgo = (days: number) => db.raw("now() - ? * interval '1 day'", [days]);
    const row = (eventId: string, publishedAt: Knex.Raw | null) => ({
      event_id: eventId,
      submission_id: `sub_${eventId}`,
      event: "{}",
      headers: "{}",
      created_at: daysAgo(9),
      published_at: publishedAt,
    });
    await db("completion_outbox").insert([
      row("old", daysAgo(8)),
      row("recent", daysAgo(1)),
      row("never-published", null),
    ]);
    expect(await new StatusStore(db, (id) => id).forgetPublished(7 * 86_400_000)).toBe(1);
    expect((await db("completion_outbox").orderBy("event_id").pluck("event_id")).sort()).toEqual([
      "never-published",
      "recent",
    ]);
  });
});

const ref = (): SubmissionRef => ({
  id: `sub_${randomUUID()}`,
  tenant: "demo",
  sourceApplication: "egrunnerverv",
  integrationId: "egrunnerverv-sak",
  sourceInstanceId: `GRV-${randomUUID()}`,
  kind: "CASE",
  run: 1,
});
const at = (second: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, second));
const incoming = (
  submission: SubmissionRef,
  status: StatusEvent["status"],
  second: number,
): IncomingStatusEvent => ({
  event: {
    eventId: randomUUID(),
    submission,
    status,
    at: at(second),
    ...(status === "RECEIVED" ? { receivedAt: at(second) } : {}),
    ...(status === "ARCHIVED" ? { caseNumber: "2026/1", journalPostNumbers: ["2026/1-1"], errors: [] } : {}),
  },
  headers: {
    correlationId: randomUUID(),
    traceparent: "",
    tenant: submission.tenant,
    sourceApplication: submission.sourceApplication,
    submissionId: submission.id,
  },
});
const HOUR_MS = 3_600_000;
const shownSteps = (submissionId: string) =>
  db("submission_status_history")
    .where({ submission_id: submissionId })
    .whereNotNull("position")
    .orderBy("position")
    .pluck("status");

describe("events held back too long", () => {
  it("are shown once past the age when what they follow was lost (dead-lettered), and announced", async () => {
    const store = new StatusStore(db, (id) => `completion-of-${id}`);
    const submission = ref();
    // RECEIVED was dead-lettered: what follows it is held back, the submission has no row.
    await store.apply([incoming(submission, "VALIDATED", 1), incoming(submission, "ARCHIVED", 4)]);
    expect(await db("submission_status").where({ submission_id: submission.id })).toEqual([]);
    expect((await store.heldBack()).count).toBeGreaterThanOrEqual(2);

    expect((await store.releaseHeldBack(HOUR_MS)).released).toEqual([]);
    const { released, completions } = await store.releaseHeldBack(0);
    expect(released.filter((step) => step.submissionId === submission.id).map((step) => step.status)).toEqual(
      ["VALIDATED", "ARCHIVED"],
    );
    const completion = completions.find((candidate) => candidate.submissionId === submission.id);
    expect(completion?.event).toMatchObject({ status: "ARCHIVED", caseNumber: "2026/1" });
    expect(completion?.event.history.map((step) => step.status)).toEqual(["VALIDATED", "ARCHIVED"]);
    expect(await db("completion_outbox").where({ submission_id: submission.id }).pluck("event_id")).toEqual([
      completion?.eventId,
    ]);
    expect(await db("submission_status").where({ submission_id: submission.id }).first()).toMatchObject({
      status: "ARCHIVED",
    });
    expect(await store.heldBack()).toEqual({ count: 0, oldestAgeSeconds: 0 });

    // The lost step replayed later changes nothing a client saw, and is not held back.
    expect(await store.apply([incoming(submission, "RECEIVED", 0)])).toEqual([undefined]);
    expect(await shownSteps(submission.id)).toEqual(["VALIDATED", "ARCHIVED"]);
    expect((await store.heldBack()).count).toBe(0);
  });

  it("are shown when an older instance recorded them without a position during a deploy", async () => {
    const store = new StatusStore(db, (id) => `completion-of-${id}`);
    const submission = ref();
    await store.apply([incoming(submission, "RECEIVED", 0), incoming(submission, "VALIDATED", 1)]);
    // What an instance from before the positions writes: the event, and the row it folded itself.
    const archived = incoming(submission, "ARCHIVED", 4).event;
    await db("submission_status_history").insert({
      event_id: archived.eventId,
      submission_id: submission.id,
      run: 1,
      status: "ARCHIVED",
      rank: 9,
      at: archived.at,
      facts: JSON.stringify({ caseNumber: "2026/1", journalPostNumbers: ["2026/1-1"], errors: [] }),
    });
    await db("submission_status")
      .where({ submission_id: submission.id })
      .update({ status: "ARCHIVED", status_event_id: archived.eventId });

    const { released } = await store.releaseHeldBack(0);
    expect(released.filter((step) => step.submissionId === submission.id).map((step) => step.status)).toEqual(
      ["ARCHIVED"],
    );
    expect(await shownSteps(submission.id)).toEqual(["RECEIVED", "VALIDATED", "ARCHIVED"]);
    expect(await db("submission_status").where({ submission_id: submission.id }).first()).toMatchObject({
      status: "ARCHIVED",
      case_number: "2026/1",
      announced_status_event_id: archived.eventId,
    });
  });
});
