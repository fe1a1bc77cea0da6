import { describe, expect, it } from "vitest";
import { parseFilter } from "../../../test-support/fake-fint/odata-grammar";
import { ArchiveRefusedError } from "../archive-errors";
import { caseSearch, isSearchable } from "./case-search";
import type { Relation } from "./code-lists";
import type { SakResource } from "./fint-resources";

/** The archive's system ids for Flyt's codes, as a Public 360 list holds them. */
const systemIds: Readonly<Record<string, string>> = {
  "arkivdel:SAK": "60005",
  "klassifikasjonssystem:GBNR": "1",
  "saksmappetype:SAK": "500",
  "administrativEnhet:215": "215",
  "saksstatus:B": "17",
  "tilgangsrestriksjon:13": "300",
};
const systemIdOf = async (relation: Relation, value: string) => {
  const id = systemIds[`${relation}:${value}`];
  if (!id) throw new ArchiveRefusedError(`no ${relation} ${value}`);
  return id;
};

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected the search to be refused");
    },
    (error: unknown) => error as ArchiveRefusedError,
  );

describe("caseSearch", () => {
  it("asks for every criterion with the archive's system ids, in FINT's grammar", async () => {
    const { filter } = await caseSearch(
      { arkivdel: "SAK", "klassering.ordningsprinsipp": "GBNR", "klassering.ordningsverdi": "12/4" },
      "ELEMENTS",
      systemIdOf,
    );
    expect(filter).toBe(
      "arkivdel eq '60005' and klassifikasjon/primar/ordning eq '1' and klassifikasjon/primar/verdi eq '12/4'",
    );
    expect(parseFilter(filter)).not.toHaveProperty("error");
  });

  it("is the same question whatever order the criteria come in", async () => {
    const a = await caseSearch({ tittel: "A", arkivdel: "SAK" }, undefined, systemIdOf);
    const b = await caseSearch({ arkivdel: "SAK", tittel: "A" }, undefined, systemIdOf);
    expect(a.filter).toBe(b.filter);
  });

  it("refuses a value FINT's grammar cannot hold instead of escaping it, naming the criterion", async () => {
    for (const tittel of [
      "Kari's sak",
      "Kari's sak' or tittel eq 'x",
      "Veg (fv. 5070)",
      "Søknad, 2026",
      "Café",
    ]) {
      const error = await refusal(caseSearch({ tittel }, "P360", systemIdOf));
      expect(error).toBeInstanceOf(ArchiveRefusedError);
      expect(error.archiveMessage).toContain("search criterion tittel");
    }
    expect(isSearchable("Grunnerverv gnr 12/4 - Fv. 5070 {Æøå}")).toBe(true);
    expect(isSearchable("")).toBe(false);
  });

  it("sends only what the configured adapter searches by, and only what both do when unknown", async () => {
    expect((await caseSearch({ administrativEnhet: "215" }, "ELEMENTS", systemIdOf)).filter).toBe(
      "administrativenhet eq '215'",
    );
    expect((await caseSearch({ saksstatus: "B" }, "P360", systemIdOf)).filter).toBe("saksstatus eq '17'");
    expect(
      (await refusal(caseSearch({ administrativEnhet: "215" }, "P360", systemIdOf))).archiveMessage,
    ).toBe('Public 360 behind FINT cannot search cases by "administrativEnhet"');
    expect((await refusal(caseSearch({ saksstatus: "B" }, "ELEMENTS", systemIdOf))).archiveMessage).toContain(
      "Elements",
    );
    const unknown = await refusal(caseSearch({ tilgangsrestriksjon: "13" }, undefined, systemIdOf));
    expect(unknown.archiveMessage).toContain("set the destination's adapter");
    await expect(caseSearch({ part: "Kari" }, "P360", systemIdOf)).rejects.toBeInstanceOf(
      ArchiveRefusedError,
    );
    await expect(caseSearch({}, "P360", systemIdOf)).rejects.toBeInstanceOf(ArchiveRefusedError);
  });

  it("checks the classification system on the hits where Public 360 would ignore it", async () => {
    const hit = (system: string | undefined): SakResource => ({
      tittel: "T",
      klasse: [
        {
          tittel: "12/4",
          rekkefolge: 1,
          ...(system
            ? { _links: { klassifikasjonssystem: [{ href: `https://f/systemid/${system}` }] } }
            : {}),
        },
      ],
    });
    const criteria = { "klassering.ordningsprinsipp": "GBNR", "klassering.ordningsverdi": "12/4" };
    const p360 = await caseSearch(criteria, "P360", systemIdOf);
    expect([p360.keep(hit("1")), p360.keep(hit("2")), p360.keep(hit(undefined))]).toEqual([
      true,
      false,
      true,
    ]);
    const unknown = await caseSearch(criteria, undefined, systemIdOf);
    expect(unknown.keep(hit("2"))).toBe(false);
    const elements = await caseSearch(criteria, "ELEMENTS", systemIdOf);
    expect(elements.keep(hit("2"))).toBe(true);
  });
});
