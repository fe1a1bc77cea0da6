import { describe, expect, it } from "vitest";
import { admit, answer } from "./decide";
import { configuration, PDF_HEAD, receivedCase } from "./submission.fixtures";

const { submission } = receivedCase();

describe("admit", () => {
  it("validates with the integration's active version", () => {
    expect(admit(submission, { state: "PILOT", activeVersion: 4 })).toEqual({
      action: "validate",
      version: 4,
    });
  });

  it("waits while the integration has no active configuration: the source system cannot fix that", () => {
    expect(admit(submission, { state: "ACTIVE", activeVersion: null })).toMatchObject({ action: "wait" });
  });

  it.each([
    [undefined, "unknown-integration", null],
    [{ state: "DEACTIVATED" as const, activeVersion: 2 }, "integration-deactivated", 2],
  ])("rejects for %o with %s", (integration, code, version) => {
    expect(admit(submission, integration)).toEqual({
      action: "reject",
      answer: {
        topic: "rejected",
        value: {
          submission,
          configurationVersion: version,
          errors: [expect.objectContaining({ code, pointer: "/integrationId" })],
        },
      },
    });
  });
});

describe("answer", () => {
  it("is the validated event's content: the normalised request, its destination and version", () => {
    const received = receivedCase();
    const destination = { id: "demo-simulator", driver: "SIMULATOR" as const };
    const fileHeads = new Map([[received.journalPosts[0]?.dokumenter[0]?.file.fileId ?? "", PDF_HEAD]]);
    expect(answer(received, { version: 3, configuration, destination }, { fileHeads })).toMatchObject({
      topic: "validated",
      value: { submission: received.submission, configurationVersion: 3, destination, caseMode: "NEW" },
    });
  });
});
