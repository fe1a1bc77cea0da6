import { PermanentError } from "@flyt/errors";
import type {
  Adresse,
  Arkivsak,
  Dokument,
  Journalpost,
  Korrespondansepart,
  Part,
  Skjerming,
} from "@flyt/schemas";
import type { ArchivedCase, ArchivedJournalPost } from "../archive-driver";
import { ArchiveRefusedError } from "../archive-errors";
import { osloMidnight } from "../oslo-dates";
import type { Noark5Object } from "./links";
import { equals } from "./odata-filter";

/**
 * Flyt's archive model (Arkivsak, Journalpost, Dokument) as Noark 5 tjenestegrensesnitt objects, and back.
 * Codes go as `{"kode": ...}` objects, the way the standard carries code list values. Absent values are left
 * out rather than sent as null, so the archive's own defaults apply.
 */

/**
 * Where Flyt keeps its external ids in the archive. The tjenestegrensesnitt has no field for another system's
 * key on a saksmappe or journalpost, but gives every mappe and registrering `virksomhetsspesifikkeMetadata`,
 * named `vnd-<vendor>-<version>:<field>` and searchable by `$filter` like any other field. `externalId` holds
 * the submission's id; `completed` is set last, once every part, document and file is in, so a case or journal
 * post whose writing broke off is found as unfinished and finished rather than taken as done. The archive must
 * know both fields (its metadata catalogue of virksomhetsspesifikkeMetadata).
 */
export interface BusinessMetadataFields {
  readonly externalId: string;
  readonly completed: string;
}

export const DEFAULT_BUSINESS_METADATA_FIELDS: BusinessMetadataFields = {
  externalId: "vnd-flyt-v1:eksternid",
  completed: "vnd-flyt-v1:fullfoert",
};

type Body = Record<string, unknown>;

function code(value: string): { kode: string } {
  return { kode: value };
}

/** Only the entries with a value. */
function present(entries: Record<string, unknown>): Body {
  return Object.fromEntries(
    Object.entries(entries).filter(([, value]) => value !== null && value !== undefined),
  );
}

/**
 * How a destination takes screening (Skjerming, 07-tjenester_og_informasjonsmodell.rst:3939–4030 at tag
 * versjon-1.1): `tilgangsrestriksjon` [1..1], `skjermingshjemmel` [1..1] and, since v1.1, `skjermingMetadata`
 * [1..*] from code list M502 (changed from [0..*], 01-orientering_og_introduksjon.rst:164–165) — which metadata of
 * the object the screening hides. Flyt's submissions say what is screened and why, not which metadata, so the
 * codes come from the destination's settings.
 *
 * `form` is per destination because servers differ: `inline` sends `skjermingMetadata` inside `skjerming`, as
 * v1.1 reads; the reference server of 2021 refuses that (it takes no field in `skjerming` beyond its own,
 * Nikita CommonUtils.java:1467–1519) and adds each code afterwards through the object's
 * `https://nikita.arkivlab.no/noark5/v5/ny-skjermingmetadata/` relation (noark5-tester runtest:1396–1422):
 * `relation`; `omit` sends none, for a server that takes neither.
 */
export interface ScreeningSettings {
  readonly form: "inline" | "relation" | "omit";
  /** M502 codes for a screened saksmappe. */
  readonly saksmappe: readonly string[];
  /** M502 codes for a screened journalpost. */
  readonly journalpost: readonly string[];
}

/**
 * What the standard's own comment on M502 ties to each object: a saksmappe's title (all but its first line,
 * TM1) and the names of its parties (NPS); a journalpost's title (TR1) and the names of its sender and
 * recipient (NA, NM) (07-tjenester_og_informasjonsmodell.rst:3982–3997, codes 5928ff).
 */
export const DEFAULT_SCREENING: ScreeningSettings = {
  form: "inline",
  saksmappe: ["TM1", "NPS"],
  journalpost: ["TR1", "NA", "NM"],
};

