import type { Arkivsak, Skjerming } from "@flyt/schemas";
import type { ArchivedCase } from "../archive-driver";
import { ArchiveUnavailableError } from "../archive-errors";
import { externalIdKeyword } from "./external-id";
import {
  type KlasseResource,
  linksTo,
  type PartResource,
  type SakResource,
  type SkjermingResource,
} from "./fint-resources";

/**
 * A Flyt case as the SakResource FINT creates it from: plain fields as fields, codes as links to FINT's code
 * lists and administrative resources, classifications in order (`rekkefolge` 1 is the primary one), and the
 * external id as a keyword (see external-id.ts).
 */
export function toSakResource(arkivsak: Arkivsak, externalId: string, baseUrl: string): SakResource {
  const links = linksTo(baseUrl, {
    arkivdel: arkivsak.arkivdel,
    administrativEnhet: arkivsak.administrativEnhet,
    journalenhet: arkivsak.journalenhet,
    saksansvarlig: arkivsak.saksansvarlig,
    saksmappetype: arkivsak.saksmappetype,
    saksstatus: arkivsak.saksstatus,
    tilgangsgruppe: arkivsak.tilgangsgruppe,
  });
  const skjerming = toSkjermingResource(arkivsak.skjerming, baseUrl);
  return {
    tittel: arkivsak.tittel,
    ...(arkivsak.offentligTittel === null ? {} : { offentligTittel: arkivsak.offentligTittel }),
    noekkelord: [externalIdKeyword(externalId)],
    klasse: arkivsak.klassering.map(
      (klassering, index): KlasseResource => ({
        klasseId: klassering.ordningsverdi,
        // FINT requires a title; the value itself is the best one when no description was given.
        tittel: klassering.beskrivelse ?? klassering.ordningsverdi,
        rekkefolge: index + 1,
        ...optionalLinks(linksTo(baseUrl, { klassifikasjonssystem: klassering.ordningsprinsipp })),
      }),
    ),
    part: arkivsak.part.map(
      (part): PartResource => ({
        partNavn: part.navn,
        ...(part.organisasjonsnummer === null ? {} : { organisasjonsnummer: part.organisasjonsnummer }),
        ...optionalLinks(linksTo(baseUrl, { partRolle: part.rolle })),
      }),
    ),
    ...(skjerming === undefined ? {} : { skjerming }),
    ...optionalLinks(links),
  };
}

export function toSkjermingResource(
  skjerming: Skjerming | null,
  baseUrl: string,
): SkjermingResource | undefined {
  if (skjerming === null) return undefined;
  return {
    ...optionalLinks(
      linksTo(baseUrl, {
        tilgangsrestriksjon: skjerming.tilgangsrestriksjon,
        skjermingshjemmel: skjerming.skjermingshjemmel,
      }),
    ),
  };
}

/**
 * The case a SakResource the archive answered describes. The case number is FINT's `mappeId` (`2026/123`),
 * or else built from `saksaar` and `sakssekvensnummer`; without either the answer is not a case.
 */
export function toArchivedCase(sak: SakResource, options: { readonly afterWrite: boolean }): ArchivedCase {
  const caseNumber =
    sak.mappeId?.identifikatorverdi ??
    (sak.saksaar && sak.sakssekvensnummer ? `${sak.saksaar}/${sak.sakssekvensnummer}` : undefined);
  if (!caseNumber) {
    throw new ArchiveUnavailableError("the archive answered a case without a case number", {
      uncertain: options.afterWrite,
    });
  }
  const arkivdel = codeOfLink(sak._links?.arkivdel?.[0]?.href);
  return {
    systemId: sak.systemId?.identifikatorverdi ?? caseNumber,
    caseNumber,
    ...(arkivdel ? { arkivdel } : {}),
  };
}

/** The code a link to a code resource names: its last path segment (`.../arkivdel/systemid/SAK` → `SAK`). */
function codeOfLink(href: string | undefined): string | undefined {
  const segment = href?.split("/").filter(Boolean).at(-1);
  if (!segment) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export function optionalLinks(
  links: SakResource["_links"],
): { readonly _links: NonNullable<SakResource["_links"]> } | Record<never, never> {
  return links === undefined ? {} : { _links: links };
}
