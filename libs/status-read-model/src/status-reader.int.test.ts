import { createDatabase } from "@flyt/postgres";
import { createTestDatabase } from "@flyt/testing";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateStatusReadModel } from "./migrations";
import { StatusReader } from "./status-reader";

let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Knex;
const at = (second: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, second));

beforeAll(async () => {
  scratch = await createTestDatabase();
  db = createDatabase({ url: scratch.url, applicationName: "flyt.test" });
  expect(await migrateStatusReadModel(db)).toEqual([
    "001-status-read-model",
    "002-console-indexes",
    "003-history-positions",
    "004-held-back-and-announced",
  ]);
  expect(await migrateStatusReadModel(db)).toEqual([]);
});

afterAll(async () => {
  await db?.destroy();
  await scratch?.drop();
});

describe("the history positions and held-back migrations", () => {
  it("keeps the order a history was shown in before it, and holds back only what was not shown", async () => {
    const legacy = await createTestDatabase();
    const old = createDatabase({ url: legacy.url, applicationName: "flyt.test" });
    try {
      await migrateStatusReadModel(old, "001-status-read-model");
      await migrateStatusReadModel(old, "002-console-indexes");
      const step = (
        event_id: string,
        submission_id: string,
        status: string,
        rank: number,
        second: number,
      ) => ({
        event_id,
        submission_id,
        run: 1,
        status,
        rank,
        at: at(second),
        facts: "{}",
      });
      await old("submission_status_history").insert([
        step("a3", "sub_a", "ARCHIVED", 9, 3),
        step("a1", "sub_a", "RECEIVED", 0, 0),
        step("a2b", "sub_a", "ARCHIVING", 3, 1),
        step("a2", "sub_a", "VALIDATED", 1, 1),
        step("b1", "sub_b", "RECEIVED", 0, 5),
      ]);
      expect(await migrateStatusReadModel(old, "003-history-positions")).toEqual(["003-history-positions"]);
      expect(
        await old("submission_status_history").orderBy(["submission_id", "position"]).pluck("event_id"),
      ).toEqual(["a1", "a2", "a2b", "a3", "b1"]);
      expect(await old("submission_status_history").whereNull("position")).toEqual([]);

      // Then: what is shown is not held back, what is not may be; a terminal row's announcement was made.
      await old("submission_status_history").insert(step("b2", "sub_b", "ARCHIVED", 9, 6));
      const row = (submission_id: string, status: string, status_event_id: string) => ({
        submission_id,
        tenant_id: "demo",
        source_application_id: "egrunnerverv",
        integration_id: "egrunnerverv-sak",
        source_instance_id: submission_id,
        kind: "CASE",
        run: 1,
        status,
        status_event_id,
        created_at: at(0),
        updated_at: at(3),
      });
      await old("submission_status").insert([row("sub_a", "ARCHIVED", "a3"), row("sub_b", "RECEIVED", "b1")]);
      expect(await migrateStatusReadModel(old)).toEqual(["004-held-back-and-announced"]);
      expect(
        await old("submission_status_history")
          .whereNull("position")
          .where({ passed_over: false })
          .pluck("event_id"),
      ).toEqual(["b2"]);
      expect(
        await old("submission_status").orderBy("submission_id").pluck("announced_status_event_id"),
      ).toEqual(["a3", null]);
    } finally {
      await old.destroy();
      await legacy.drop();
    }
  });
});

