import { describe, expect, it } from "vitest";
import { isCaseNumber } from "./case-number";

describe("isCaseNumber", () => {
  it("takes case numbers as archives write them: Public 360's two-digit year and padding, or four digits", () => {
    for (const number of ["2026/123", "19/00094", "24/00027", "2021/1"])
      expect(isCaseNumber(number)).toBe(true);
  });

  it("refuses what is not one: a submission id, a three-digit year, no sequence, a journal post number", () => {
    for (const other of [
      "sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9C",
      "202/1",
      "2026/",
      "2026/123-1",
      "2026-123",
      "/1",
    ]) {
      expect(isCaseNumber(other)).toBe(false);
    }
  });
});
