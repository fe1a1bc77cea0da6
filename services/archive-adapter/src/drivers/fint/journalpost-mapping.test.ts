import { PermanentError } from "@flyt/errors";
import { describe, expect, it } from "vitest";
import { ArchiveUnavailableError } from "../archive-errors";
import { incomingLetter, pdfFile } from "./flyt-records.fixtures";
import { addedJournalPost, journalPostWithExternalId, toJournalpostResource } from "./journalpost-mapping";

const BASE = "https://api.felleskomponent.no";
const FILE_REF = `${BASE}/arkiv/noark/dokumentfil/systemid/5501`;
const files = new Map([[pdfFile().fileId, FILE_REF]]);
const archivedCase = { systemId: "8812", caseNumber: "2026/123", tittel: "T" };

describe("toJournalpostResource", () => {
  it("links each document's object to its uploaded file, with its size and checksum", () => {
    const resource = toJournalpostResource(incomingLetter(), files, "sub_01/0", BASE);
    expect(resource.dokumentbeskrivelse).toEqual([
      {
        tittel: "Søknad",
        dokumentobjekt: [
          {
            filstorrelse: "1234",
            formatDetaljer: "application/pdf",
            sjekksum: pdfFile().sha256,
            sjekksumAlgoritme: "SHA-256",
            _links: {
              variantFormat: [{ href: `${BASE}/arkiv/kodeverk/variantformat/systemid/P` }],
              referanseDokumentfil: [{ href: FILE_REF }],
            },
          },
        ],
        _links: {
          tilknyttetRegistreringSom: [
            { href: `${BASE}/arkiv/kodeverk/tilknyttetregistreringsom/systemid/H` },
          ],
          dokumentstatus: [{ href: `${BASE}/arkiv/kodeverk/dokumentstatus/systemid/F` }],
        },
      },
    ]);
  });

  it("writes the post's fields, codes as links, and the external id as a keyword", () => {
    const resource = toJournalpostResource(incomingLetter(), files, "sub_01/0", BASE);
    expect(resource).toMatchObject({
      tittel: "Søknad om grunnerverv",
      dokumentetsDato: "2026-03-14T00:00:00Z",
      nokkelord: ["flyt-external-id:sub_01/0"],
      _links: {
        journalposttype: [{ href: `${BASE}/arkiv/kodeverk/journalposttype/systemid/I` }],
        journalstatus: [{ href: `${BASE}/arkiv/kodeverk/journalstatus/systemid/J` }],
        saksbehandler: [{ href: `${BASE}/arkiv/noark/arkivressurs/systemid/10023` }],
        administrativEnhet: [{ href: `${BASE}/arkiv/noark/administrativenhet/systemid/215` }],
      },
    });
    expect(resource).not.toHaveProperty("offentligTittel");
    expect(resource._links).not.toHaveProperty("journalenhet");
  });

  it("writes a correspondent with address and e-mail, its kind as the Noark code", () => {
    const [part] = toJournalpostResource(incomingLetter(), files, "sub_01/0", BASE).korrespondansepart ?? [];
    expect(part).toEqual({
      korrespondansepartNavn: "Ola Nordmann",
      adresse: { adresselinje: ["Storgata 1"], postnummer: "5003", poststed: "Bergen" },
      kontaktinformasjon: { epostadresse: "ola@example.no" },
      _links: {
        korrespondanseparttype: [{ href: `${BASE}/arkiv/kodeverk/korrespondanseparttype/systemid/EA` }],
      },
    });
  });

  it("will not send a document whose file was not uploaded", () => {
    expect(() => toJournalpostResource(incomingLetter(), new Map(), "sub_01/0", BASE)).toThrow(
      PermanentError,
    );
  });
});

describe("reading journal posts back", () => {
  const sak = {
    tittel: "T",
    journalpost: [
      {
        tittel: "A",
        journalPostnummer: 1,
        nokkelord: ["flyt-external-id:sub_00/0"],
        registreringsId: "2026/123-1",
      },
      { tittel: "B", journalPostnummer: 2, nokkelord: ["flyt-external-id:sub_01/0"] },
      { tittel: "C", journalPostnummer: 3 },
    ],
  };

  it("finds the post with the external id and numbers it YYYY/n-m", () => {
    expect(journalPostWithExternalId(sak, archivedCase, "sub_01/0")).toEqual({
      systemId: "2026/123-2",
      number: "2026/123-2",
    });
    expect(journalPostWithExternalId(sak, archivedCase, "sub_00/0")).toEqual({
      systemId: "2026/123-1",
      number: "2026/123-1",
    });
    expect(journalPostWithExternalId(sak, archivedCase, "sub_09/0")).toBeUndefined();
  });

  it("takes the newest post when the archive dropped the keyword", () => {
    expect(addedJournalPost(sak, archivedCase, "sub_09/0").number).toBe("2026/123-3");
    expect(() => addedJournalPost({ tittel: "T" }, archivedCase, "sub_09/0")).toThrow(
      ArchiveUnavailableError,
    );
  });
});
