import { PermanentError } from "@flyt/errors";
import type { Dokument, Journalpost, Korrespondansepart } from "@flyt/schemas";
import type { ArchivedCase, ArchivedJournalPost, ArchiveFileRef } from "../archive-driver";
import { ArchiveUnavailableError } from "../archive-errors";
import { carriesExternalId, externalIdKeyword } from "./external-id";
import {
  codeHref,
  type DokumentbeskrivelseResource,
  type JournalpostResource,
  type KorrespondansepartResource,
  linksTo,
  type SakResource,
} from "./fint-resources";
import { optionalLinks, toSkjermingResource } from "./sak-mapping";

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

/**
 * Codes Flyt's documents do not carry and FINT requires: the file is stored as it was received, which Noark
 * 5 calls the production format (`P`), and a document sent to the archive is finished (`F`).
 */
const VARIANT_FORMAT = "P";
const DOKUMENTSTATUS = "F";

/**
 * A Flyt journal post as the JournalpostResource that `PUT /arkiv/noark/sak/mappeid/{id}` adds to a case:
 * its documents as dokumentbeskrivelse → dokumentobjekt whose `referanseDokumentfil` links to the uploaded
 * file, and the external id as a keyword.
 */
export function toJournalpostResource(
  post: Journalpost,
  files: ReadonlyMap<string, ArchiveFileRef>,
  externalId: string,
  baseUrl: string,
): JournalpostResource {
  const skjerming = toSkjermingResource(post.skjerming, baseUrl);
  return {
    tittel: post.tittel,
    ...(post.offentligTittel === null ? {} : { offentligTittel: post.offentligTittel }),
    // FINT's dates are date-times; a document date has no time of day.
    ...(post.dokumentdato === null ? {} : { dokumentetsDato: `${post.dokumentdato}T00:00:00Z` }),
    nokkelord: [externalIdKeyword(externalId)],
    ...(skjerming === undefined ? {} : { skjerming }),
    korrespondansepart: post.korrespondansepart.map((part) => toKorrespondansepart(part, baseUrl)),
    dokumentbeskrivelse: post.dokumenter.map((dokument) => toDokumentbeskrivelse(dokument, files, baseUrl)),
    ...optionalLinks(
      linksTo(baseUrl, {
        journalposttype: post.journalposttype,
        journalstatus: post.journalstatus,
        saksbehandler: post.saksbehandler,
        administrativEnhet: post.administrativEnhet,
        journalenhet: post.journalenhet,
      }),
    ),
  };
}

function toKorrespondansepart(part: Korrespondansepart, baseUrl: string): KorrespondansepartResource {
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
    ...optionalLinks(linksTo(baseUrl, { korrespondanseparttype: type })),
  };
}

function toDokumentbeskrivelse(
  dokument: Dokument,
  files: ReadonlyMap<string, ArchiveFileRef>,
  baseUrl: string,
): DokumentbeskrivelseResource {
  const fileRef = files.get(dokument.file.fileId);
  if (fileRef === undefined) {
    throw new PermanentError(
      `document "${dokument.tittel}" refers to file ${dokument.file.fileId}, not uploaded`,
    );
  }
  return {
    tittel: dokument.tittel,
    dokumentobjekt: [
      {
        filstorrelse: String(dokument.file.sizeBytes),
        formatDetaljer: dokument.file.mimeType,
        sjekksum: dokument.file.sha256,
        sjekksumAlgoritme: "SHA-256",
        _links: {
          variantFormat: [{ href: codeHref(baseUrl, "variantFormat", VARIANT_FORMAT) }],
          referanseDokumentfil: [{ href: fileRef }],
        },
      },
    ],
    ...optionalLinks(
      linksTo(baseUrl, {
        tilknyttetRegistreringSom: dokument.tilknyttetRegistreringSom,
        dokumentstatus: DOKUMENTSTATUS,
      }),
    ),
  };
}

/** The journal post of this case created with this external id, as the archive numbered it. */
export function journalPostWithExternalId(
  sak: SakResource,
  archivedCase: ArchivedCase,
  externalId: string,
): ArchivedJournalPost | undefined {
  const post = sak.journalpost?.find((candidate) => carriesExternalId(candidate.nokkelord, externalId));
  return post && toArchivedJournalPost(post, archivedCase);
}

/**
 * The journal post just added to a case, read back from the case. It is the one carrying the external id; an
 * archive that drops keywords leaves the newest one, which is what FINT's own Flyt gateway takes (safe here
 * because the adapter writes one case's journal posts one at a time).
 */
export function addedJournalPost(
  sak: SakResource,
  archivedCase: ArchivedCase,
  externalId: string,
): ArchivedJournalPost {
  const found = journalPostWithExternalId(sak, archivedCase, externalId);
  if (found) return found;
  const newest = (sak.journalpost ?? [])
    .filter((post) => post.journalPostnummer !== undefined)
    .reduce<JournalpostResource | undefined>(
      (latest, post) =>
        latest && (latest.journalPostnummer ?? 0) >= (post.journalPostnummer ?? 0) ? latest : post,
      undefined,
    );
  if (!newest) {
    throw new ArchiveUnavailableError(
      `the archive answered case ${archivedCase.caseNumber} without the journal post just added`,
      { uncertain: true },
    );
  }
  return toArchivedJournalPost(newest, archivedCase);
}

function toArchivedJournalPost(post: JournalpostResource, archivedCase: ArchivedCase): ArchivedJournalPost {
  if (post.journalPostnummer === undefined) {
    throw new ArchiveUnavailableError(
      `the archive answered a journal post of case ${archivedCase.caseNumber} without its number`,
      { uncertain: true },
    );
  }
  const number = `${archivedCase.caseNumber}-${post.journalPostnummer}`;
  return { systemId: post.registreringsId ?? number, number };
}
