import { createDatabase } from "@flyt/postgres";
import { createTestDatabase } from "@flyt/testing";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callbackStateJson, DeliveryReader, toCallbackState } from "./deliveries";
import { CallbackEndpoints, type Owner } from "./endpoints";
import { migrateCallbacks } from "./migrations";

let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Knex;
let endpoints: CallbackEndpoints;
let sequence = 0;
const owner = (): Owner => {
  sequence += 1;
  return { tenantId: "demo", sourceApplicationId: `app-${sequence}` };
};
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

beforeAll(async () => {
  scratch = await createTestDatabase();
  db = createDatabase({ url: scratch.url, applicationName: "flyt.test" });
  expect(await migrateCallbacks(db)).toEqual([
    "001-callback-endpoints",
    "002-callback-endpoint-state",
    "003-callback-deliveries",
  ]);
  expect(await migrateCallbacks(db)).toEqual([]);
  endpoints = new CallbackEndpoints(db);
});

afterAll(async () => {
  await db?.destroy();
  await scratch?.drop();
});

describe("callback endpoints", () => {
  it("signs with both secrets during a rotation's overlap, and with the new one after it", async () => {
    const who = owner();
    await endpoints.register(who, "https://fagsystem.example/cb", "whsec_old");
    await endpoints.rotate(who, "whsec_new", new Date(Date.now() + 60_000));
    expect((await endpoints.signing([who])).get(`demo/${who.sourceApplicationId}`)?.secrets).toEqual([
      "whsec_new",
      "whsec_old",
    ]);
    await endpoints.rotate(who, "whsec_newer", new Date(Date.now() - 1));
    expect((await endpoints.signing([who])).get(`demo/${who.sourceApplicationId}`)?.secrets).toEqual([
      "whsec_newer",
    ]);
  });

  it("disables and flags an endpoint that answered 410, once", async () => {
    const who = owner();
    await endpoints.register(who, "https://fagsystem.example/cb", "whsec_a");
    const report = { owner: who, succeeded: false, gone: true, at: new Date() };
    expect(await endpoints.recordHealth([report], hoursAgo(120))).toEqual([{ owner: who, reason: "gone" }]);
    expect(await endpoints.recordHealth([report], hoursAgo(120))).toEqual([]);
    expect(await endpoints.find(who)).toMatchObject({ disabledReason: "gone", flaggedAt: expect.any(Date) });
    expect((await endpoints.needingAttention("demo")).map((e) => e.sourceApplicationId)).toContain(
      who.sourceApplicationId,
    );
  });

  it("disables an endpoint only when it failed everything for the whole period; a success starts it over", async () => {
    const who = owner();
    await endpoints.register(who, "https://fagsystem.example/cb", "whsec_a");
    const failure = (at: Date) => ({ owner: who, succeeded: false, gone: false, at });
    // Disabled after 3 hours of failing everything: a failure 2 hours ago is not enough yet.
    expect(await endpoints.recordHealth([failure(hoursAgo(2))], hoursAgo(3))).toEqual([]);
    expect(await endpoints.recordHealth([{ ...failure(new Date()), succeeded: true }], hoursAgo(3))).toEqual(
      [],
    );
    expect((await endpoints.find(who))?.failingSince).toBeNull();
    expect(await endpoints.recordHealth([failure(hoursAgo(2))], hoursAgo(3))).toEqual([]);
    // An hour later by the rule's clock, failing again: failing since 2 hours before that, for over the limit.
    expect(await endpoints.recordHealth([failure(new Date())], hoursAgo(1))).toEqual([
      { owner: who, reason: "failing" },
    ]);
    expect(await endpoints.find(who)).toMatchObject({
      disabledReason: "failing",
      disabledAt: expect.any(Date),
    });
  });

  it("is enabled again by re-registering (which keeps when it was first registered) or by an operator", async () => {
    const who = owner();
    await endpoints.register(who, "https://fagsystem.example/cb", "whsec_a");
    await endpoints.recordHealth([{ owner: who, succeeded: false, gone: true, at: new Date() }], new Date(0));
    expect((await endpoints.reenable(who))?.disabledAt).toBeNull();
    await endpoints.recordHealth([{ owner: who, succeeded: false, gone: true, at: new Date() }], new Date(0));
    const before = (await endpoints.find(who))?.registeredAt as Date;
    await endpoints.register(who, "https://fagsystem.example/new", "whsec_b");
    const after = await endpoints.find(who);
    expect(after).toMatchObject({ url: "https://fagsystem.example/new", disabledAt: null, flaggedAt: null });
    // Still the same registration: what ended under it and is not called back yet goes to the new URL.
    expect(after?.registeredAt).toEqual(before);
  });
});