describe("StatusReader", () => {
  it("answers a projected submission with the statuses its history shows, in the order they were shown", async () => {
    await db("submission_status").insert({
      submission_id: "sub_1",
      tenant_id: "demo",
      source_application_id: "egrunnerverv",
      integration_id: "egrunnerverv-sak",
      source_instance_id: "GRV-1",
      kind: "CASE",
      run: 1,
      status: "FAILED",
      case_number: null,
      journal_post_numbers: "[]",
      errors: JSON.stringify([{ code: "archive-unavailable", pointer: "", detail: "503" }]),
      configuration_version: 2,
      status_event_id: "e3",
      created_at: at(0),
      updated_at: at(3),
    });
    const step = (
      event_id: string,
      status: string,
      rank: number,
      second: number,
      position: number | null,
    ) => ({
      event_id,
      submission_id: "sub_1",
      run: 1,
      status,
      rank,
      at: at(second),
      facts: "{}",
      position,
    });
    await db("submission_status_history").insert([
      step("e3", "FAILED", 8, 3, 4),
      step("e1", "RECEIVED", 0, 0, 1),
      // Shown after the archive's stage although it happened at the same time: shown steps never move.
      step("e2b", "ARCHIVING", 3, 1, 2),
      step("e2", "VALIDATED", 1, 1, 3),
      // Recorded, never shown (a duplicate RECEIVED).
      step("e1-copy", "RECEIVED", 0, 5, null),
    ]);
    expect(await new StatusReader(db).status("sub_1")).toEqual({
      submissionId: "sub_1",
      tenantId: "demo",
      sourceApplicationId: "egrunnerverv",
      integrationId: "egrunnerverv-sak",
      sourceInstanceId: "GRV-1",
      kind: "CASE",
      run: 1,
      status: "FAILED",
      caseNumber: null,
      journalPostNumbers: [],
      errors: [{ code: "archive-unavailable", pointer: "", detail: "503" }],
      configurationVersion: 2,
      history: [
        { status: "RECEIVED", at: at(0) },
        { status: "ARCHIVING", at: at(1) },
        { status: "VALIDATED", at: at(1) },
        { status: "FAILED", at: at(3) },
      ],
      createdAt: at(0),
      updatedAt: at(3),
    });
  });

  it("answers nothing for a submission not projected yet", async () => {
    expect(await new StatusReader(db).status("sub_not_yet")).toBeUndefined();
  });

  describe("for the operator console", () => {
    const row = (id: string, status: string, second: number) => ({
      submission_id: id,
      tenant_id: "demo",
      source_application_id: "vigo",
      integration_id: "vigo-ny-soker",
      source_instance_id: `VIGO-${id}`,
      kind: "CASE",
      run: 1,
      status,
      status_event_id: `${id}-${status}`,
      created_at: at(second),
      updated_at: at(second),
    });

    beforeAll(async () => {
      await db("submission_status").insert([
        row("sub_a", "ARCHIVED", 10),
        row("sub_b", "ARCHIVED", 11),
        row("sub_c", "FAILED", 12),
        row("sub_d", "REJECTED", 13),
        row("sub_e", "ARCHIVED", 14),
        row("sub_f", "ARCHIVED", 40),
        { ...row("sub_other", "ARCHIVED", 12), tenant_id: "vestland" },
      ]);
    });

    it("counts an integration's submissions per status in a period, and no other tenant's", async () => {
      expect(
        await new StatusReader(db).counts("demo", "vigo-ny-soker", { from: at(10), to: at(15) }),
      ).toEqual({
        ARCHIVED: 3,
        FAILED: 1,
        REJECTED: 1,
      });
    });

    it("lists newest first, page by page, filtered by status and period", async () => {
      const reader = new StatusReader(db);
      const first = await reader.list("demo", "vigo-ny-soker", { status: "ARCHIVED", to: at(30), limit: 2 });
      expect(first.items.map((item) => item.submissionId)).toEqual(["sub_e", "sub_b"]);
      const second = await reader.list("demo", "vigo-ny-soker", {
        status: "ARCHIVED",
        to: at(30),
        limit: 2,
        ...(first.next ? { after: first.next } : {}),
      });
      expect(second.items.map((item) => item.submissionId)).toEqual(["sub_a"]);
      expect(second.next).toBeUndefined();
      const everything = await reader.list("demo", "vigo-ny-soker", { limit: 10 });
      expect(everything.items.map((item) => item.submissionId)).toEqual([
        "sub_f",
        "sub_e",
        "sub_d",
        "sub_c",
        "sub_b",
        "sub_a",
      ]);
    });
  });
});