/** The relation the reference server adds skjermingMetadata codes through (see ScreeningSettings). */
export const NIKITA_NEW_SCREENING_METADATA = "https://nikita.arkivlab.no/noark5/v5/ny-skjermingmetadata/";
/** ... and lists them under. */
export const NIKITA_SCREENING_METADATA = "https://nikita.arkivlab.no/noark5/v5/skjermingmetadata/";

function skjermingBody(
  skjerming: Skjerming | null,
  metadata: readonly string[],
  form: ScreeningSettings["form"],
): Body | undefined {
  if (!skjerming) return undefined;
  // [1..1] in the standard, and "skjermingshjemmel is missing." is a 400 from the reference server.
  if (skjerming.skjermingshjemmel.trim() === "") {
    throw new PermanentError("a screened case or journal post needs its skjermingshjemmel (legal basis)");
  }
  return {
    tilgangsrestriksjon: code(skjerming.tilgangsrestriksjon),
    skjermingshjemmel: skjerming.skjermingshjemmel,
    ...(form === "inline" ? { skjermingMetadata: metadata.map(code) } : {}),
  };
}

/** The standard's EnkelAdresse: three address lines (any further lines joined into the third). */
function enkelAdresse(adresse: Adresse | null): Body | undefined {
  if (!adresse) return undefined;
  const [first, second, ...rest] = adresse.adresselinje;
  return present({
    adresselinje1: first,
    adresselinje2: second,
    adresselinje3: rest.length > 0 ? rest.join(", ") : undefined,
    postnr: adresse.postnummer,
    poststed: adresse.poststed,
  });
}

export function saksmappeBody(
  arkivsak: Arkivsak,
  externalId: string,
  fields: BusinessMetadataFields,
  screening: ScreeningSettings,
): Body {
  return present({
    tittel: arkivsak.tittel,
    offentligTittel: arkivsak.offentligTittel,
    saksansvarlig: arkivsak.saksansvarlig,
    administrativEnhet: arkivsak.administrativEnhet,
    journalenhet: arkivsak.journalenhet,
    saksstatus: arkivsak.saksstatus ? code(arkivsak.saksstatus) : undefined,
    // No saksmappetype: v1.1 removed mappetype from Mappe and has nothing in its place (see NO_CASE_TYPE).
    skjerming: skjermingBody(arkivsak.skjerming, screening.saksmappe, screening.form),
    virksomhetsspesifikkeMetadata: { [fields.externalId]: externalId },
  });
}

/** A party as PartEnhet (with an organisation number) or PartPerson, and the relation that creates it. */
export function partBody(part: Part): { readonly kind: "enhet" | "person"; readonly body: Body } {
  const common = present({ navn: part.navn, partRolle: part.rolle ? code(part.rolle) : undefined });
  if (part.organisasjonsnummer) {
    return {
      kind: "enhet",
      body: { ...common, enhetsidentifikator: { organisasjonsnummer: part.organisasjonsnummer } },
    };
  }
  return { kind: "person", body: common };
}

export function journalpostBody(
  post: Journalpost,
  externalId: string,
  fields: BusinessMetadataFields,
  screening: ScreeningSettings,
): Body {
  return present({
    tittel: post.tittel,
    offentligTittel: post.offentligTittel,
    journalposttype: code(post.journalposttype),
    journalstatus: post.journalstatus ? code(post.journalstatus) : undefined,
    dokumentetsDato: post.dokumentdato ? osloMidnight(post.dokumentdato) : undefined,
    journalenhet: post.journalenhet,
    skjerming: skjermingBody(post.skjerming, screening.journalpost, screening.form),
    virksomhetsspesifikkeMetadata: { [fields.externalId]: externalId },
  });
}

/** Flyt's correspondent kinds, by the standard's Korrespondanseparttype codes (M087). */
const CORRESPONDENT_TYPE: Readonly<Record<string, string>> = {
  avsender: "EA",
  mottaker: "EM",
  kopimottaker: "EK",
  gruppemottaker: "GM",
  "intern avsender": "IA",
  "intern mottaker": "IM",
  "intern kopimottaker": "IK",
  medavsender: "IS",
};

