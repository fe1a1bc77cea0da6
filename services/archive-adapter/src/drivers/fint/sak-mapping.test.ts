import { describe, expect, it } from "vitest";
import { ArchiveRefusedError, ArchiveUnavailableError } from "../archive-errors";
import { landAcquisitionCase } from "./flyt-records.fixtures";
import { toArchivedCase, toSakResource } from "./sak-mapping";
import { BASE, testLinker } from "./test-linker.fixtures";

describe("toSakResource", () => {
  it("writes plain fields as fields and codes as the links the archive's lists give them", async () => {
    const sak = await toSakResource(landAcquisitionCase, testLinker({ "arkivdel:SAK": "60005" }));
    expect(sak).toMatchObject({
      tittel: "Grunnerverv gnr 12 bnr 4 – Fv. 5070",
      offentligTittel: "Grunnerverv gnr 12 bnr 4",
      _links: {
        arkivdel: [{ href: `${BASE}/arkivdel/60005` }],
        administrativEnhet: [{ href: `${BASE}/administrativEnhet/215` }],
        journalenhet: [{ href: `${BASE}/journalenhet/216` }],
        saksansvarlig: [{ href: `${BASE}/saksansvarlig/10023` }],
        saksmappetype: [{ href: `${BASE}/saksmappetype/SAK` }],
        saksstatus: [{ href: `${BASE}/saksstatus/B` }],
      },
    });
    // No marker of Flyt's own: FINT's adapters drop keywords.
    expect(sak).not.toHaveProperty("noekkelord");
  });

  it("keeps the classifications in order, the primary first, each with its system's link", async () => {
    const { klasse } = await toSakResource(
      landAcquisitionCase,
      testLinker({ "klassifikasjonssystem:GBNR": "1" }),
    );
    expect(klasse).toEqual([
      {
        klasseId: "12/4",
        tittel: "Gårdsnummer 12, bruksnummer 4",
        rekkefolge: 1,
        _links: { klassifikasjonssystem: [{ href: `${BASE}/klassifikasjonssystem/1` }] },
      },
      {
        klasseId: "611",
        tittel: "611",
        rekkefolge: 2,
        _links: { klassifikasjonssystem: [{ href: `${BASE}/klassifikasjonssystem/ARKNOKKEL` }] },
      },
    ]);
  });

  it("writes parties and screening with their codes as links, the legal basis never as text", async () => {
    const sak = await toSakResource(
      landAcquisitionCase,
      testLinker({ "skjermingshjemmel:offl.13.fvl.13": "400" }),
    );
    expect(sak.part).toEqual([
      { partNavn: "Kari Grunneier", _links: { partRolle: [{ href: `${BASE}/partRolle/GRUNNEIER` }] } },
    ]);
    expect(sak.skjerming?._links).toEqual({
      tilgangsrestriksjon: [{ href: `${BASE}/tilgangsrestriksjon/13` }],
      skjermingshjemmel: [{ href: `${BASE}/skjermingshjemmel/400` }],
    });
  });

  it("refuses a case with a code the archive does not know, before anything is sent", async () => {
    await expect(
      toSakResource(landAcquisitionCase, testLinker({}, ["offl.13.fvl.13"])),
    ).rejects.toBeInstanceOf(ArchiveRefusedError);
  });

  it("keeps a configured link, and leaves out what is absent", async () => {
    const sak = await toSakResource(
      {
        ...landAcquisitionCase,
        arkivdel: "https://beta.felleskomponent.no/arkiv/noark/arkivdel/systemid/6",
        offentligTittel: null,
        saksansvarlig: null,
        skjerming: null,
        part: [],
      },
      testLinker(),
    );
    expect(sak._links?.arkivdel).toEqual([
      { href: "https://beta.felleskomponent.no/arkiv/noark/arkivdel/systemid/6" },
    ]);
    expect(sak._links?.saksansvarlig).toBeUndefined();
    expect(sak).not.toHaveProperty("offentligTittel");
    expect(sak).not.toHaveProperty("skjerming");
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

  it("keeps a Public 360 case number verbatim, leading zeros and all", () => {
    expect(
      toArchivedCase({ tittel: "T", mappeId: { identifikatorverdi: "19/00094" } }, { afterWrite: false })
        .caseNumber,
    ).toBe("19/00094");
  });

  it("does not take an answer without a case number for a case", () => {
    expect(() => toArchivedCase({ tittel: "T" }, { afterWrite: true })).toThrow(ArchiveUnavailableError);
  });
});
