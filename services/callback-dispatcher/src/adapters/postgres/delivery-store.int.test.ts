import { randomUUID } from "node:crypto";
import { CallbackEndpoints, migrateCallbacks, type Owner } from "@flyt/callbacks";
import { createDatabase } from "@flyt/postgres";
import { createTestDatabase } from "@flyt/testing";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeliveryStore, type Finished, type LeasedDelivery } from "./delivery-store";

let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Knex;
let endpoints: CallbackEndpoints;

beforeAll(async () => {
  scratch = await createTestDatabase();
  db = createDatabase({ url: scratch.url, applicationName: "flyt.test" });
  await migrateCallbacks(db);
  endpoints = new CallbackEndpoints(db);
});

afterAll(async () => {
  await db?.destroy();
  await scratch?.drop();
});

const store = (instanceId: string) => new DeliveryStore(db, endpoints, { instanceId, leaseMs: 60_000 });
let sequence = 0;

/** A registered owner and a delivery of theirs leased to `instance`, as a completed event records it. */
async function leasedDelivery(instance: string): Promise<{ owner: Owner; delivery: LeasedDelivery }> {
  sequence += 1;
  const owner = { tenantId: "demo", sourceApplicationId: `app-${sequence}` };
  await endpoints.register(owner, "https://fagsystem.example/cb", "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0");
  const [delivery] = await store(instance).record([
    {
      id: randomUUID(),
      kind: "submission",
      owner,
      submissionId: `sub_${sequence}`,
      run: 1,
      eventType: "submission.failed",
      body: "{}",
      occurredAt: new Date(Date.now() + 1_000),
      lease: true,
    },
  ]);
  if (!delivery) throw new Error("not recorded");
  return { owner, delivery };
}

const parked = (delivery: LeasedDelivery): Finished => ({
  delivery,
  attempt: {
    at: new Date(),
    durationMs: 12,
    url: "https://fagsystem.example/cb",
    statusCode: 500,
    error: null,
  },
  decision: { action: "park", reason: "schedule-exhausted", error: "500" },
  health: { succeeded: false, gone: false },
});

describe("DeliveryStore", () => {
  it("records a submission that ended in the millisecond of the registration, not one from the millisecond before", async () => {
    sequence += 1;
    const owner = { tenantId: "demo", sourceApplicationId: `tie-${sequence}` };
    await endpoints.register(owner, "https://fagsystem.example/cb", "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0");
    // Postgres keeps the registration to the microsecond; an event's time has milliseconds only.
    await db("callback_endpoints")
      .where({ tenant_id: owner.tenantId, source_application_id: owner.sourceApplicationId })
      .update({ registered_at: "2026-12-02T10:00:00.123456Z" });
    const ended = (at: string) => ({
      id: randomUUID(),
      kind: "submission" as const,
      owner,
      submissionId: `sub_${at}`,
      run: 1,
      eventType: "submission.archived",
      body: "{}",
      occurredAt: new Date(at),
      lease: false,
    });
    const before = ended("2026-12-02T10:00:00.122Z");
    const tied = ended("2026-12-02T10:00:00.123Z");
    await store("tie").record([before, tied]);
    const recorded = await db("callback_deliveries").whereIn("id", [before.id, tied.id]).pluck("id");
    expect(recorded).toEqual([tied.id]);
  });

  it("keeps an endpoint's limit across instances: what one holds, another does not claim again", async () => {
    sequence += 1;
    const owner = { tenantId: "demo", sourceApplicationId: `busy-${sequence}` };
    await endpoints.register(owner, "https://fagsystem.example/cb", "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0");
    const due = Array.from({ length: 5 }, () => ({
      id: randomUUID(),
      kind: "submission" as const,
      owner,
      submissionId: `sub_busy_${sequence}`,
      run: 1,
      eventType: "submission.archived",
      body: "{}",
      occurredAt: new Date(Date.now() + 1_000),
      lease: false,
    }));
    await store("instance-a").record(due);
    const mine = (claimed: readonly LeasedDelivery[]) =>
      claimed.filter((delivery) => delivery.owner.sourceApplicationId === owner.sourceApplicationId);
    const first = mine(await store("instance-a").claimDue({ limit: 100, perEndpoint: 3, exclude: [] }));
    const second = mine(await store("instance-b").claimDue({ limit: 100, perEndpoint: 3, exclude: [] }));
    expect([first.length, second.length]).toEqual([3, 0]);
    await store("instance-a").release([first[0]?.id as string]);
    expect(
      mine(await store("instance-b").claimDue({ limit: 100, perEndpoint: 3, exclude: [] })),
    ).toHaveLength(1);
  });

  it("keeps a resend made while an attempt was in flight: the attempt is recorded, the fresh schedule stands", async () => {
    const { owner, delivery } = await leasedDelivery("instance-a");
    const dispatcher = store("instance-a");
    // The source system asks for a resend while the attempt is under way.
    expect(await db.transaction((trx) => dispatcher.resend(trx, owner, delivery.id))).toBe(true);
    await dispatcher.finish([parked(delivery)], new Date(0));
    const row = await db("callback_deliveries").where({ id: delivery.id }).first();
    expect(row).toMatchObject({
      state: "pending",
      round_attempts: 0,
      attempts: 1,
      parked_at: null,
      lease_owner: null,
    });
    expect(new Date(row.next_attempt_at).getTime()).toBeLessThanOrEqual(Date.now());
    expect(await db("callback_attempts").where({ delivery_id: delivery.id })).toHaveLength(1);
  });

  it("records the attempt of an instance whose lease ran out, leaving the delivery to the new holder", async () => {
    const { delivery } = await leasedDelivery("instance-a");
    // Instance a stalls; its lease runs out and instance b takes the delivery and attempts it too.
    await db("callback_deliveries")
      .where({ id: delivery.id })
      .update({ lease_until: db.raw("now() - interval '1 second'") });
    const claimed = await store("instance-b").claimDue({ limit: 10, perEndpoint: 8, exclude: [] });
    const taken = claimed.find((candidate) => candidate.id === delivery.id);
    expect(taken).toBeDefined();
    await store("instance-a").finish([parked(delivery)], new Date(0));
    await store("instance-b").finish([parked(taken as LeasedDelivery)], new Date(0));
    expect(await db("callback_attempts").where({ delivery_id: delivery.id })).toHaveLength(2);
    const row = await db("callback_deliveries").where({ id: delivery.id }).first();
    expect(row).toMatchObject({ state: "parked", attempts: 1, lease_owner: null });
  });
});
