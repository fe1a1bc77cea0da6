import { ArchiveRefusedError } from "../archive-errors";
import { externalIdKeyword } from "./external-id";

/**
 * The FINT filter property each Flyt search criterion compares. Code fields compare the code a link points to
 * (`arkivdel eq 'SAK'` matches `.../arkivdel/systemid/SAK`); the primary classification is
 * `klassifikasjon/primar/...`, as FINT's own Flyt archive gateway writes it.
 */
const filterProperties: Readonly<Record<string, string>> = {
  tittel: "tittel",
  arkivdel: "arkivdel",
  administrativEnhet: "administrativenhet",
  saksmappetype: "saksmappetype",
  saksstatus: "saksstatus",
  tilgangsrestriksjon: "tilgangskode",
  "klassering.ordningsprinsipp": "klassifikasjon/primar/ordning",
  "klassering.ordningsverdi": "klassifikasjon/primar/verdi",
};

/**
 * An OData string literal: quoted, with a quote inside doubled (OData's own escape), so a value can never end
 * the literal early and add conditions of its own.
 */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * The `$query` filter for cases whose fields equal every criterion, in a stable order (so the same criteria
 * always ask the same question). A criterion FINT cannot search is the caller's mistake, not the archive's
 * answer, but it is as permanent: it is refused rather than silently dropped, which would widen the search.
 */
export function caseFilter(criteria: Readonly<Record<string, string>>): string {
  const conditions = Object.keys(criteria)
    .sort()
    .map((criterion) => {
      const property = filterProperties[criterion];
      if (!property) throw new ArchiveRefusedError(`FINT arkiv cannot search cases by "${criterion}"`);
      return `${property} eq ${odataString(criteria[criterion] ?? "")}`;
    });
  if (conditions.length === 0) throw new ArchiveRefusedError("a case search needs at least one criterion");
  return conditions.join(" and ");
}

/** The `$query` filter for the case created with this external id (an OData `any` over its keywords). */
export function externalIdFilter(externalId: string): string {
  return `noekkelord/any(k:k eq ${odataString(externalIdKeyword(externalId))})`;
}
