import type { Arkivsak, Skjerming } from "@flyt/schemas";
import type { ArchivedCase } from "../archive-driver";
import { ArchiveUnavailableError } from "../archive-errors";
import { lastSegment, type Relation } from "./code-lists";
import type {
  FintLinks,
  KlasseResource,
  PartResource,
  SakResource,
  SkjermingResource,
} from "./fint-resources";

/**
 * How a mapping gets the link for a configured value: the first self link of the archive's entry for it (see
 * FintCodes), refused when the archive does not know it.
 */
export interface CodeLinker {
  link(relation: Relation, value: string, field?: string): Promise<string>;
}

/**
 * A Flyt case as the SakResource FINT creates it from: plain fields as fields, codes as links to the
 * archive's own entries of FINT's code lists and administrative resources, and classifications in order
 * (`rekkefolge` 1 is the primary one). No external id: FINT's Sak has no field for one, and both archive
 * adapters drop keywords on write (fint-p360-rpc-arkiv-adapter `NoarkFactory.createCaseArgs` never reads
 * them, fint-sikri-arkiv-adapter `NoarkService` leaves them a TODO).
 */
export async function toSakResource(arkivsak: Arkivsak, codes: CodeLinker): Promise<SakResource> {
  const links = await linksTo(codes, {
    arkivdel: arkivsak.arkivdel,
    administrativEnhet: arkivsak.administrativEnhet,
    journalenhet: arkivsak.journalenhet,
    saksansvarlig: arkivsak.saksansvarlig,
    saksmappetype: arkivsak.saksmappetype,
    saksstatus: arkivsak.saksstatus,
    tilgangsgruppe: arkivsak.tilgangsgruppe,
  });
  const klasse = await Promise.all(
    arkivsak.klassering.map(
      async (klassering, index): Promise<KlasseResource> => ({
        klasseId: klassering.ordningsverdi,
        // FINT requires a title; the value itself is the best one when no description was given.
        tittel: klassering.beskrivelse ?? klassering.ordningsverdi,
        rekkefolge: index + 1,
        _links: {
          klassifikasjonssystem: [
            {
              href: await codes.link(
                "klassifikasjonssystem",
                klassering.ordningsprinsipp,
                "klassering.ordningsprinsipp",
              ),
            },
          ],
        },
      }),
    ),
  );
  const part = await Promise.all(
    arkivsak.part.map(
      async (part): Promise<PartResource> => ({
        partNavn: part.navn,
        ...(part.organisasjonsnummer === null ? {} : { organisasjonsnummer: part.organisasjonsnummer }),
        ...optionalLinks(await linksTo(codes, { partRolle: part.rolle })),
      }),
    ),
  );
  const skjerming = await toSkjermingResource(arkivsak.skjerming, codes);
  return {
    tittel: arkivsak.tittel,
    ...(arkivsak.offentligTittel === null ? {} : { offentligTittel: arkivsak.offentligTittel }),
    klasse,
    part,
    ...(skjerming === undefined ? {} : { skjerming }),
    ...optionalLinks(links),
  };
}

/**
 * Screening as links to its code resources: the access restriction and its legal basis (skjermingshjemmel),
 * never the basis as free text (the adapters look the link up by system id: fint-p360-rpc-arkiv-adapter and
 * fint-sikri-arkiv-adapter `SkjermingService`).
 */
export async function toSkjermingResource(
  skjerming: Skjerming | null,
  codes: CodeLinker,
): Promise<SkjermingResource | undefined> {
  if (skjerming === null) return undefined;
  return optionalLinks(
    await linksTo(codes, {
      tilgangsrestriksjon: skjerming.tilgangsrestriksjon,
      skjermingshjemmel: skjerming.skjermingshjemmel,
    }),
  );
}

/** The `_links` of a resource from configured values; absent values are left out. */
export async function linksTo(
  codes: CodeLinker,
  values: Partial<Record<Relation, string | null | undefined>>,
): Promise<FintLinks | undefined> {
  const entries = await Promise.all(
    (Object.entries(values) as [Relation, string | null | undefined][])
      .filter((entry): entry is [Relation, string] => Boolean(entry[1]))
      .map(async ([relation, value]) => [relation, [{ href: await codes.link(relation, value) }]] as const),
  );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/**
 * The case a SakResource the archive answered describes. The case number is FINT's `mappeId` as the archive
 * writes it (`2026/123`, Public 360 `19/00094`: kept verbatim, leading zeros and all), or else built from
 * `saksaar` and `sakssekvensnummer`; without either the answer is not a case.
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
  const arkivdel = lastSegment(sak._links?.arkivdel?.[0]?.href);
  return {
    systemId: sak.systemId?.identifikatorverdi ?? caseNumber,
    caseNumber,
    ...(arkivdel ? { arkivdel } : {}),
  };
}

export function optionalLinks(
  links: FintLinks | undefined,
): { readonly _links: FintLinks } | Record<never, never> {
  return links === undefined ? {} : { _links: links };
}