/** A kind Flyt names (`avsender`) as its code (`EA`); a code, or a kind of the archive's own, as it is. */
export function korrespondanseparttypeCode(kind: string): string {
  return CORRESPONDENT_TYPE[kind.trim().toLowerCase()] ?? kind;
}

/** An external correspondent as KorrespondansepartEnhet (with an organisation number) or ...Person. */
export function korrespondansepartBody(part: Korrespondansepart): {
  readonly kind: "enhet" | "person";
  readonly body: Body;
} {
  const common = present({
    korrespondanseparttype: code(korrespondanseparttypeCode(part.korrespondanseparttype)),
    navn: part.navn,
    postadresse: enkelAdresse(part.postadresse),
    kontaktinformasjon: part.epost ? { epostadresse: part.epost } : undefined,
  });
  if (part.organisasjonsnummer) {
    return {
      kind: "enhet",
      body: { ...common, enhetsidentifikator: { organisasjonsnummer: part.organisasjonsnummer } },
    };
  }
  return { kind: "person", body: common };
}

/**
 * The journal post's own case officer and unit. The standard keeps them on the journal post as an internal
 * correspondent (KorrespondansepartIntern: "på journalpostnivå grupperes administrativEnhet sammen med
 * saksbehandler inn i korrespondansepart"): the internal recipient of an incoming document, the internal sender
 * of anything the organisation writes.
 */
export function internalCorrespondentBody(post: Journalpost): Body | undefined {
  if (!post.saksbehandler && !post.administrativEnhet) return undefined;
  return present({
    korrespondanseparttype: code(post.journalposttype === "I" ? "IM" : "IA"),
    saksbehandler: post.saksbehandler,
    administrativEnhet: post.administrativEnhet,
  });
}

export function dokumentbeskrivelseBody(dokument: Dokument): Body {
  return {
    tittel: dokument.tittel,
    tilknyttetRegistreringSom: code(dokument.tilknyttetRegistreringSom),
  };
}

/**
 * The dokumentobjekt a file goes to, with what the archive checks the upload against (the standard: when
 * filnavn, mimeType, sjekksum and filstoerrelse are given at creation, the server verifies the file it gets).
 * Version 1 of the archive variant: Flyt archives the document as it was received.
 */
export function dokumentobjektBody(file: {
  readonly filename: string;
  readonly mimeType: string;
  readonly sha256: string;
  readonly sizeBytes: number;
}): Body {
  return {
    versjonsnummer: 1,
    variantformat: code("A"),
    filnavn: file.filename,
    mimeType: file.mimeType,
    sjekksum: file.sha256,
    sjekksumAlgoritme: "SHA-256",
    filstoerrelse: file.sizeBytes,
  };
}

