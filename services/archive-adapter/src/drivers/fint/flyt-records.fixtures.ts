import type { Arkivsak, FileReference, Journalpost } from "@flyt/schemas";

/**
 * Flyt records as the archive adapter receives them, for the fint driver's tests. Their codes are ones both
 * fake archives (Public 360 and Elements, test-support/fake-fint/archive-codes.ts) know.
 */

export const landAcquisitionCase: Arkivsak = {
  tittel: "Grunnerverv gnr 12 bnr 4 – Fv. 5070",
  offentligTittel: "Grunnerverv gnr 12 bnr 4",
  saksansvarlig: "10023",
  administrativEnhet: "215",
  arkivdel: "SAK",
  journalenhet: "216",
  saksmappetype: "SAK",
  saksstatus: "B",
  tilgangsgruppe: null,
  klassering: [
    { ordningsprinsipp: "GBNR", ordningsverdi: "12/4", beskrivelse: "Gårdsnummer 12, bruksnummer 4" },
    { ordningsprinsipp: "ARKNOKKEL", ordningsverdi: "611", beskrivelse: null },
  ],
  part: [{ navn: "Kari Grunneier", rolle: "GRUNNEIER", organisasjonsnummer: null }],
  skjerming: { tilgangsrestriksjon: "13", skjermingshjemmel: "offl.13.fvl.13" },
};

export function pdfFile(overrides: Partial<FileReference> = {}): FileReference {
  return {
    fileId: "file_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9C",
    filename: "søknad_æøå.pdf",
    mimeType: "application/pdf",
    sizeBytes: 1234,
    sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    ...overrides,
  };
}

export function incomingLetter(file: FileReference = pdfFile()): Journalpost {
  return {
    tittel: "Søknad om grunnerverv",
    offentligTittel: null,
    journalposttype: "I",
    dokumentdato: "2026-03-14",
    journalstatus: "J",
    saksbehandler: "10023",
    administrativEnhet: "215",
    journalenhet: null,
    skjerming: null,
    korrespondansepart: [
      {
        korrespondanseparttype: "avsender",
        navn: "Ola Nordmann",
        organisasjonsnummer: null,
        postadresse: { adresselinje: ["Storgata 1"], postnummer: "5003", poststed: "Bergen" },
        epost: "ola@example.no",
      },
    ],
    dokumenter: [{ tittel: "Søknad", tilknyttetRegistreringSom: "H", file }],
  };
}
