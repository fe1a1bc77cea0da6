import { PermanentError } from "@flyt/errors";
import type { Dokument, Journalpost, Korrespondansepart } from "@flyt/schemas";
import type { ArchivedCase, ArchivedJournalPost, ArchiveFileRef } from "../archive-driver";
import { ArchiveUnavailableError } from "../archive-errors";
import type {
  DokumentbeskrivelseResource,
  JournalpostResource,
  KorrespondansepartResource,
  SakResource,
} from "./fint-resources";
import { type CodeLinker, linksTo, optionalLinks, toSkjermingResource } from "./sak-mapping";

/**
 * Noark 5 codes for the kinds of correspondent, for the words Flyt's sources send. A value that is not one of
 * these words is passed on as it is (it may already be the archive's code).
 */
const korrespondanseparttypeCodes: Readonly<Record<string, string>> = {
  avsender: "EA",
  mottaker: "EM",
  kopimottaker: "EK",
  gruppemottaker: "GM",
  "intern avsender": "IA",
  "intern mottaker": "IM",
  "intern kopimottaker": "IK",
};

/** The codes of a destination that Flyt's documents do not carry and FINT requires (see FintDriverOptions). */
export interface DocumentCodes {
  readonly variantFormat: string;
  readonly dokumentstatus: string;
  /** The configured file format (a code, system id or link of the `format` list) for a MIME type, if any. */
  readonly fileFormatOf: (mimeType: string) => string | undefined;
}

/**
 * A Flyt journal post as the JournalpostResource that `PUT /arkiv/noark/sak/mappeid/{id}` adds to a case:
 * its documents as dokumentbeskrivelse → dokumentobjekt whose `referanseDokumentfil` links to the uploaded
 * file and whose `filformat` links to the file's format, as FINT's own Flyt gateway writes them
 * (`DokumentObjektMappingService`). No external id: no archive adapter keeps a journal post's keywords
 * (fint-p360-rpc-arkiv-adapter `JournalpostFactory` answers them empty).
 */
export async function toJournalpostResource(
  post: Journalpost,
  files: ReadonlyMap<string, ArchiveFileRef>,
  codes: CodeLinker,
  documents: DocumentCodes,
): Promise<JournalpostResource> {
  const skjerming = await toSkjermingResource(post.skjerming, codes);
  const [korrespondansepart, dokumentbeskrivelse, links] = await Promise.all([
    Promise.all(post.korrespondansepart.map((part) => toKorrespondansepart(part, codes))),
    Promise.all(post.dokumenter.map((dokument) => toDokumentbeskrivelse(dokument, files, codes, documents))),
    linksTo(codes, {
      journalposttype: post.journalposttype,
      journalstatus: post.journalstatus,
      saksbehandler: post.saksbehandler,
      administrativEnhet: post.administrativEnhet,
      journalenhet: post.journalenhet,
    }),
  ]);
  return {
    tittel: post.tittel,
    ...(post.offentligTittel === null ? {} : { offentligTittel: post.offentligTittel }),
    // FINT's dates are date-times; a document date has no time of day.
    ...(post.dokumentdato === null ? {} : { dokumentetsDato: `${post.dokumentdato}T00:00:00Z` }),
    ...(skjerming === undefined ? {} : { skjerming }),
    korrespondansepart,
    dokumentbeskrivelse,
    ...optionalLinks(links),
  };
}

async function toKorrespondansepart(
  part: Korrespondansepart,
  codes: CodeLinker,
): Promise<KorrespondansepartResource> {
  const type =
    korrespondanseparttypeCodes[part.korrespondanseparttype.toLowerCase()] ?? part.korrespondanseparttype;
  const address = part.postadresse;
  return {
    korrespondansepartNavn: part.navn,
    ...(part.organisasjonsnummer === null ? {} : { organisasjonsnummer: part.organisasjonsnummer }),
    ...(address === null
      ? {}
      : {
          adresse: {
            adresselinje: address.adresselinje,
            ...(address.postnummer === null ? {} : { postnummer: address.postnummer }),
            ...(address.poststed === null ? {} : { poststed: address.poststed }),
          },
        }),
    ...(part.epost === null ? {} : { kontaktinformasjon: { epostadresse: part.epost } }),
    ...optionalLinks(await linksTo(codes, { korrespondanseparttype: type })),
  };
}