function text(object: Noark5Object, field: string): string | undefined {
  const value = object[field];
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

/** A code list value as the archive sent it: `{"kode": "H"}` or, from some servers, just `"H"`. */
export function codeOf(object: Noark5Object, field: string): string | undefined {
  const value = object[field];
  if (typeof value === "string") return value;
  const kode = (value as { kode?: unknown } | null | undefined)?.kode;
  return typeof kode === "string" ? kode : undefined;
}

function businessMetadata(object: Noark5Object): Readonly<Record<string, unknown>> {
  const value = object.virksomhetsspesifikkeMetadata;
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

/** Whether Flyt finished writing this case or journal post (see BusinessMetadataFields). */
export function isCompleted(object: Noark5Object, fields: BusinessMetadataFields): boolean {
  return businessMetadata(object)[fields.completed] === true;
}

export function completedPatch(fields: BusinessMetadataFields): Body {
  return { virksomhetsspesifikkeMetadata: { [fields.completed]: true } };
}

export function systemIdOf(object: Noark5Object, what: string): string {
  const systemId = text(object, "systemID");
  if (!systemId) throw new PermanentError(`the archive's ${what} has no systemID`);
  return systemId;
}

export function toArchivedCase(saksmappe: Noark5Object): ArchivedCase {
  const caseNumber = text(saksmappe, "mappeID");
  if (!caseNumber) throw new PermanentError("the archive's saksmappe has no mappeID");
  return { systemId: systemIdOf(saksmappe, "saksmappe"), caseNumber };
}

/**
 * A journal post's number as the standard composes it: the case's number and the post's journalpostnummer
 * (M015, "f.eks. 2011/3869-8 (dokument nr. 8 i sak 2011/3869)"). journalaar/journalsekvensnummer (M013/M014)
 * count the year's journal instead, so they are not part of it. registreringsID (M004) usually holds the same
 * number and stands in when journalpostnummer is missing.
 */
export function journalPostNumber(journalpost: Noark5Object, caseNumber: string): string {
  const sequence = text(journalpost, "journalpostnummer");
  if (sequence) return `${caseNumber}-${sequence}`;
  const registreringsId = text(journalpost, "registreringsID");
  if (registreringsId) return registreringsId;
  throw new PermanentError("the archive's journalpost has neither journalpostnummer nor registreringsID");
}

export function toArchivedJournalPost(journalpost: Noark5Object, caseNumber: string): ArchivedJournalPost {
  return {
    systemId: systemIdOf(journalpost, "journalpost"),
    number: journalPostNumber(journalpost, caseNumber),
  };
}

/** Flyt's case search criteria, by the saksmappe field (or path) each one is. `arkivdel` is resolved apart. */
const CASE_CRITERIA: Readonly<Record<string, string>> = {
  tittel: "tittel",
  offentligTittel: "offentligTittel",
  mappeID: "mappeID",
  saksansvarlig: "saksansvarlig",
  administrativEnhet: "administrativEnhet",
  journalenhet: "journalenhet",
  saksstatus: "saksstatus/kode",
  "klassering.ordningsverdi": "klasse/klasseID",
  "klassering.ordningsprinsipp": "klasse/klassifikasjonssystem/tittel",
};

/**
 * Why a case type cannot be sent or searched: v1.1 removed `mappetype` from Mappe, "som ikke har tilsvarende felt
 * i Noark 5" (01-orientering_og_introduksjon.rst:171–172 at tag versjon-1.1), and saksmappe has no other field for
 * it (07-tjenester_og_informasjonsmodell.rst:7356–7446); the reference server refuses unknown saksmappe fields
 * (Nikita CaseFileDeserializer.java:134–143). So a case's saksmappetype is not written, and a search by it is
 * refused rather than run without it (which would find cases of every type).
 */
export const NO_CASE_TYPE =
  "Noark 5 (tjenestegrensesnitt v1.1) has no saksmappetype: mappetype was removed from Mappe with nothing in its place";

/** One criterion as a `$filter` condition; a criterion the driver cannot express is a permanent refusal. */
export function caseCriterionCondition(criterion: string, value: string): string {
  if (criterion === "saksmappetype") {
    throw new ArchiveRefusedError(`cannot search cases by saksmappetype: ${NO_CASE_TYPE}`);
  }
  const field = CASE_CRITERIA[criterion];
  if (!field) {
    throw new ArchiveRefusedError(`the Noark 5 driver cannot search cases by "${criterion}"`);
  }
  return equals(field, value);
}

/**
 * The fields a `GET ny-...` answer proposes for a new object, ready to go under the driver's own: without
 * links, empty values, and ids and references that belong to the object the template was asked on.
 */
export function templateDefaults(template: Noark5Object): Body {
  return Object.fromEntries(
    Object.entries(template).filter(
      ([field, value]) =>
        value !== null &&
        value !== undefined &&
        field !== "_links" &&
        field !== "systemID" &&
        !field.startsWith("referanse"),
    ),
  );
}
