import { limits } from "../contract/schemas";

// Bodies within the size limit that cost a gateway without bounds dearly (issue 12), for the security suite and
// the benchmark's hostile mix. Each is JSON text, as an attacker sends it.

const envelope = (sourceInstanceId: string) => ({
  integrationId: "egrunnerverv-sak",
  sourceInstanceId,
  case: { tittel: "Erverv av grunn" },
});

/**
 * Lists within lists: 101 journal posts × 101 correspondents × 101 address lines, each a number where text
 * belongs. 2.8 MB; validated whole it gave a million errors, a 135 MB answer and seconds of a blocked process.
 */
export function amplificationBody(sourceInstanceId = "HOSTILE-AMPLIFICATION"): string {
  const correspondent = {
    korrespondanseparttype: "avsender",
    navn: "Kari",
    postadresse: { adresselinje: new Array(101).fill(1) },
  };
  const journalPost = {
    tittel: "t",
    journalposttype: "I",
    dokumenter: [{ tittel: "d", tilknyttetRegistreringSom: "H", fileId: "file_0123456789" }],
    korrespondansepart: new Array(101).fill(correspondent),
  };
  return JSON.stringify({ ...envelope(sourceInstanceId), journalPosts: new Array(101).fill(journalPost) });
}

/** A body of `count` different unknown fields (a million: 12 MB, which took seconds to parse alone). */
export function manyKeysBody(count = 1_000_000, sourceInstanceId = "HOSTILE-KEYS"): string {
  const head = JSON.stringify(envelope(sourceInstanceId)).slice(0, -1);
  const keys = Array.from({ length: count }, (_, i) => `"k${i}":0`).join(",");
  return `${head},${keys}}`;
}

/**
 * A body whose one string is nothing but escapes (`\n` over and over): what made the scan look for the next quote
 * again after every escape, the square of the string's length.
 */
export function escapesBody(bytes = 40 * 1024 * 1024, sourceInstanceId = "HOSTILE-ESCAPES"): string {
  const head = JSON.stringify(envelope(sourceInstanceId)).slice(0, -1);
  return `${head},"x":"${"\\n".repeat(Math.floor((bytes - head.length - 8) / 2))}"}`;
}

/** A body nested `depth` levels deep in an unknown field (what overflowed the stack of canonical JSON: a 500). */
export function deepBody(depth = 100_000, sourceInstanceId = "HOSTILE-DEEP"): string {
  const head = JSON.stringify(envelope(sourceInstanceId)).slice(0, -1);
  return `${head},"x":${"[".repeat(depth)}${"]".repeat(depth)}}`;
}

/**
 * Wrong in as many places as the contract's lists allow: 100 journal posts × 100 correspondents, every address
 * line a number. Within every limit of the scan, so it is validated: tens of thousands of errors.
 */
export function manyErrorsBody(sourceInstanceId = "HOSTILE-ERRORS"): string {
  const correspondent = {
    korrespondanseparttype: "avsender",
    navn: "Kari",
    postadresse: { adresselinje: [1, 2, 3, 4, 5] },
  };
  const journalPost = {
    tittel: "t",
    journalposttype: "I",
    dokumenter: [{ tittel: "d", tilknyttetRegistreringSom: "H", fileId: "file_0123456789" }],
    korrespondansepart: new Array(100).fill(correspondent),
  };
  return JSON.stringify({ ...envelope(sourceInstanceId), journalPosts: new Array(100).fill(journalPost) });
}

/**
 * The largest body the contract accepts, value for value: every list at its limit, every field given (a
 * document by `fileId`, not both ways). Valid; the scan's budget must let it through untouched.
 */
export function maximalBody(sourceInstanceId: string, fileId: string): Record<string, unknown> {
  const text = (length: number) => "x".repeat(length);
  const skjerming = { tilgangsrestriksjon: "13", skjermingshjemmel: "Offl. § 13" };
  const correspondent = {
    korrespondanseparttype: "avsender",
    navn: "Kari Hansen",
    organisasjonsnummer: "123456789",
    epost: "kari@example.no",
    postadresse: {
      adresselinje: ["Storgata 1", "c/o Ola", "Postboks 7", "Oppgang B", "3. etasje"],
      postnummer: "5003",
      poststed: "Bergen",
    },
  };
  const document = (index: number) => ({
    tittel: `Vedlegg ${index}`,
    tilknyttetRegistreringSom: index === 0 ? "H" : "V",
    filnavn: `vedlegg-${index}.pdf`,
    mimeType: "application/pdf",
    fileId,
  });
  const journalPost = {
    tittel: text(100),
    offentligTittel: text(100),
    journalposttype: "I",
    dokumentdato: "2026-11-20",
    journalstatus: "J",
    saksbehandler: "kari",
    administrativEnhet: "Eiendom",
    journalenhet: "SENTRAL",
    skjerming,
    korrespondansepart: new Array(100).fill(correspondent),
    dokumenter: Array.from({ length: limits.documentsPerJournalPost }, (_, index) => document(index)),
  };
  return {
    integrationId: "egrunnerverv-sak",
    sourceInstanceId,
    case: {
      tittel: text(100),
      offentligTittel: text(100),
      saksansvarlig: "kari",
      administrativEnhet: "Eiendom",
      arkivdel: "SAK",
      journalenhet: "SENTRAL",
      saksmappetype: "Sak",
      saksstatus: "B",
      tilgangsgruppe: "Eiendom",
      klassering: new Array(10).fill({
        ordningsprinsipp: "GBNR",
        ordningsverdi: "12/4",
        beskrivelse: "Gnr/bnr",
      }),
      part: new Array(100).fill({
        navn: "Ola Nordmann",
        rolle: "GRUNNEIER",
        organisasjonsnummer: "987654321",
      }),
      skjerming,
    },
    journalPosts: new Array(limits.journalPostsPerSubmission).fill(journalPost),
  };
}

/** A valid case with one inline document as large as a body of `bytes` allows. */
export function largestBody(sourceInstanceId: string, bytes: number): string {
  const head = JSON.stringify({
    ...envelope(sourceInstanceId),
    journalPosts: [
      {
        tittel: "Stor kontrakt",
        journalposttype: "I",
        dokumenter: [
          {
            tittel: "Kontrakt",
            tilknyttetRegistreringSom: "H",
            filnavn: "kontrakt.pdf",
            mimeType: "application/pdf",
            innhold: "",
          },
        ],
      },
    ],
  });
  const room = bytes - head.length;
  const content = Buffer.alloc(Math.floor(room / 4) * 3 - 3, "%PDF-1.7 ").toString("base64");
  return head.replace('"innhold":""', `"innhold":"${content}"`);
}
