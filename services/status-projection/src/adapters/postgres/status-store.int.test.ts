import { createDatabase } from "@flyt/postgres";
import { migrateStatusReadModel } from "@flyt/status-read-model";
import { createTestDatabase } from "@flyt/testing";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StatusStore } from "./status-store";

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
