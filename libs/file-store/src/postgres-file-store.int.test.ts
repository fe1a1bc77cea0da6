import { Readable } from "node:stream";
import { createDatabase } from "@flyt/postgres";
import { createTestDatabase } from "@flyt/testing";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateFileStore } from "./migrations";
import { PostgresFileStore } from "./postgres-file-store";

let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Knex;
let store: PostgresFileStore;

beforeAll(async () => {
  scratch = await createTestDatabase();
  db = createDatabase({ url: scratch.url, applicationName: "flyt.test" });
  expect(await migrateFileStore(db)).toEqual(["001-files-in-chunks", "002-file-owners"]);
  expect(await migrateFileStore(db)).toEqual([]);
  store = new PostgresFileStore(db);
});

afterAll(async () => {
  await db?.destroy();
  await scratch?.drop();
});

const owner = (tenantId: string, sourceApplicationId = "egrunnerverv", environment = "test") => ({
  tenantId,
  sourceApplicationId,
  environment,
});
const file = (tenantId: string, id: string, sourceApplicationId = "egrunnerverv") => ({
  owner: owner(tenantId, sourceApplicationId),
  id,
  filename: `${id}.pdf`,
  mimeType: "application/pdf",
});

describe("PostgresFileStore", () => {
  it("stores a stream in chunks and gives the same bytes back, with size and SHA-256", async () => {
    const content = Buffer.alloc(2.5 * 1024 * 1024, 7);
    const pieces = Array.from({ length: 40 }, (_, i) => content.subarray(i * 65_536, (i + 1) * 65_536));
    const stored = await store.store(file("demo", "file_big"), Readable.from(pieces), 10 * 1024 * 1024);
    expect(stored).toMatchObject({ outcome: "stored", reference: { sizeBytes: content.length } });
    expect((await store.content(owner("demo"), "file_big")).equals(content)).toBe(true);
    expect(await store.content(owner("vestland"), "file_big")).toHaveLength(0);
    expect(await store.content(owner("demo", "vigo"), "file_big")).toHaveLength(0);
    expect(await db("file_chunks").where({ file_id: "file_big" }).count({ n: "*" })).toEqual([{ n: "3" }]);
  });

  it("refuses content over the limit and keeps nothing of it", async () => {
    expect(await store.store(file("demo", "file_over"), Buffer.alloc(11), 10)).toEqual({
      outcome: "too-large",
      limitBytes: 10,
    });
    expect(await db("file_chunks").where({ file_id: "file_over" })).toEqual([]);
  });

  it("reads the first bytes of files for several requests at once, each only from its own owner", async () => {
    await store.store(file("demo", "file_a"), Buffer.from("%PDF-1.7 demo a"), 1e6);
    await store.store(file("vestland", "file_b"), Buffer.from("%PDF-1.7 vestland b"), 1e6);
    await store.store(file("demo", "file_c", "vigo"), Buffer.from("%PDF-1.7 demo vigo c"), 1e6);
    const [demo, vestland] = await store.heads(
      [
        { owner: owner("demo"), fileIds: ["file_a", "file_b", "file_c", "file_missing"] },
        { owner: owner("vestland"), fileIds: ["file_b"] },
      ],
      8,
    );
    expect(
      demo && Object.fromEntries([...demo].map(([id, head]) => [id, Buffer.from(head).toString()])),
    ).toEqual({
      file_a: "%PDF-1.7",
    });
    expect(vestland && Buffer.from(vestland.get("file_b") ?? []).toString()).toBe("%PDF-1.7");
    expect(await store.heads([], 8)).toEqual([]);
  });

  it("reads a file stored before files had owners for the submissions of its county, never names it anew", async () => {
    await store.store(file("demo", "file_older"), Buffer.from("%PDF-1.7 older"), 1e6);
    await db("files").where({ id: "file_older" }).update({ source_application_id: null, environment: null });
    expect((await store.content(owner("demo", "vigo"), "file_older")).toString()).toBe("%PDF-1.7 older");
    expect(await store.content(owner("vestland"), "file_older")).toHaveLength(0);
    const [heads] = await store.heads([{ owner: owner("demo"), fileIds: ["file_older"] }], 8);
    expect(heads?.has("file_older")).toBe(true);
    expect(await store.reference(owner("demo"), "file_older")).toBeUndefined();
  });

  it("gives a file's reference to its owner only: another source application or environment finds nothing", async () => {
    await store.store(file("demo", "file_owned"), Buffer.from("%PDF-1.7 owned"), 1e6);
    expect(await store.reference(owner("demo"), "file_owned")).toMatchObject({ fileId: "file_owned" });
    expect(await store.reference(owner("demo", "vigo"), "file_owned")).toBeUndefined();
    expect(await store.reference(owner("demo", "egrunnerverv", "production"), "file_owned")).toBeUndefined();
    expect(await store.reference(owner("vestland"), "file_owned")).toBeUndefined();
  });
});
