/**
 * FINT's Sak and Journalpost have no field for another system's reference (the FINT information model's Mappe
 * and Registrering carry ids, titles, keywords, remarks, ... but no `eksternId`). Flyt keeps its external id
 * as one keyword (`noekkelord` on a case, `nokkelord` on a journal post, as FINT spells them), prefixed so it
 * cannot be mistaken for an archivist's own keyword. The fake FINT server searches the same keyword.
 */
const PREFIX = "flyt-external-id:";

export function externalIdKeyword(externalId: string): string {
  return `${PREFIX}${externalId}`;
}

/** Whether a resource's keywords carry this external id. */
export function carriesExternalId(keywords: readonly string[] | undefined, externalId: string): boolean {
  return keywords?.includes(externalIdKeyword(externalId)) ?? false;
}
