import { describe, expect, it } from "vitest";
import { parseInstant } from "./instant";

describe("parseInstant", () => {
  it.each([
    ["2026-11-23T00:00:00Z", "2026-11-23T00:00:00.000Z"],
    ["2026-11-23T01:30:00+01:00", "2026-11-23T00:30:00.000Z"],
    ["2026-11-23T00:00:00.123Z", "2026-11-23T00:00:00.123Z"],
    ["2026-11-23T00:00Z", "2026-11-23T00:00:00.000Z"],
  ])("reads %s", (value, iso) => {
    expect(parseInstant(value)?.toISOString()).toBe(iso);
  });

  it.each([
    ["2026-11-23"],
    ["2026-11-23T00:00:00"],
    ["yesterday"],
    ["2026-13-45T00:00:00Z"],
    ["T Z"],
    ["on 2026-11-23T00:00:00Z"],
    ["2026-11-23T00:00:00Z and more"],
    [42],
    [undefined],
  ])("refuses %s", (value) => {
    expect(parseInstant(value)).toBeUndefined();
  });

  it("refuses text longer than any instant, such as a request's 16 KB of T's", () => {
    expect(parseInstant(`${"T".repeat(16_000)}Z`)).toBeUndefined();
    expect(parseInstant(`2026-11-23T00:00:00.123456789${"0".repeat(10)}Z`)).toBeUndefined();
  });
});
