import { describe, expect, it } from "vitest";
import { decodeCursor } from "./status-reader";

const cursor = (...parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString("base64url");

describe("decodeCursor", () => {
  it("reads a cursor as the submission list writes it", () => {
    expect(decodeCursor(cursor("2026-12-02T04:01:02.123Z", "sub_01JDX9ZK3M4N5P6Q7R8S9T0V1W"))).toEqual({
      updatedAt: new Date("2026-12-02T04:01:02.123Z"),
      submissionId: "sub_01JDX9ZK3M4N5P6Q7R8S9T0V1W",
    });
  });

  it.each([
    ["a NUL in the id", cursor("2026-12-02T04:01:02.123Z", "sub_\u0000")],
    ["no time", cursor("later", "sub_1")],
    ["no JSON at all", "bm90IGpzb24"],
  ])("refuses one with %s", (_case, value) => {
    expect(decodeCursor(value)).toBeUndefined();
  });
});
