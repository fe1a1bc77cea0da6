import { createDatabase } from "@flyt/postgres";
import { createTestDatabase, uniqueName } from "@flyt/testing";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateArchiveAdapter } from "./migrations";
import { postgresUploadSessions } from "./noark5-upload-sessions";

let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Knex;

beforeAll(async () => {
  scratch = await createTestDatabase();
  db = createDatabase({ url: scratch.url, applicationName: "flyt.test" });
  await migrateArchiveAdapter(db);
});

afterAll(async () => {
  await db?.destroy();
  await scratch?.drop();
});

const session = (received: number) => ({
  sessionUrl: `https://arkiv.example.no/fil?filsesjon=${received}`,
  received,
  totalBytes: 3_000_000_000,
  sha256: "ab".repeat(32),
  acknowledgedAt: Date.parse("2026-03-14T12:00:00Z") + received,
  failures: received % 3,
});

describe("Noark 5 upload sessions in Postgres", () => {
  it("keeps the newest acknowledged session per destination and file, across instances", async () => {
    const destination = uniqueName("agder-noark");
    const fil = `https://arkiv.example.no/${uniqueName("objekt")}/referanseFil`;
    await postgresUploadSessions(db, destination).save(fil, session(0));
    await postgresUploadSessions(db, destination).save(fil, session(2_500_000_000));
    // Another process, after a restart.
    expect(await postgresUploadSessions(db, destination).get(fil)).toEqual(session(2_500_000_000));
    // Another destination's archive never sees it.
    expect(await postgresUploadSessions(db, uniqueName("other")).get(fil)).toBeUndefined();
    await postgresUploadSessions(db, destination).forget(fil);
    expect(await postgresUploadSessions(db, destination).get(fil)).toBeUndefined();
  });

  it("clears uploads given up long ago when the destination starts another", async () => {
    const destination = uniqueName("agder-noark");
    const sessions = postgresUploadSessions(db, destination);
    await sessions.save("https://arkiv.example.no/gammel", session(100));
    await db("noark5_upload_sessions")
      .where({ destination_id: destination })
      .update({ updated_at: db.raw("now() - interval '8 days'") });
    await sessions.save("https://arkiv.example.no/ny", session(0));
    expect(await sessions.get("https://arkiv.example.no/gammel")).toBeUndefined();
    expect(await sessions.get("https://arkiv.example.no/ny")).toEqual(session(0));
  });
});
