import { isRetriable } from "@flyt/errors";
import type { ConsumedMessage } from "@flyt/kafka";
import { createLogger } from "@flyt/logging";
import type { SubmissionReceived } from "@flyt/schemas";
import { topicCatalogue } from "@flyt/topics";
import { describe, expect, it } from "vitest";
import type { DecisionContext } from "../adapters/postgres/decision-store";
import { configuration, PDF_HEAD, receivedCase } from "../domain/submission.fixtures";
import { NotConfiguredError, validateReceivedHandler } from "./validate-received";

function handlerWith(context: DecisionContext | undefined) {
  const published: { topic: string; value: unknown }[] = [];
  const recorded: unknown[] = [];
  const handler = validateReceivedHandler({
    topics: topicCatalogue(),
    decisions: {
      context: async () => context,
      record: async (decision) => {
        recorded.push(decision);
      },
      referencedCase: async () => "UNKNOWN",
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

describe("validateReceivedHandler", () => {
  it("lets a submission wait, deciding nothing, while its integration has no active configuration", async () => {
    const { handle, published, recorded } = handlerWith({ state: "PILOT", activeVersion: null });
    const failure = await handle(receivedCase()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NotConfiguredError);
    expect(isRetriable(failure)).toBe(true);
    expect(published).toEqual([]);
    expect(recorded).toEqual([]);
  });

  it("rejects a submission for an integration that does not exist", async () => {
    const { handle, published } = handlerWith(undefined);
    await handle(receivedCase());
    expect(published).toEqual([
      {
        topic: "rejected",
        value: expect.objectContaining({
          configurationVersion: null,
          errors: [expect.objectContaining({ code: "unknown-integration", pointer: "/integrationId" })],
        }),
      },
    ]);
  });

  it("publishes a recorded rejection again as it was, without deciding anew", async () => {
    const errors = [{ code: "integration-deactivated", pointer: "/integrationId", detail: "deactivated" }];
    const { handle, published, recorded } = handlerWith({
      state: "ACTIVE",
      activeVersion: 3,
      earlier: { configurationVersion: 2, outcome: "REJECTED", errors },
    });
    await handle(receivedCase());
    expect(published).toEqual([
      { topic: "rejected", value: expect.objectContaining({ configurationVersion: 2, errors }) },
    ]);
    expect(recorded).toEqual([]);
  });
});
