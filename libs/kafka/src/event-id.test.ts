import { describe, expect, it } from "vitest";
import { answerEventId } from "./event-id";

describe("answerEventId", () => {
  it("is the same for the same cause and answer, and differs otherwise", () => {
    const cause = "3b4f8a0e-6f0e-4f4e-9d57-0c1f8f6d2a11";
    expect(answerEventId(cause, "validation")).toBe(answerEventId(cause, "validation"));
    expect(answerEventId(cause, "validation")).not.toBe(answerEventId(cause, "archive"));
    expect(answerEventId(cause, "validation")).not.toBe(
      answerEventId("3b4f8a0e-6f0e-4f4e-9d57-0c1f8f6d2a12", "validation"),
    );
  });

  it("is a version 8 UUID, as the Avro uuid fields expect", () => {
    expect(answerEventId("x", "y")).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
