import { isRetriable } from "@flyt/errors";
import type { ConsumedMessage } from "@flyt/kafka";
import { createLogger } from "@flyt/logging";
import type { SubmissionReceived } from "@flyt/schemas";
import { topicCatalogue } from "@flyt/topics";
import { describe, expect, it } from "vitest";
import type { Answer } from "../domain/decide";
import { configuration, PDF_HEAD, receivedCase, receivedJournalPosts } from "../domain/submission.fixtures";
import {
  CaseNotDecidedError,
  type DecisionContext,
  NotConfiguredError,
  validateReceivedHandler,
} from "./validate-received";

const recordedElsewhere: Answer = {
  topic: "rejected",
  value: {
    submission: receivedCase().submission,
    configurationVersion: 2,
    errors: [{ code: "integration-deactivated", pointer: "/integrationId", detail: "deactivated" }],
  },
};

function handlerWith(context: DecisionContext, options: { alreadyRecorded?: Answer } = {}) {
  const published: { topic: string; value: unknown }[] = [];
  const recorded: Answer[] = [];
  const handler = validateReceivedHandler({
    topics: topicCatalogue(),
    decisions: {
      context: async () => context,
      record: async ({ answer }) => {
        recorded.push(answer);
        return options.alreadyRecorded ?? answer;
      },
      referencedCase: async () => undefined,
    },
    configurations: {
      get: async (_tenant, _integration, version) => ({
        version,
        configuration,
        destination: { id: "demo-simulator", driver: "SIMULATOR" },
      }),
    },
    files: { heads: async ({ fileIds }) => new Map(fileIds.map((id) => [id, PDF_HEAD])) },
    publish: {
      validated: async (_key, value) => {
        published.push({ topic: "validated", value });
      },
      rejected: async (_key, value) => {
        published.push({ topic: "rejected", value });
      },
    },
    now: () => new Date("2026-11-23T09:00:00Z"),
  });
  const message = (value: SubmissionReceived) =>
    ({
      value,
      key: value.submission.id,
      headers: {},
      topic: "t",
      partition: 0,
      offset: "0",
      attempt: 1,
      correlationId: value.meta.correlationId,
      logger: createLogger({ service: "test", level: "silent" }),
      signal: new AbortController().signal,
    }) satisfies ConsumedMessage<SubmissionReceived>;
  return { handle: (value: SubmissionReceived) => handler.handle(message(value)), published, recorded };
}

const active = { integration: { state: "ACTIVE" as const, activeVersion: 3 } };

describe("validateReceivedHandler", () => {
  it("records the answer, then publishes it", async () => {
    const { handle, published, recorded } = handlerWith(active);
    await handle(receivedCase());
    expect(recorded).toEqual([expect.objectContaining({ topic: "validated" })]);
    expect(published).toEqual([
      {
        topic: "validated",
        value: expect.objectContaining({ configurationVersion: 3, meta: expect.anything() }),
      },
    ]);
  });

  it("lets a submission wait, deciding nothing, while its integration has no active configuration", async () => {
    const { handle, published, recorded } = handlerWith({
      integration: { state: "PILOT", activeVersion: null },
    });
    const failure = await handle(receivedCase()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NotConfiguredError);
    expect(isRetriable(failure)).toBe(true);
    expect([published, recorded]).toEqual([[], []]);
  });

  it("lets journal posts wait while their case submission is not decided yet", async () => {
    const { handle, published } = handlerWith(active);
    const failure = await handle(receivedJournalPosts("sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9D")).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(CaseNotDecidedError);
    expect(isRetriable(failure)).toBe(true);
    expect(published).toEqual([]);
  });

  it("publishes an answer given before as it was, without deciding anew", async () => {
    const { handle, published, recorded } = handlerWith({ ...active, earlier: recordedElsewhere });
    await handle(receivedCase());
    expect(published).toEqual([
      { topic: "rejected", value: expect.objectContaining(recordedElsewhere.value) },
    ]);
    expect(recorded).toEqual([]);
  });

  it("publishes the answer that was recorded first when another delivery raced it", async () => {
    const { handle, published } = handlerWith(active, { alreadyRecorded: recordedElsewhere });
    await handle(receivedCase());
    expect(published).toEqual([
      { topic: "rejected", value: expect.objectContaining(recordedElsewhere.value) },
    ]);
  });
});
