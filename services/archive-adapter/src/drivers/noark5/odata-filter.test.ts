import { describe, expect, it } from "vitest";
import { allOf, equals, odataString } from "./odata-filter";

describe("OData filters", () => {
  it("writes equality on a field, a path and a business-specific metadata name", () => {
    expect(equals("mappeID", "2026/123")).toBe("mappeID eq '2026/123'");
    expect(equals("klasse/klasseID", "12/4")).toBe("klasse/klasseID eq '12/4'");
    expect(equals("vnd-flyt-v1:eksternid", "a1")).toBe("vnd-flyt-v1:eksternid eq 'a1'");
  });

  it("doubles quotes, so a value cannot end its literal", () => {
    expect(odataString("O'Brien")).toBe("'O''Brien'");
    expect(equals("tittel", "x' or tittel eq 'y")).toBe("tittel eq 'x'' or tittel eq ''y'");
    expect(odataString("søknad æøå")).toBe("'søknad æøå'");
  });

  it("refuses a field name that is not one", () => {
    expect(() => equals("tittel eq 'x' or tittel", "y")).toThrow(/not an OData field name/);
    expect(() => equals("", "y")).toThrow();
  });

  it("joins conditions with and", () => {
    expect(allOf([equals("tittel", "a"), equals("saksstatus/kode", "B")])).toBe(
      "tittel eq 'a' and saksstatus/kode eq 'B'",
    );
    expect(() => allOf([])).toThrow();
  });
});
