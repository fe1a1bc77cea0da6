import { PermanentError } from "@flyt/errors";
import type { Arkivsak, Journalpost } from "@flyt/schemas";
import { describe, expect, it } from "vitest";
import { ArchiveRefusedError } from "../archive-errors";
import {
  caseCriterionCondition,
  DEFAULT_SCREENING,
  dokumentobjektBody,
  DEFAULT_BUSINESS_METADATA_FIELDS as FIELDS,
  internalCorrespondentBody,
  isCompleted,
  journalPostNumber,
  journalpostBody,
  korrespondansepartBody,
  korrespondanseparttypeCode,
  partBody,
  saksmappeBody,
  templateDefaults,
  toArchivedCase,
} from "./noark5-mapping";

const arkivsak: Arkivsak = {
  tittel: "Byggesak Storgata 1",
  offentligTittel: "Byggesak ****",
  saksansvarlig: "kari",
  administrativEnhet: "Plan og bygg",
  arkivdel: "SAK",
  journalenhet: null,
  saksmappetype: null,
  saksstatus: "B",
  tilgangsgruppe: null,
  klassering: [{ ordningsprinsipp: "GBNR", ordningsverdi: "12/4", beskrivelse: null }],
  part: [],
  skjerming: { tilgangsrestriksjon: "13", skjermingshjemmel: "Offl. § 13" },
};

function screenedBody() {
  return { tilgangsrestriksjon: { kode: "13" }, skjermingshjemmel: "Offl. § 13" };
}

const post: Journalpost = {
  tittel: "Søknad om tillatelse",
  offentligTittel: null,
  journalposttype: "I",
  dokumentdato: "2026-02-27",
  journalstatus: null,
  saksbehandler: "ola",
  administrativEnhet: null,
  journalenhet: "SENTRAL",
  skjerming: null,
  korrespondansepart: [],
  dokumenter: [],
};

describe("Flyt → Noark 5", () => {
  it("writes a saksmappe with codes as objects, no nulls, and the external id as business metadata", () => {
    expect(saksmappeBody(arkivsak, "sub-1", FIELDS, DEFAULT_SCREENING)).toEqual({
      tittel: "Byggesak Storgata 1",
      offentligTittel: "Byggesak ****",
      saksansvarlig: "kari",
      administrativEnhet: "Plan og bygg",
      saksstatus: { kode: "B" },
      skjerming: {
        tilgangsrestriksjon: { kode: "13" },
        skjermingshjemmel: "Offl. § 13",
        skjermingMetadata: [{ kode: "TM1" }, { kode: "NPS" }],
      },
      virksomhetsspesifikkeMetadata: { "vnd-flyt-v1:eksternid": "sub-1" },
    });
  });

  it("never sends a case type: v1.1 has no mappetype", () => {
    const body = saksmappeBody({ ...arkivsak, saksmappetype: "BYGG" }, "sub-1", FIELDS, DEFAULT_SCREENING);
    expect(JSON.stringify(body)).not.toMatch(/mappetype|BYGG/);
  });

  it("screens with the destination's skjermingMetadata, in the destination's form", () => {
    const screened = { tilgangsrestriksjon: "13", skjermingshjemmel: "Offl. § 13" };
    const codes = { saksmappe: ["M"], journalpost: ["TR1"] };
    expect(
      journalpostBody({ ...post, skjerming: screened }, "s", FIELDS, { form: "inline", ...codes }).skjerming,
    ).toEqual({ ...screenedBody(), skjermingMetadata: [{ kode: "TR1" }] });
    expect(saksmappeBody(arkivsak, "s", FIELDS, { form: "relation", ...codes }).skjerming).toEqual(
      screenedBody(),
    );
    expect(saksmappeBody(arkivsak, "s", FIELDS, { form: "omit", ...codes }).skjerming).toEqual(
      screenedBody(),
    );
  });

  it("refuses screening without its legal basis", () => {
    const unfounded = { tilgangsrestriksjon: "13", skjermingshjemmel: " " };
    expect(() =>
      saksmappeBody({ ...arkivsak, skjerming: unfounded }, "s", FIELDS, DEFAULT_SCREENING),
    ).toThrow(/skjermingshjemmel/);
    expect(() => journalpostBody({ ...post, skjerming: unfounded }, "s", FIELDS, DEFAULT_SCREENING)).toThrow(
      PermanentError,
    );
  });

  it("writes a journalpost with its document date as Oslo's midnight, with the offset", () => {
    expect(journalpostBody(post, "sub-1/0", FIELDS, DEFAULT_SCREENING)).toEqual({
      tittel: "Søknad om tillatelse",
      journalposttype: { kode: "I" },
      dokumentetsDato: "2026-02-27T00:00:00+01:00",
      journalenhet: "SENTRAL",
      virksomhetsspesifikkeMetadata: { "vnd-flyt-v1:eksternid": "sub-1/0" },
    });
  });

  it("makes an organisation a ...Enhet and a person a ...Person", () => {
    expect(partBody({ navn: "Bygg AS", rolle: "KLI", organisasjonsnummer: "912345678" })).toEqual({
      kind: "enhet",
      body: {
        navn: "Bygg AS",
        partRolle: { kode: "KLI" },
        enhetsidentifikator: { organisasjonsnummer: "912345678" },
      },
    });
    expect(partBody({ navn: "Kari", rolle: null, organisasjonsnummer: null })).toEqual({
      kind: "person",
      body: { navn: "Kari" },
    });
    const sender = korrespondansepartBody({
      korrespondanseparttype: "avsender",
      navn: "Kari Nordmann",
      organisasjonsnummer: null,
      postadresse: {
        adresselinje: ["Storgata 1", "c/o Ola", "2. etasje", "bak"],
        postnummer: "0150",
        poststed: "Oslo",
      },
      epost: "kari@example.no",
    });
    expect(sender).toEqual({
      kind: "person",
      body: {
        korrespondanseparttype: { kode: "EA" },
        navn: "Kari Nordmann",
        postadresse: {
          adresselinje1: "Storgata 1",
          adresselinje2: "c/o Ola",
          adresselinje3: "2. etasje, bak",
          postnr: "0150",
          poststed: "Oslo",
        },
        kontaktinformasjon: { epostadresse: "kari@example.no" },
      },
    });
  });

  it("names correspondent kinds by the standard's codes, and passes codes through", () => {
    expect(korrespondanseparttypeCode("Mottaker")).toBe("EM");
    expect(korrespondanseparttypeCode("kopimottaker")).toBe("EK");
    expect(korrespondanseparttypeCode("EA")).toBe("EA");
  });

  it("puts the case officer on an internal correspondent: recipient of incoming, sender otherwise", () => {
    expect(internalCorrespondentBody(post)).toEqual({
      korrespondanseparttype: { kode: "IM" },
      saksbehandler: "ola",
    });
    expect(internalCorrespondentBody({ ...post, journalposttype: "U" })?.korrespondanseparttype).toEqual({
      kode: "IA",
    });
    expect(internalCorrespondentBody({ ...post, saksbehandler: null })).toBeUndefined();
  });

  it("gives the archive what to check an upload against", () => {
    expect(
      dokumentobjektBody({ filename: "a.pdf", mimeType: "application/pdf", sha256: "ab", sizeBytes: 3 }),
    ).toEqual({
      versjonsnummer: 1,
      variantformat: { kode: "A" },
      filnavn: "a.pdf",
      mimeType: "application/pdf",
      sjekksum: "ab",
      sjekksumAlgoritme: "SHA-256",
      filstoerrelse: 3,
    });
  });
});