async function toDokumentbeskrivelse(
  dokument: Dokument,
  files: ReadonlyMap<string, ArchiveFileRef>,
  codes: CodeLinker,
  documents: DocumentCodes,
): Promise<DokumentbeskrivelseResource> {
  const fileRef = files.get(dokument.file.fileId);
  if (fileRef === undefined) {
    throw new PermanentError(
      `document "${dokument.tittel}" refers to file ${dokument.file.fileId}, not uploaded`,
    );
  }
  const { mimeType } = dokument.file;
  const format = documents.fileFormatOf(mimeType);
  if (format === undefined) {
    throw new PermanentError(
      `no file format is configured for ${mimeType} (document "${dokument.tittel}"): add it to the destination's fileFormats`,
    );
  }
  const [variantFormat, filformat, links] = await Promise.all([
    codes.link("variantFormat", documents.variantFormat),
    codes.link("filformat", format, `file format for ${mimeType}`),
    linksTo(codes, {
      tilknyttetRegistreringSom: dokument.tilknyttetRegistreringSom,
      dokumentstatus: documents.dokumentstatus,
    }),
  ]);
  return {
    tittel: dokument.tittel,
    dokumentobjekt: [
      {
        filstorrelse: String(dokument.file.sizeBytes),
        formatDetaljer: mimeType,
        sjekksum: dokument.file.sha256,
        sjekksumAlgoritme: "SHA-256",
        _links: {
          variantFormat: [{ href: variantFormat }],
          filformat: [{ href: filformat }],
          referanseDokumentfil: [{ href: fileRef }],
        },
      },
    ],
    ...optionalLinks(links),
  };
}

/** The highest journal post number of a case (0 without any): what a journal post added next will exceed. */
export function highestJournalPostNumber(sak: SakResource): number {
  return (sak.journalpost ?? []).reduce((max, post) => Math.max(max, post.journalPostnummer ?? 0), 0);
}

/**
 * The journal posts of a case that look like this one added after `marker` (the case's highest number before
 * it was sent): numbered above it, with its title (Public 360 may put a prefix before it, from its case defaults:
 * `JournalpostFactory.toP360`) and, where the archive lists them, the same document titles.
 */
export function journalPostsLike(sak: SakResource, post: Journalpost, marker: number): JournalpostResource[] {
  const documentTitles = post.dokumenter.map((dokument) => dokument.tittel).sort();
  return (sak.journalpost ?? []).filter((candidate) => {
    if ((candidate.journalPostnummer ?? 0) <= marker) return false;
    if (candidate.tittel !== post.tittel && !candidate.tittel?.endsWith(post.tittel)) return false;
    const theirs = (candidate.dokumentbeskrivelse ?? []).map((dokument) => dokument.tittel).sort();
    return theirs.length === 0 || sameList(theirs, documentTitles);
  });
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item, index) => item === b[index]);

/**
 * The journal post just added to a case, read back from the case once the archive said it was done: the
 * newest that looks like it above the number the case had before; else the newest above that number (which
 * FINT's own Flyt gateway takes, `FintArchiveDispatchClient`); the adapter adds one case's journal posts one at
 * a time.
 */
export function addedJournalPost(
  sak: SakResource,
  archivedCase: ArchivedCase,
  post: Journalpost | undefined,
  marker: number,
): ArchivedJournalPost {
  const newer = (sak.journalpost ?? []).filter((candidate) => (candidate.journalPostnummer ?? 0) > marker);
  const newest = (posts: readonly JournalpostResource[]) =>
    posts.reduce<JournalpostResource | undefined>(
      (latest, candidate) =>
        latest && (latest.journalPostnummer ?? 0) >= (candidate.journalPostnummer ?? 0) ? latest : candidate,
      undefined,
    );
  const added = (post && newest(journalPostsLike(sak, post, marker))) ?? newest(newer);
  if (!added) {
    throw new ArchiveUnavailableError(
      `the archive answered case ${archivedCase.caseNumber} without the journal post just added`,
      { uncertain: true },
    );
  }
  return toArchivedJournalPost(added, archivedCase);
}

export function toArchivedJournalPost(
  post: JournalpostResource,
  archivedCase: ArchivedCase,
): ArchivedJournalPost {
  if (post.journalPostnummer === undefined) {
    throw new ArchiveUnavailableError(
      `the archive answered a journal post of case ${archivedCase.caseNumber} without its number`,
      { uncertain: true },
    );
  }
  const number = `${archivedCase.caseNumber}-${post.journalPostnummer}`;
  return { systemId: post.registreringsId ?? number, number };
}
