import { createDatabase } from "@flyt/postgres";
import { migrateRegistry } from "@flyt/registry";
import { createTestDatabase, uniqueName } from "@flyt/testing";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IdempotencyStore } from "./idempotency-store";
import { migrateGateway } from "./migrations";

const IN_FLIGHT_MS = 30_000;
let db: Knex;
let drop: () => Promise<void>;

beforeAll(async () => {
  const database = await createTestDatabase();
  drop = database.drop;
  db = createDatabase({ url: database.url, applicationName: "flyt.gateway-test" });
  await migrateRegistry(db);
  await migrateGateway(db);
});

afterAll(async () => {
  await db.destroy();
  await drop();
});

/** A store whose clock runs `aheadMs` ahead of Postgres's. */
const storeAhead = (aheadMs: number) =>
  new IdempotencyStore(db, { inFlightMs: IN_FLIGHT_MS, now: () => new Date(Date.now() + aheadMs) });

describe("idempotency keys left in flight", () => {
  it("are taken over by a repeat once stale, whatever the sub-millisecond part of their time", async () => {
    const clientId = uniqueName("client");
    // Several keys, so that Postgres's microseconds are non-zero for some (all, in practice).
    const keys = Array.from({ length: 5 }, () => uniqueName("key"));
    for (const key of keys)
      expect(await storeAhead(0).claim(clientId, key, "hash")).toEqual({ outcome: "claimed" });
    // The request that claimed them crashed, or could not release them while Postgres was away.

    for (const key of keys) {
      expect(await storeAhead(0).claim(clientId, key, "hash")).toEqual({ outcome: "in-flight" });
      expect(await storeAhead(IN_FLIGHT_MS + 1_000).claim(clientId, key, "hash")).toEqual({
        outcome: "claimed",
      });
      // Taken over once: a second repeat at the same moment finds it in flight again.
      expect(await storeAhead(1_000).claim(clientId, key, "hash")).toEqual({ outcome: "in-flight" });
    }
  });
});
