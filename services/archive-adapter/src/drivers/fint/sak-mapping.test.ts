import { describe, expect, it } from "vitest";
import { ArchiveUnavailableError } from "../archive-errors";
import { landAcquisitionCase } from "./flyt-records.fixtures";
import { toArchivedCase, toSakResource } from "./sak-mapping";

const BASE = "https://api.felleskomponent.no";

describe("toSakResource", () => {
  it("writes plain fields as fields and codes as links to FINT's resources", () => {
    const sak = toSakResource(landAcquisitionCase, "sub_01", BASE);
    expect(sak).toMatchObject({
      tittel: "Grunnerverv gnr 12 bnr 4 – Fv. 5070",
      offentligTittel: "Grunnerverv gnr 12 bnr 4",
      noekkelord: ["flyt-external-id:sub_01"],
      _links: {
        arkivdel: [{ href: `${BASE}/arkiv/noark/arkivdel/systemid/SAK` }],
        administrativEnhet: [{ href: `${BASE}/arkiv/noark/administrativenhet/systemid/215` }],
        journalenhet: [{ href: `${BASE}/arkiv/noark/administrativenhet/systemid/SENTRAL` }],
        saksansvarlig: [{ href: `${BASE}/arkiv/noark/arkivressurs/systemid/10023` }],
        saksmappetype: [{ href: `${BASE}/arkiv/kodeverk/saksmappetype/systemid/SAK` }],
        saksstatus: [{ href: `${BASE}/arkiv/kodeverk/saksstatus/systemid/B` }],
        tilgangsgruppe: [{ href: `${BASE}/arkiv/kodeverk/tilgangsgruppe/systemid/Eiendom` }],
      },
    });
  });

  it("keeps the classifications in order, the primary first", () => {
    const { klasse } = toSakResource(landAcquisitionCase, "sub_01", BASE);
    expect(klasse).toEqual([
      {
        klasseId: "12/4",
        tittel: "Gårdsnummer 12, bruksnummer 4",
        rekkefolge: 1,
        _links: {
          klassifikasjonssystem: [{ href: `${BASE}/arkiv/noark/klassifikasjonssystem/systemid/GBNR` }],
        },
      },
      {
        klasseId: "611",
        tittel: "611",
        rekkefolge: 2,
        _links: {
          klassifikasjonssystem: [{ href: `${BASE}/arkiv/noark/klassifikasjonssystem/systemid/ARKNOKKEL` }],
        },
      },
    ]);
  });

  it("writes parties and screening with their codes as links, encoded", () => {
    const sak = toSakResource(landAcquisitionCase, "sub_01", BASE);
    expect(sak.part).toEqual([
      {
        partNavn: "Kari Grunneier",
        _links: { partRolle: [{ href: `${BASE}/arkiv/kodeverk/partrolle/systemid/GRUNNEIER` }] },
      },
    ]);
    expect(sak.skjerming?._links?.skjermingshjemmel).toEqual([
      { href: `${BASE}/arkiv/kodeverk/skjermingshjemmel/systemid/Offl.%20%C2%A7%2013` },
    ]);
  });

  it("keeps a code that is already a FINT link, and leaves out what is absent", () => {
    const sak = toSakResource(
      {
        ...landAcquisitionCase,
        arkivdel: "https://beta.felleskomponent.no/arkiv/noark/arkivdel/systemid/6",
        offentligTittel: null,
        saksansvarlig: null,
        skjerming: null,
        part: [],
      },
      "sub_01",
      `${BASE}/`,
    );
    expect(sak._links?.arkivdel).toEqual([
      { href: "https://beta.felleskomponent.no/arkiv/noark/arkivdel/systemid/6" },
    ]);
    expect(sak._links?.saksansvarlig).toBeUndefined();
    expect(sak).not.toHaveProperty("offentligTittel");
    expect(sak).not.toHaveProperty("skjerming");
    expect(sak._links?.saksstatus).toEqual([{ href: `${BASE}/arkiv/kodeverk/saksstatus/systemid/B` }]);
  });
});

describe("toArchivedCase", () => {
  it("reads the case number from mappeId, or from year and sequence, its arkivdel, and nothing of its content", () => {
    expect(
      toArchivedCase(
        {
          tittel: "T",
          mappeId: { identifikatorverdi: "2026/123" },
          systemId: { identifikatorverdi: "8812" },
          _links: { arkivdel: [{ href: "https://fint.example/arkiv/noark/arkivdel/systemid/ELEV%20A" }] },
        },
        { afterWrite: false },
      ),
    ).toEqual({ systemId: "8812", caseNumber: "2026/123", arkivdel: "ELEV A" });
    expect(
      toArchivedCase({ tittel: "T", saksaar: "2026", sakssekvensnummer: "7" }, { afterWrite: false }),
    ).toEqual({
      systemId: "2026/7",
      caseNumber: "2026/7",
    });
  });

  it("does not take an answer without a case number for a case", () => {
    expect(() => toArchivedCase({ tittel: "T" }, { afterWrite: true })).toThrow(ArchiveUnavailableError);
  });
});