describe("DeliveryReader", () => {
  const delivery = (who: Owner, id: string, fields: Record<string, unknown>) => ({
    id,
    kind: "submission",
    tenant_id: who.tenantId,
    source_application_id: who.sourceApplicationId,
    submission_id: "sub_1",
    run: 1,
    event_type: "submission.archived",
    body: "{}",
    occurred_at: new Date(),
    state: "retrying",
    ...fields,
  });

  it("pages through deliveries recorded by one statement (one created_at, to the microsecond) without skipping any", async () => {
    const who = owner();
    const ids = [1, 2, 3, 4, 5].map((n) => `${who.sourceApplicationId}-batch-${n}`);
    // One statement: every row gets the same now(), which a millisecond cursor would round.
    await db("callback_deliveries").insert(
      ids.map((id) => {
        const { created_at: _default, ...row } = { ...delivery(who, id, {}), created_at: undefined };
        return row;
      }),
    );
    const reader = new DeliveryReader(db);
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 5; page += 1) {
      const listed = await reader.deliveries(who, { limit: 2, ...(after ? { after } : {}) });
      seen.push(...listed.items.map((item) => item.id));
      after = listed.next;
      if (!after) break;
    }
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it("answers only the owner's deliveries, with their attempts, newest first and paged", async () => {
    const who = owner();
    const other = owner();
    await db("callback_deliveries").insert([
      delivery(who, `${who.sourceApplicationId}-1`, { created_at: hoursAgo(2), state: "delivered" }),
      delivery(who, `${who.sourceApplicationId}-2`, { created_at: hoursAgo(1), attempts: 2 }),
      delivery(other, `${other.sourceApplicationId}-1`, {}),
    ]);
    await db("callback_attempts").insert([
      {
        delivery_id: `${who.sourceApplicationId}-2`,
        attempt: 2,
        at: new Date(),
        duration_ms: 5,
        status_code: null,
        error: "timeout",
        url: "u",
      },
      {
        delivery_id: `${who.sourceApplicationId}-2`,
        attempt: 1,
        at: hoursAgo(1),
        duration_ms: 7,
        status_code: 503,
        url: "u",
      },
    ]);
    const reader = new DeliveryReader(db);
    const first = await reader.deliveries(who, { limit: 1 });
    expect(first.items.map((item) => item.id)).toEqual([`${who.sourceApplicationId}-2`]);
    expect(first.items[0]?.attemptLog.map((a) => [a.attempt, a.statusCode, a.error])).toEqual([
      [1, 503, null],
      [2, null, "timeout"],
    ]);
    const second = await reader.deliveries(who, { limit: 1, after: first.next as string });
    expect(second).toMatchObject({ items: [{ id: `${who.sourceApplicationId}-1`, state: "delivered" }] });
    expect(second.next).toBeUndefined();
    expect(await reader.delivery(who, `${other.sourceApplicationId}-1`)).toBeUndefined();
    expect((await reader.deliveries(who, { limit: 10, state: "delivered" })).items).toHaveLength(1);
  });

  it("shows the latest transition's callback, disabled while its endpoint is", async () => {
    const who = owner();
    await endpoints.register(who, "https://fagsystem.example/cb", "whsec_a");
    const submissionId = `sub_${who.sourceApplicationId}`;
    await db("callback_deliveries").insert([
      delivery(who, `${submissionId}-run1`, {
        submission_id: submissionId,
        occurred_at: hoursAgo(3),
        state: "parked",
      }),
      delivery(who, `${submissionId}-run2`, {
        submission_id: submissionId,
        run: 2,
        attempts: 1,
        last_status_code: 500,
        next_attempt_at: new Date(Date.now() + 5_000),
      }),
    ]);
    const callbackState = async (id: string) => {
      const { rows } = await db.raw(`select ${callbackStateJson("?")} as callback`, [id]);
      return toCallbackState(rows[0]?.callback ?? null);
    };
    expect(await callbackState(submissionId)).toMatchObject({
      state: "retrying",
      attempts: 1,
      lastStatusCode: 500,
      nextAttemptAt: expect.any(Date),
    });
    await endpoints.recordHealth([{ owner: who, succeeded: false, gone: true, at: new Date() }], new Date(0));
    expect(await callbackState(submissionId)).toMatchObject({ state: "disabled" });
    expect(await callbackState("sub_none")).toBeUndefined();
  });
});
