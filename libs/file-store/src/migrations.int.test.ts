import { createDatabase, withMigrationLock } from "@flyt/postgres";
import { createTestDatabase } from "@flyt/testing";
import { expect, it } from "vitest";
import { migrateFileStore } from "./migrations";

it("migrates from two processes starting together on a fresh database, once", async () => {
  const scratch = await createTestDatabase();
  // Two pools stand for two services (the gateway and the validation service) starting at the same moment.
  const [first, second] = [1, 2].map(() =>
    createDatabase({ url: scratch.url, applicationName: "flyt.test" }),
  );
  try {
    const applied = await Promise.all(
      [first, second].map((db) => db && withMigrationLock(db, () => migrateFileStore(db))),
    );
    expect(applied.flat()).toEqual(["001-files-in-chunks", "002-file-owners"]);
  } finally {
    await Promise.all([first?.destroy(), second?.destroy()]);
    await scratch.drop();
  }
});
