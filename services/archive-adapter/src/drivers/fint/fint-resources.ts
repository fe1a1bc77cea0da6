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
  readonly klasseId: string;
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
  readonly nokkelord?: readonly string[];
  readonly skjerming?: SkjermingResource;
  readonly korrespondansepart?: readonly KorrespondansepartResource[];
  readonly dokumentbeskrivelse?: readonly DokumentbeskrivelseResource[];
  /** Set by the archive. */
  readonly journalAr?: string;
  readonly journalPostnummer?: number;
  readonly journalSekvensnummer?: number;
  readonly registreringsId?: string;
  readonly _links?: FintLinks;
}

export interface SakResource {
  readonly tittel: string;
  readonly offentligTittel?: string;
  readonly noekkelord?: readonly string[];
  readonly klasse?: readonly KlasseResource[];
  readonly part?: readonly PartResource[];
  readonly skjerming?: SkjermingResource;
  readonly journalpost?: readonly JournalpostResource[];
  /** Set by the archive: the case number (`2026/123`) and the archive's own id. */
  readonly mappeId?: Identifikator;
  readonly systemId?: Identifikator;
  readonly saksaar?: string;
  readonly sakssekvensnummer?: string;
  readonly _links?: FintLinks;
}

/** A FINT collection, as `$query` answers it. */
export interface FintCollection<T> {
  readonly _embedded?: { readonly _entries?: readonly T[] };
}

/**
 * Where FINT keeps the resources a relation points to, by relation (from the FINT information model). A link
 * is `{base}/{path}/systemid/{code}`, so a Flyt code such as arkivdel `SAK` becomes a link to that code.
 */
export const relationPaths = {
  arkivdel: "arkiv/noark/arkivdel",
  administrativEnhet: "arkiv/noark/administrativenhet",
  journalenhet: "arkiv/noark/administrativenhet",
  saksansvarlig: "arkiv/noark/arkivressurs",
  saksbehandler: "arkiv/noark/arkivressurs",
  klassifikasjonssystem: "arkiv/noark/klassifikasjonssystem",
  saksmappetype: "arkiv/kodeverk/saksmappetype",
  saksstatus: "arkiv/kodeverk/saksstatus",
  tilgangsgruppe: "arkiv/kodeverk/tilgangsgruppe",
  tilgangsrestriksjon: "arkiv/kodeverk/tilgangsrestriksjon",
  skjermingshjemmel: "arkiv/kodeverk/skjermingshjemmel",
  partRolle: "arkiv/kodeverk/partrolle",
  korrespondanseparttype: "arkiv/kodeverk/korrespondanseparttype",
  journalposttype: "arkiv/kodeverk/journalposttype",
  journalstatus: "arkiv/kodeverk/journalstatus",
  tilknyttetRegistreringSom: "arkiv/kodeverk/tilknyttetregistreringsom",
  dokumentstatus: "arkiv/kodeverk/dokumentstatus",
  variantFormat: "arkiv/kodeverk/variantformat",
} as const;

export type Relation = keyof typeof relationPaths;

/**
 * Builds the `_links` of a resource from codes: a code that is already a URL (a configuration may hold FINT
 * hrefs) is kept; any other becomes `{base}/{path}/systemid/{code}`. Absent codes are left out.
 */
export function linksTo(
  baseUrl: string,
  codes: Partial<Record<Relation, string | null | undefined>>,
): FintLinks | undefined {
  const links: Record<string, FintLink[]> = {};
  for (const [relation, code] of Object.entries(codes) as [Relation, string | null | undefined][]) {
    if (code) links[relation] = [{ href: codeHref(baseUrl, relation, code) }];
  }
  return Object.keys(links).length > 0 ? links : undefined;
}

export function codeHref(baseUrl: string, relation: Relation, code: string): string {
  if (/^https?:\/\//i.test(code)) return code;
  return `${baseUrl.replace(/\/+$/, "")}/${relationPaths[relation]}/systemid/${encodeURIComponent(code)}`;
}
