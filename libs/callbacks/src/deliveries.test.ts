import { describe, expect, it } from "vitest";
import { decodeDeliveryCursor } from "./deliveries";

const cursor = (...parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString("base64url");

describe("decodeDeliveryCursor", () => {
  it("reads a cursor as the delivery list writes it", () => {
    const id = "0a5c9d1e-4b7f-8c2d-9e3f-1a2b3c4d5e6f";
    expect(decodeDeliveryCursor(cursor("2026-12-02 04:01:02.123456+00", id))).toEqual({
      createdAt: "2026-12-02 04:01:02.123456+00",
      id,
    });
  });

  it.each([
    ["a month and an hour out of range", cursor("2026-13-45 99:99:99+00", "d-1")],
    ["a day the month does not have", cursor("2026-02-31 04:01:02+00", "d-1")],
    ["an offset no time zone has", cursor("2026-12-02 04:01:02+99", "d-1")],
    ["a NUL in the id", cursor("2026-12-02 04:01:02+00", "d\u00001")],
    ["an id longer than any delivery's", cursor("2026-12-02 04:01:02+00", "d".repeat(129))],
    ["no id", cursor("2026-12-02 04:01:02+00")],
    ["no JSON at all", "bm90IGpzb24"],
  ])("refuses one with %s (a 400, never a query Postgres refuses)", (_case, value) => {
    expect(decodeDeliveryCursor(value)).toBeUndefined();
  });
});