describe("Noark 5 → Flyt", () => {
  it("reads a case from a saksmappe", () => {
    expect(toArchivedCase({ systemID: "s1", mappeID: "2026/123", tittel: "T" })).toEqual({
      systemId: "s1",
      caseNumber: "2026/123",
    });
    expect(() => toArchivedCase({ systemID: "s1" })).toThrow(/mappeID/);
  });

  it("numbers a journal post by its case and journalpostnummer, else by registreringsID", () => {
    expect(
      journalPostNumber({ journalpostnummer: 4, journalaar: 2026, journalsekvensnummer: 981 }, "2026/123"),
    ).toBe("2026/123-4");
    expect(journalPostNumber({ registreringsID: "2026/123-5" }, "2026/123")).toBe("2026/123-5");
    expect(() => journalPostNumber({}, "2026/123")).toThrow();
  });

  it("tells a finished object by its completion marker", () => {
    expect(isCompleted({ virksomhetsspesifikkeMetadata: { "vnd-flyt-v1:fullfoert": true } }, FIELDS)).toBe(
      true,
    );
    expect(isCompleted({ virksomhetsspesifikkeMetadata: { "vnd-flyt-v1:eksternid": "x" } }, FIELDS)).toBe(
      false,
    );
    expect(isCompleted({}, FIELDS)).toBe(false);
  });

  it("keeps of a template what a new object may take", () => {
    expect(
      templateDefaults({
        tittel: "angi tittel",
        saksstatus: { kode: "B" },
        systemID: "x",
        referanseArkivdel: "y",
        virksomhetsspesifikkeMetadata: null,
        _links: {},
      }),
    ).toEqual({ tittel: "angi tittel", saksstatus: { kode: "B" } });
  });
});

describe("case search criteria", () => {
  it("writes Flyt's criteria as saksmappe conditions", () => {
    expect(caseCriterionCondition("tittel", "Byggesak")).toBe("tittel eq 'Byggesak'");
    expect(caseCriterionCondition("klassering.ordningsverdi", "12/4")).toBe("klasse/klasseID eq '12/4'");
    expect(caseCriterionCondition("saksstatus", "B")).toBe("saksstatus/kode eq 'B'");
  });

  it("refuses a criterion it cannot express", () => {
    expect(() => caseCriterionCondition("tilgangsgruppe", "x")).toThrow(ArchiveRefusedError);
  });

  it("refuses a search by case type, saying why: v1.1 has no mappetype", () => {
    expect(() => caseCriterionCondition("saksmappetype", "BYGG")).toThrow(ArchiveRefusedError);
    expect(() => caseCriterionCondition("saksmappetype", "BYGG")).toThrow(/mappetype was removed/);
  });
});
