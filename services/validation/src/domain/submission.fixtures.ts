import type { IntegrationConfiguration } from "@flyt/registry/configuration";
import type { Arkivsak, Dokument, Journalpost, SubmissionReceived } from "@flyt/schemas";

/** Test data: a land acquisition integration's configuration and submissions of it. */
export const configuration: IntegrationConfiguration = {
  destinationId: "demo-simulator",
  archiveDefaults: {
    arkivdel: "EIENDOM",
    administrativEnhet: "SAMFERDSEL",
    saksstatus: "B",
    journalstatus: "J",
  },
  fixedFields: [],
  caseMode: { mode: "NEW" },
  caseAccess: { scope: "OWN_CASES" },
  documentRules: {
    allowedMimeTypes: ["application/pdf", "image/png"],
    maxFileBytes: 10 * 1024 * 1024,
    exactlyOneMainDocument: true,
  },
  valueConversions: { journalstatus: { ferdig: "J", utkast: "R" } },
};

export const PDF_HEAD = Uint8Array.from(Buffer.from("%PDF-1.7\n%âãÏÓ\n"));

export function arkivsak(overrides: Partial<Arkivsak> = {}): Arkivsak {
  return {
    tittel: "Erverv av grunn - gnr 12 bnr 4",
    offentligTittel: null,
    saksansvarlig: null,
    administrativEnhet: null,
    arkivdel: null,
    journalenhet: null,
    saksmappetype: null,
    saksstatus: null,
    tilgangsgruppe: null,
    klassering: [{ ordningsprinsipp: "GBNR", ordningsverdi: "12/4", beskrivelse: null }],
    part: [],
    skjerming: null,
    ...overrides,
  };
}

export function pdfDocument(fileId: string, overrides: Partial<Dokument> = {}): Dokument {
  return {
    tittel: "Kjøpekontrakt",
    tilknyttetRegistreringSom: "H",
    file: {
      fileId,
      filename: "kontrakt.pdf",
      mimeType: "application/pdf",
      sizeBytes: 2048,
      sha256: "a".repeat(64),
    },
    ...overrides,
  };
}

export function journalpost(fileId: string, overrides: Partial<Journalpost> = {}): Journalpost {
  return {
    tittel: "Kjøpekontrakt",
    offentligTittel: null,
    journalposttype: "I",
    dokumentdato: "2026-11-20",
    journalstatus: null,
    saksbehandler: null,
    administrativEnhet: null,
    journalenhet: null,
    skjerming: null,
    korrespondansepart: [
      {
        korrespondanseparttype: "avsender",
        navn: "Ola Nordmann",
        organisasjonsnummer: null,
        postadresse: null,
        epost: null,
      },
    ],
    dokumenter: [pdfDocument(fileId)],
    ...overrides,
  };
}

/** A received case submission with one journal post and its PDF. */
export function receivedCase(
  overrides: { id?: string; tenant?: string; integrationId?: string; fileId?: string } = {},
): SubmissionReceived {
  const fileId = overrides.fileId ?? "file_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9C";
  return {
    meta: {
      eventId: "3b4f8a0e-6f0e-4f4e-9d57-0c1f8f6d2a11",
      occurredAt: new Date("2026-11-23T08:00:00Z"),
      correlationId: "c0ffee00-0000-4000-8000-000000000001",
      producer: "gateway",
    },
    submission: {
      id: overrides.id ?? "sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9C",
      tenant: overrides.tenant ?? "demo",
      sourceApplication: "egrunnerverv",
      integrationId: overrides.integrationId ?? "egrunnerverv-sak",
      sourceInstanceId: "GRV-1",
      kind: "CASE",
      run: 1,
    },
    caseRef: null,
    case: arkivsak(),
    journalPosts: [journalpost(fileId)],
    receivedAt: new Date("2026-11-23T08:00:00Z"),
  };
}

/** Received journal posts for the case `caseRef` (a case number or a case submission's id). */
export function receivedJournalPosts(caseRef: string, overrides: { id?: string; fileId?: string } = {}) {
  const received = receivedCase(overrides);
  return {
    ...received,
    submission: { ...received.submission, kind: "JOURNAL_POSTS" as const },
    caseRef,
    case: null,
  } satisfies SubmissionReceived;
}
