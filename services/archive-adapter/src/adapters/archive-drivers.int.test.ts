import { PostgresFileStore } from "@flyt/file-store";
import { createLogger } from "@flyt/logging";
import { createDatabase } from "@flyt/postgres";
import type { ArchiveDestination } from "@flyt/schemas";
import { createTestDatabase, uniqueName } from "@flyt/testing";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeFintServer, startFakeFintServer } from "../../test-support/fake-fint-server";
import { loadCheckConfig } from "../config";
import { landAcquisitionCase } from "../drivers/fint/flyt-records.fixtures";
import { archiveConnectionsSchema } from "./archive-connections";
import { archiveDrivers, archiveDriversForChecks } from "./archive-drivers";

let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Knex;
let fake: FakeFintServer;

beforeAll(async () => {
  scratch = await createTestDatabase();
  db = createDatabase({ url: scratch.url, applicationName: "flyt.test" });
  fake = await startFakeFintServer({ adapter: "ELEMENTS" });
});

afterAll(async () => {
  if (fake?.requests().length === 0) await fake.close();
  await db?.destroy();
  await scratch?.drop();
});

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("the drivers of a connection check", () => {
  it("check a destination whose every submission slot is held by a write the archive does not answer", async () => {
    const destination: ArchiveDestination = { id: uniqueName("vestland-fint"), driver: "FINT" };
    const options = {
      db,
      // One call in flight per destination: the hung write holds it.
      config: loadCheckConfig({ DATABASE_URL: scratch.url, ARCHIVE_CONCURRENCY_PER_DESTINATION: "1" }),
      connections: archiveConnectionsSchema.parse({
        [destination.id]: {
          driver: "FINT",
          baseUrl: fake.baseUrl,
          adapter: "ELEMENTS",
          oauth: { ...fake.credentials, tokenUrl: fake.tokenUrl },
        },
      }),
      fileStore: new PostgresFileStore(db),
      logger: createLogger({ service: "archive-drivers-test", level: "silent" }),
    };
    const submissionsDriverFor = archiveDrivers(options);
    fake.inject({ method: "POST", path: "/arkiv/noark/sak", answer: { kind: "hang" } });
    let writeSettled = false;
    const write = submissionsDriverFor(destination, "vestland")
      .createCase(landAcquisitionCase, `sub_${uniqueName("x")}`)
      .catch(() => undefined)
      .finally(() => {
        writeSettled = true;
      });
    await until(() =>
      fake.requests().some(({ method, path }) => method === "POST" && path === "/arkiv/noark/sak"),
    );

    const check = await archiveDriversForChecks(options)(destination, "vestland").check?.([]);
    expect(check?.steps.map(({ step, ok }) => [step, ok])).toEqual([
      ["reach", true],
      ["authenticate", true],
      ["code-lists", true],
      ["codes", true],
    ]);
    // The check ran beside the write, not after it.
    expect(writeSettled).toBe(false);
    await fake.close();
    await write;
  });
});
