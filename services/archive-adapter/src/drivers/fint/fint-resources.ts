/**
 * The FINT arkiv resources as they travel as JSON (HAL: plain fields, and relations as `_links` whose values are
 * lists of `{ href }`). Only the fields Flyt writes or reads are typed; the FINT information model has more.
 */

export interface FintLink {
  readonly href: string;
}

export type FintLinks = Readonly<Record<string, readonly FintLink[]>>;

export interface Identifikator {
  readonly identifikatorverdi: string;
}

export interface AdresseResource {
  readonly adresselinje?: readonly string[];
  readonly postnummer?: string;
  readonly poststed?: string;
}

export interface KlasseResource {
  /** Written by Flyt; Public 360 does not answer it (its archive code is in `tittel`). */
  readonly klasseId?: string;
  readonly tittel: string;
  readonly rekkefolge?: number;
  readonly _links?: FintLinks;
}

export interface PartResource {
  readonly partNavn: string;
  readonly organisasjonsnummer?: string;
  readonly _links?: FintLinks;
}

export interface KorrespondansepartResource {
  readonly korrespondansepartNavn: string;
  readonly organisasjonsnummer?: string;
  readonly adresse?: AdresseResource;
  readonly kontaktinformasjon?: { readonly epostadresse?: string };
  readonly _links?: FintLinks;
}

export interface SkjermingResource {
  readonly _links?: FintLinks;
}

export interface DokumentobjektResource {
  readonly filstorrelse?: string;
  readonly formatDetaljer?: string;
  readonly sjekksum?: string;
  readonly sjekksumAlgoritme?: string;
  readonly _links?: FintLinks;
}

export interface DokumentbeskrivelseResource {
  readonly tittel: string;
  readonly dokumentobjekt?: readonly DokumentobjektResource[];
  readonly _links?: FintLinks;
}

export interface JournalpostResource {
  readonly tittel: string;
  readonly offentligTittel?: string;
  readonly dokumentetsDato?: string;
  readonly skjerming?: SkjermingResource;
  readonly korrespondansepart?: readonly KorrespondansepartResource[];
  readonly dokumentbeskrivelse?: readonly DokumentbeskrivelseResource[];
  /** Set by the archive. */
  readonly journalAr?: string;
  readonly journalPostnummer?: number;
  readonly journalSekvensnummer?: number;
  readonly registreringsId?: string;
  /** Set by the archive when it made the journal post (ISO date-time). */
  readonly opprettetDato?: string;
  readonly _links?: FintLinks;
}

export interface SakResource {
  readonly tittel: string;
  readonly offentligTittel?: string;
  readonly klasse?: readonly KlasseResource[];
  readonly part?: readonly PartResource[];
  readonly skjerming?: SkjermingResource;
  readonly journalpost?: readonly JournalpostResource[];
  /** Set by the archive: the case number (`2026/123`, Public 360 `19/00094`) and the archive's own id. */
  readonly mappeId?: Identifikator;
  readonly systemId?: Identifikator;
  readonly saksaar?: string;
  readonly sakssekvensnummer?: string;
  /** Set by the archive when it made the case (ISO date-time). */
  readonly opprettetDato?: string;
  readonly _links?: FintLinks;
}

/** A FINT collection, as `$query` and the code lists answer it. */
export interface FintCollection<T> {
  readonly _embedded?: { readonly _entries?: readonly T[] };
}
