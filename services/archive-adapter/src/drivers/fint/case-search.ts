import { ArchiveRefusedError } from "../archive-errors";
import { lastSegment, type Relation } from "./code-lists";
import type { FintAdapter } from "./fint-options";
import type { KlasseResource, SakResource } from "./fint-resources";

/**
 * What FINT's search takes as a value: its grammar (fint-antlr `OData.g4`, `CHAR : '\'' CHARS+ '\''`) allows
 * letters (ASCII and ÆØÅÄÖ), digits, space and `- _ : / $ . { }`, at least one. There is no escape: a quote
 * ends the value, so a value holding one (or `,`, `(`, `é`, ...) can only be refused, never sent.
 */
const SEARCHABLE = /^[A-Za-z0-9ÆæØøÅåÄäÖö \-_:/$.{}]+$/;

export const isSearchable = (value: string): boolean => SEARCHABLE.test(value);

/** One comparison as FINT's grammar writes it: single spaces, the value quoted. */
export function comparison(property: string, value: string): string {
  return `${property} eq '${value}'`;
}

const BOTH: readonly FintAdapter[] = ["P360", "ELEMENTS"];

/**
 * Each Flyt search criterion: the property FINT's adapters filter on, the list whose system id it compares (as
 * FINT's own Flyt gateway sends it, `CaseSearchParametersService`), and the adapters that take it. Public 360
 * (`ODataFilterUtils`): mappeid, tittel, systemid, arkivdel, klassifikasjon/primar/{verdi,ordning}, kontaktid,
 * saksstatus, saksmappetype; it accepts the primary classification's system but never applies it. Elements
 * (`CaseService`): saksaar, sakssekvensnummer, saksdato, oppdatert, arkivdel, administrativenhet, tilgangskode,
 * saksmappetype, tittel, systemid, mappeid, klassifikasjon/{primar,sekundar}/{ordning,verdi}. Any other
 * property fails the whole search there with 500.
 */
const searchable: Readonly<
  Record<
    string,
    {
      readonly property: string;
      readonly relation?: Relation;
      readonly adapters: readonly FintAdapter[];
      readonly ignoredBy?: FintAdapter;
    }
  >
> = {
  tittel: { property: "tittel", adapters: BOTH },
  arkivdel: { property: "arkivdel", relation: "arkivdel", adapters: BOTH },
  saksmappetype: { property: "saksmappetype", relation: "saksmappetype", adapters: BOTH },
  "klassering.ordningsverdi": { property: "klassifikasjon/primar/verdi", adapters: BOTH },
  "klassering.ordningsprinsipp": {
    property: "klassifikasjon/primar/ordning",
    relation: "klassifikasjonssystem",
    adapters: BOTH,
    ignoredBy: "P360",
  },
  administrativEnhet: {
    property: "administrativenhet",
    relation: "administrativEnhet",
    adapters: ["ELEMENTS"],
  },
  tilgangsrestriksjon: { property: "tilgangskode", relation: "tilgangsrestriksjon", adapters: ["ELEMENTS"] },
  saksstatus: { property: "saksstatus", relation: "saksstatus", adapters: ["P360"] },
};

const adapterNames: Readonly<Record<FintAdapter, string>> = { P360: "Public 360", ELEMENTS: "Elements" };

export interface CaseSearch {
  readonly filter: string;
  /**
   * Whether a hit meets what the adapter takes but does not apply (Public 360 and the classification's system),
   * checked on the hits instead: a search must never come back wider than asked.
   */
  readonly keep: (sak: SakResource) => boolean;
}

/**
 * The `$query` filter for cases whose fields equal every criterion, in a stable order, with code values as the
 * archive's system ids. A criterion the configured adapter (or, when it is not known, either adapter) cannot
 * search, or a value FINT's grammar cannot hold, is refused: sending it would fail the search every time, and
 * dropping it would widen it.
 */
export async function caseSearch(
  criteria: Readonly<Record<string, string>>,
  adapter: FintAdapter | undefined,
  systemIdOf: (relation: Relation, value: string, field: string) => Promise<string>,
): Promise<CaseSearch> {
  const conditions: string[] = [];
  let systemOfPrimary: string | undefined;
  for (const criterion of Object.keys(criteria).sort()) {
    const spec = searchable[criterion];
    if (!spec) throw new ArchiveRefusedError(`FINT arkiv cannot search cases by "${criterion}"`);
    if (adapter ? !spec.adapters.includes(adapter) : spec.adapters.length < BOTH.length) {
      const takers = spec.adapters.map((name) => adapterNames[name]).join(" and ");
      throw new ArchiveRefusedError(
        adapter
          ? `${adapterNames[adapter]} behind FINT cannot search cases by "${criterion}"`
          : `only ${takers} behind FINT can search cases by "${criterion}": set the destination's adapter if the archive is ${takers}`,
      );
    }
    const raw = criteria[criterion] ?? "";
    const value = spec.relation ? await systemIdOf(spec.relation, raw, criterion) : raw;
    if (!isSearchable(value)) {
      throw new ArchiveRefusedError(
        `the search criterion ${criterion} ("${value}") cannot be searched in FINT arkiv: its search takes only` +
          " letters, digits, space and - _ : / $ . { }",
      );
    }
    if (spec.ignoredBy && (adapter === undefined || adapter === spec.ignoredBy)) systemOfPrimary = value;
    conditions.push(comparison(spec.property, value));
  }
  if (conditions.length === 0) throw new ArchiveRefusedError("a case search needs at least one criterion");
  return {
    filter: conditions.join(" and "),
    keep: (sak) => systemOfPrimary === undefined || primarySystemMatches(sak, systemOfPrimary),
  };
}

/** A hit whose primary classification names another system is not one; one that names none is kept. */
function primarySystemMatches(sak: SakResource, systemId: string): boolean {
  const href = primaryKlasse(sak)?._links?.klassifikasjonssystem?.[0]?.href;
  return href === undefined || lastSegment(href) === systemId;
}

/** A case's primary classification: the one ordered first (`rekkefolge` 1), else the first listed. */
export function primaryKlasse(sak: SakResource): KlasseResource | undefined {
  const klasser = sak.klasse ?? [];
  return klasser.find((klasse) => klasse.rekkefolge === 1) ?? klasser[0];
}

/**
 * The value of a classification as the archive answers it: `klasseId`, or (Public 360, whose read leaves
 * klasseId unset, `KlasseFactory`) the archive code in `tittel`.
 */
export const klasseValue = (klasse: KlasseResource | undefined): string | undefined =>
  klasse?.klasseId ?? klasse?.tittel;
