import { PermanentError } from "@flyt/errors";
import { describe, expect, it } from "vitest";
import { ArchiveRefusedError, ArchiveUnavailableError } from "../archive-errors";
import type { SakResource } from "./fint-resources";
import { incomingLetter, pdfFile } from "./flyt-records.fixtures";
import {
  addedJournalPost,
  type DocumentCodes,
  highestJournalPostNumber,
  journalPostsLike,
  toJournalpostResource,
} from "./journalpost-mapping";
import { BASE, testLinker } from "./test-linker.fixtures";

const FILE_REF = `${BASE}/arkiv/noark/dokumentfil/systemid/5501`;
const files = new Map([[pdfFile().fileId, FILE_REF]]);
const archivedCase = { systemId: "8812", caseNumber: "26/00123" };
const documents: DocumentCodes = {
  variantFormat: "P",
  dokumentstatus: "F",
  fileFormatOf: (mime) => ({ "application/pdf": "RA-PDF" })[mime],
};

describe("toJournalpostResource", () => {
  it("links each document's object to its uploaded file and its file format, with its size and checksum", async () => {
    const resource = await toJournalpostResource(
      incomingLetter(),
      files,
      testLinker({ "filformat:RA-PDF": "201", "variantFormat:P": "1", "dokumentstatus:F": "2" }),
      documents,
    );
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
              variantFormat: [{ href: `${BASE}/variantFormat/1` }],
              filformat: [{ href: `${BASE}/filformat/201` }],
              referanseDokumentfil: [{ href: FILE_REF }],
            },
          },
        ],
        _links: {
          tilknyttetRegistreringSom: [{ href: `${BASE}/tilknyttetRegistreringSom/H` }],
          dokumentstatus: [{ href: `${BASE}/dokumentstatus/2` }],
        },
      },
    ]);
  });

  it("writes the post's fields and codes as links, and no keyword of Flyt's own", async () => {
    const resource = await toJournalpostResource(incomingLetter(), files, testLinker(), documents);
    expect(resource).toMatchObject({
      tittel: "Søknad om grunnerverv",
      dokumentetsDato: "2026-03-14T00:00:00Z",
      _links: {
        journalposttype: [{ href: `${BASE}/journalposttype/I` }],
        journalstatus: [{ href: `${BASE}/journalstatus/J` }],
        saksbehandler: [{ href: `${BASE}/saksbehandler/10023` }],
        administrativEnhet: [{ href: `${BASE}/administrativEnhet/215` }],
      },
    });
    expect(resource).not.toHaveProperty("nokkelord");
    expect(resource).not.toHaveProperty("offentligTittel");
    expect(resource._links).not.toHaveProperty("journalenhet");
  });

  it("writes a correspondent with address and e-mail, its kind as the Noark code", async () => {
    const resource = await toJournalpostResource(incomingLetter(), files, testLinker(), documents);
    expect(resource.korrespondansepart?.[0]).toEqual({
      korrespondansepartNavn: "Ola Nordmann",
      adresse: { adresselinje: ["Storgata 1"], postnummer: "5003", poststed: "Bergen" },
      kontaktinformasjon: { epostadresse: "ola@example.no" },
      _links: { korrespondanseparttype: [{ href: `${BASE}/korrespondanseparttype/EA` }] },
    });
  });

  it("uses the destination's variant format and document status, not fixed codes", async () => {
    const resource = await toJournalpostResource(incomingLetter(), files, testLinker(), {
      ...documents,
      variantFormat: "A",
      dokumentstatus: "B",
    });
    const [description] = resource.dokumentbeskrivelse ?? [];
    expect(description?.dokumentobjekt?.[0]?._links?.variantFormat).toEqual([
      { href: `${BASE}/variantFormat/A` },
    ]);
    expect(description?._links?.dokumentstatus).toEqual([{ href: `${BASE}/dokumentstatus/B` }]);
  });

  it("will not send a document whose file was not uploaded, or whose MIME type has no file format", async () => {
    await expect(
      toJournalpostResource(incomingLetter(), new Map(), testLinker(), documents),
    ).rejects.toBeInstanceOf(PermanentError);
    const word = pdfFile({ mimeType: "application/msword" });
    const error = await toJournalpostResource(incomingLetter(word), files, testLinker(), documents).catch(
      (failure: Error) => failure,
    );
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toContain("no file format is configured for application/msword");
    await expect(
      toJournalpostResource(incomingLetter(), files, testLinker({}, ["RA-PDF"]), documents),
    ).rejects.toBeInstanceOf(ArchiveRefusedError);
  });
});

describe("recognising journal posts", () => {
  const post = incomingLetter();
  const sak: SakResource = {
    tittel: "T",
    journalpost: [
      { tittel: "Søknad om grunnerverv", journalPostnummer: 1, registreringsId: "26/00123-1" },
      { tittel: "Annet", journalPostnummer: 2 },
      {
        tittel: "GRV: Søknad om grunnerverv",
        journalPostnummer: 3,
        dokumentbeskrivelse: [{ tittel: "Søknad" }],
      },
      { tittel: "Søknad om grunnerverv", journalPostnummer: 4, dokumentbeskrivelse: [{ tittel: "Kart" }] },
    ],
  };

  it("knows the highest number a case had", () => {
    expect(highestJournalPostNumber(sak)).toBe(4);
    expect(highestJournalPostNumber({ tittel: "T" })).toBe(0);
  });

  it("takes posts above the marker with the title (a prefix allowed) and the same documents", () => {
    expect(journalPostsLike(sak, post, 0).map((candidate) => candidate.journalPostnummer)).toEqual([1, 3]);
    expect(journalPostsLike(sak, post, 1).map((candidate) => candidate.journalPostnummer)).toEqual([3]);
    expect(journalPostsLike(sak, post, 3)).toEqual([]);
  });

  it("reads back the post just added, numbered after its case's number", () => {
    expect(addedJournalPost(sak, archivedCase, post, 2)).toEqual({
      systemId: "26/00123-3",
      number: "26/00123-3",
    });
    // Nothing like it (a title changed on the way): the newest above the marker, as FINT's Flyt gateway takes it.
    expect(addedJournalPost(sak, archivedCase, { ...post, tittel: "Endret" }, 1).number).toBe("26/00123-4");
    expect(() => addedJournalPost(sak, archivedCase, post, 4)).toThrow(ArchiveUnavailableError);
  });
});
