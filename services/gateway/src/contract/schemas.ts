// JSON Schemas (2020-12) of the source-system API's bodies: the OpenAPI document's components, and what the
// gateway validates requests with. Archive fields an integration may default are optional here; they are
// checked after defaults, asynchronously (see source-system-api.md).

/** No control characters but tab and line breaks (Postgres cannot even store NUL). */
const PRINTABLE = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$";

const text = (maxLength: number, description?: string) => ({
  type: "string",
  minLength: 1,
  maxLength,
  pattern: PRINTABLE,
  ...(description ? { description } : {}),
});

/** Media types a document may have; the validation service checks the content against them. */
export const allowedMimeTypes = [
  "application/pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/msword",
  "application/vnd.ms-excel",
  "application/vnd.oasis.opendocument.text",
  "application/xml",
  "text/xml",
  "text/plain",
  "text/csv",
  "image/jpeg",
  "image/png",
  "image/tiff",
  "message/rfc822",
] as const;

export const limits = {
  journalPostsPerSubmission: 100,
  documentsPerJournalPost: 50,
  filenameLength: 255,
} as const;

const skjerming = {
  type: "object",
  additionalProperties: false,
  required: ["tilgangsrestriksjon", "skjermingshjemmel"],
  properties: {
    tilgangsrestriksjon: text(20, "Access restriction code, e.g. `13`."),
    skjermingshjemmel: text(200, "Legal basis for the screening, e.g. `Offl. § 13`."),
  },
};

export const schemas = {
  Arkivsak: {
    type: "object",
    description: "The case. Fields left out are filled from the integration's configured defaults.",
    additionalProperties: false,
    required: ["tittel"],
    properties: {
      tittel: text(1_000, "Title of the case."),
      offentligTittel: text(1_000, "Title for public registers."),
      saksansvarlig: text(200),
      administrativEnhet: text(200),
      arkivdel: text(100),
      journalenhet: text(100),
      saksmappetype: text(100),
      saksstatus: text(100),
      tilgangsgruppe: text(200),
      klassering: {
        type: "array",
        maxItems: 10,
        items: {
          type: "object",
          additionalProperties: false,
          required: ["ordningsprinsipp", "ordningsverdi"],
          properties: {
            ordningsprinsipp: text(100, "e.g. `GBNR`, `FNR`, `ORGNR`."),
            ordningsverdi: text(200, "e.g. `12/4`."),
            beskrivelse: text(500),
          },
        },
      },
      part: {
        type: "array",
        maxItems: 100,
        items: {
          type: "object",
          additionalProperties: false,
          required: ["navn"],
          properties: {
            navn: text(300),
            rolle: text(100),
            organisasjonsnummer: { type: "string", pattern: "^[0-9]{9}$" },
          },
        },
      },
      skjerming,
    },
  },
  JournalPost: {
    type: "object",
    additionalProperties: false,
    required: ["tittel", "journalposttype", "dokumenter"],
    properties: {
      tittel: text(1_000, "Title of the journal post."),
      offentligTittel: text(1_000),
      journalposttype: {
        type: "string",
        enum: ["I", "U", "N", "X"],
        description: "`I` incoming, `U` outgoing, `N` internal followed up, `X` internal not followed up.",
      },
      dokumentdato: { type: "string", format: "date", description: "ISO date, `YYYY-MM-DD`." },
      journalstatus: text(20),
      saksbehandler: text(200),
      administrativEnhet: text(200),
      journalenhet: text(100),
      skjerming,
      korrespondansepart: {
        type: "array",
        maxItems: 100,
        items: {
          type: "object",
          additionalProperties: false,
          required: ["korrespondanseparttype", "navn"],
          properties: {
            korrespondanseparttype: text(50, "e.g. `avsender`, `mottaker`."),
            navn: text(300),
            organisasjonsnummer: { type: "string", pattern: "^[0-9]{9}$" },
            epost: { type: "string", format: "email", maxLength: 320 },
            postadresse: {
              type: "object",
              additionalProperties: false,
              properties: {
                adresselinje: { type: "array", maxItems: 5, items: text(300) },
                postnummer: { type: "string", pattern: "^[0-9]{4}$" },
                poststed: text(100),
              },
            },
          },
        },
      },
      dokumenter: {
        type: "array",
        minItems: 1,
        maxItems: limits.documentsPerJournalPost,
        description: "At least one document, exactly one of them the main document (`H`).",
        items: { $ref: "#/components/schemas/Dokument" },
      },
    },
  },
  Dokument: {
    type: "object",
    additionalProperties: false,
    required: ["tittel", "tilknyttetRegistreringSom"],
    description:
      "A document with its content inline (`innhold`, with `filnavn` and `mimeType`) or uploaded before (`fileId`).",
    properties: {
      tittel: text(1_000),
      tilknyttetRegistreringSom: {
        type: "string",
        enum: ["H", "V"],
        description: "`H` main document, `V` attachment.",
      },
      filnavn: text(limits.filenameLength, "File name, UTF-8, e.g. `søknad_æøå.pdf`."),
      mimeType: { type: "string", enum: [...allowedMimeTypes] },
      innhold: { type: "string", contentEncoding: "base64", description: "The content, base64." },
      fileId: {
        type: "string",
        pattern: "^file_[0-9A-Za-z]{10,64}$",
        description: "From `POST /api/v1/files`.",
      },
    },
  },
  CaseSubmission: {
    type: "object",
    additionalProperties: false,
    required: ["integrationId", "sourceInstanceId", "case"],
    properties: {
      integrationId: { type: "string", pattern: "^[a-z][a-z0-9-]{1,62}$" },
      sourceInstanceId: text(200, "The source system's own id for this submission, unique per integration."),
      case: { $ref: "#/components/schemas/Arkivsak" },
      journalPosts: {
        type: "array",
        maxItems: limits.journalPostsPerSubmission,
        items: { $ref: "#/components/schemas/JournalPost" },
        description: "Present: archived with the case as one unit (one-step).",
      },
    },
  },
  JournalPostsSubmission: {
    type: "object",
    additionalProperties: false,
    required: ["integrationId", "sourceInstanceId", "journalPosts"],
    properties: {
      integrationId: { type: "string", pattern: "^[a-z][a-z0-9-]{1,62}$" },
      sourceInstanceId: text(200),
      journalPosts: {
        type: "array",
        minItems: 1,
        maxItems: limits.journalPostsPerSubmission,
        items: { $ref: "#/components/schemas/JournalPost" },
      },
    },
  },
} as const;
