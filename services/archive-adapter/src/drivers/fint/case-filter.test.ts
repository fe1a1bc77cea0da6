import { describe, expect, it } from "vitest";
import { ArchiveRefusedError } from "../archive-errors";
import { caseFilter, externalIdFilter, odataString } from "./case-filter";

describe("caseFilter", () => {
  it("asks FINT for every criterion, primary classification as klassifikasjon/primar", () => {
    expect(
      caseFilter({
        arkivdel: "SAK",
        "klassering.ordningsprinsipp": "GBNR",
        "klassering.ordningsverdi": "12/4",
      }),
    ).toBe(
      "arkivdel eq 'SAK' and klassifikasjon/primar/ordning eq 'GBNR' and klassifikasjon/primar/verdi eq '12/4'",
    );
  });

  it("is the same question whatever order the criteria come in", () => {
    expect(caseFilter({ tittel: "A", arkivdel: "SAK" })).toBe(caseFilter({ arkivdel: "SAK", tittel: "A" }));
  });

  it("escapes quotes in values, so a value cannot add conditions of its own", () => {
    expect(caseFilter({ tittel: "Kari's sak' or tittel eq 'x" })).toBe(
      "tittel eq 'Kari''s sak'' or tittel eq ''x'",
    );
    expect(odataString("'")).toBe("''''");
  });

  it("maps the other searchable fields to FINT's filter names", () => {
    expect(caseFilter({ administrativEnhet: "215", saksmappetype: "SAK", saksstatus: "B" })).toBe(
      "administrativenhet eq '215' and saksmappetype eq 'SAK' and saksstatus eq 'B'",
    );
  });

  it("refuses a criterion FINT cannot search, and an empty search", () => {
    expect(() => caseFilter({ part: "Kari" })).toThrow(ArchiveRefusedError);
    expect(() => caseFilter({})).toThrow(ArchiveRefusedError);
  });
});

describe("externalIdFilter", () => {
  it("looks for the external id among the case's keywords", () => {
    expect(externalIdFilter("sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9D")).toBe(
      "noekkelord/any(k:k eq 'flyt-external-id:sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9D')",
    );
  });
});
