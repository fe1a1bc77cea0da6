import { randomUUID } from "node:crypto";
import { createDatabase } from "@flyt/postgres";
import type { SubmissionRef } from "@flyt/schemas";
import { migrateStatusReadModel } from "@flyt/status-read-model";
import { createTestDatabase, uniqueName } from "@flyt/testing";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StatusEvent } from "../../domain/status-transition";
import { createRebuildSchema, swapInRebuiltTables } from "./read-model-swap";
import { type IncomingStatusEvent, StatusStore } from "./status-store";

const schema = uniqueName("flyt_status_rebuild").replaceAll("-", "_");
let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let live: Knex;
let rebuilt: Knex;
const completionEventId = (terminalEventId: string) => `completion-of-${terminalEventId}`;

beforeAll(async () => {
  scratch = await createTestDatabase();
  live = createDatabase({ url: scratch.url, applicationName: "flyt.test" });
  rebuilt = createDatabase({ url: scratch.url, applicationName: "flyt.test", searchPath: [schema] });
  await migrateStatusReadModel(live);
  await createRebuildSchema(live, schema);
  await migrateStatusReadModel(rebuilt);
});

afterAll(async () => {
  await rebuilt?.destroy();
  await live?.destroy();
  await scratch?.drop();
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
/** A submission's received, validated and archived events. */
function lifecycle(submission: SubmissionRef): IncomingStatusEvent[] {
  const steps: [StatusEvent["status"], number][] = [
    ["RECEIVED", 0],
    ["VALIDATED", 1],
    ["ARCHIVED", 4],
  ];
  return steps.map(([status, second]) => ({
    event: {
      eventId: randomUUID(),
      submission,
      status,
      at: at(second),
      ...(status === "RECEIVED" ? { receivedAt: at(0) } : {}),
      ...(status === "ARCHIVED"
        ? { caseNumber: "2026/5", journalPostNumbers: ["2026/5-1"], errors: [] }
        : {}),
    },
    headers: {
      correlationId: randomUUID(),
      traceparent: "",
      tenant: submission.tenant,
      sourceApplication: submission.sourceApplication,
      submissionId: submission.id,
    },
  }));
}

describe("swapping in a rebuilt read model", () => {
  it("announces a submission the rebuild completed that the live model held back, and nothing it announced", async () => {
    const liveStore = new StatusStore(live, completionEventId);
    const rebuildStore = new StatusStore(rebuilt, completionEventId);
    // Held back live: VALIDATED was dead-lettered, so ARCHIVED waits; the rebuild reads VALIDATED from the topic.
    const heldBack = ref();
    const [received, validated, archived] = lifecycle(heldBack) as [
      IncomingStatusEvent,
      ...IncomingStatusEvent[],
    ];
    await liveStore.apply([received, archived as IncomingStatusEvent]);
    await rebuildStore.apply([received, validated as IncomingStatusEvent, archived as IncomingStatusEvent]);
    // Announced live long ago (the outbox has forgotten it): not to be announced again.
    const done = ref();
    const doneEvents = lifecycle(done);
    await liveStore.apply(doneEvents);
    await live("completion_outbox").where({ submission_id: done.id }).delete();
    await rebuildStore.apply(doneEvents);

    const swapped = await swapInRebuiltTables({
      db: live,
      rebuildSchema: schema,
      applyToRebuilt: (trx, events) => new StatusStore(trx, completionEventId).apply(events),
      completionEventId,
    });
    expect(swapped).toEqual({ takenOver: 0, announced: 1 });

    const outbox = await live("completion_outbox").select(
      "event_id",
      "submission_id",
      "event",
      "published_at",
    );
    expect(outbox).toEqual([
      expect.objectContaining({
        event_id: completionEventId(archived?.event.eventId as string),
        submission_id: heldBack.id,
        published_at: null,
      }),
    ]);
    expect(outbox[0]?.event).toMatchObject({
      status: "ARCHIVED",
      caseNumber: "2026/5",
      history: [{ status: "RECEIVED" }, { status: "VALIDATED" }, { status: "ARCHIVED" }],
    });
    expect(await live("submission_status").where({ submission_id: heldBack.id }).first()).toMatchObject({
      status: "ARCHIVED",
      announced_status_event_id: archived?.event.eventId,
    });
    // The dead-lettered VALIDATED replayed to the live projection afterwards announces nothing more.
    expect(await liveStore.apply([validated as IncomingStatusEvent])).toEqual([undefined]);
    expect(await live("completion_outbox").count({ n: "*" })).toEqual([{ n: "1" }]);
  });
});
