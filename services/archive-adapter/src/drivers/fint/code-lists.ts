import { ArchiveRefusedError } from "../archive-errors";
import type { FintCollection, FintLinks, Identifikator } from "./fint-resources";

/**
 * The code lists and administrative resources a FINT arkiv offers, and where. The codes Flyt writes are links
 * to entries of these lists; the links must be the archive's own: its adapter reads a link's last path segment
 * as the archive's id (fint-p360-rpc-arkiv-adapter `P360Utils`, fint-sikri-arkiv-adapter
 * `FintUtils.getIdFromLink`), and for Public 360 that id is a record number (recno), not the Noark code.
 * Lists: fint-consumer-arkiv-kodeverk and fint-consumer-arkiv-noark `RestEndpoints.java`. There is no
 * `filformat` list: a dokumentobjekt's `filformat` relation points into `format`.
 */
export const codeListPaths = {
  arkivdel: "arkiv/noark/arkivdel",
  administrativenhet: "arkiv/noark/administrativenhet",
  arkivressurs: "arkiv/noark/arkivressurs",
  klassifikasjonssystem: "arkiv/noark/klassifikasjonssystem",
  saksmappetype: "arkiv/kodeverk/saksmappetype",
  saksstatus: "arkiv/kodeverk/saksstatus",
  tilgangsgruppe: "arkiv/kodeverk/tilgangsgruppe",
  tilgangsrestriksjon: "arkiv/kodeverk/tilgangsrestriksjon",
  skjermingshjemmel: "arkiv/kodeverk/skjermingshjemmel",
  partrolle: "arkiv/kodeverk/partrolle",
  korrespondanseparttype: "arkiv/kodeverk/korrespondanseparttype",
  journalposttype: "arkiv/kodeverk/journalposttype",
  journalstatus: "arkiv/kodeverk/journalstatus",
  tilknyttetregistreringsom: "arkiv/kodeverk/tilknyttetregistreringsom",
  dokumentstatus: "arkiv/kodeverk/dokumentstatus",
  dokumenttype: "arkiv/kodeverk/dokumenttype",
  variantformat: "arkiv/kodeverk/variantformat",
  format: "arkiv/kodeverk/format",
} as const;

export type CodeListName = keyof typeof codeListPaths;

/** Each relation Flyt writes, by its name in FINT's resources, and the list its links point into. */
export const relationLists = {
  arkivdel: "arkivdel",
  administrativEnhet: "administrativenhet",
  journalenhet: "administrativenhet",
  saksansvarlig: "arkivressurs",
  saksbehandler: "arkivressurs",
  klassifikasjonssystem: "klassifikasjonssystem",
  saksmappetype: "saksmappetype",
  saksstatus: "saksstatus",
  tilgangsgruppe: "tilgangsgruppe",
  tilgangsrestriksjon: "tilgangsrestriksjon",
  skjermingshjemmel: "skjermingshjemmel",
  partRolle: "partrolle",
  korrespondanseparttype: "korrespondanseparttype",
  journalposttype: "journalposttype",
  journalstatus: "journalstatus",
  tilknyttetRegistreringSom: "tilknyttetregistreringsom",
  dokumentstatus: "dokumentstatus",
  dokumenttype: "dokumenttype",
  variantFormat: "variantformat",
  filformat: "format",
} as const satisfies Record<string, CodeListName>;

export type Relation = keyof typeof relationLists;

/** One entry of a code list, as far as Flyt tells entries apart. */
export interface CodeEntry {
  readonly systemId: string;
  /**
   * Other names a configuration may know it by: a code's `kode`; an arkivdel's or classification system's
   * `tittel` (Public 360 puts its code there, `ArkivdelFactory`); an arkivressurs's `kildesystemId` and the user
   * name its personalressurs link ends in (Elements initials, `ArkivressursFactory`).
   */
  readonly codes: readonly string[];
  readonly navn: string | undefined;
  /** Its self links; the first is the one written (as FINT's own Flyt gateway writes it). */
  readonly links: readonly string[];
  /**
   * The archive's own entry rather than a copy of the Noark list: both adapters add the Noark codes (whose
   * system id is their code) to the archive's own table (`KodeverkHandler`), so one code can be there twice.
   */
  readonly own: boolean;
}

interface RawEntry {
  readonly systemId?: Identifikator;
  readonly kildesystemId?: Identifikator;
  readonly kode?: string;
  readonly tittel?: string;
  readonly navn?: string;
  readonly _links?: FintLinks;
}

/** A FINT collection answer as entries; those without a system id or a self link cannot be linked to. */
export function toCodeEntries(collection: FintCollection<RawEntry>): CodeEntry[] {
  const entries: CodeEntry[] = [];
  for (const raw of collection._embedded?._entries ?? []) {
    const systemId = raw.systemId?.identifikatorverdi;
    const links = (raw._links?.self ?? []).map((link) => link.href).filter((href) => href.length > 0);
    if (!systemId || links.length === 0) continue;
    const userName = lastSegment(raw._links?.personalressurs?.[0]?.href);
    const codes = [raw.kode, raw.tittel, raw.kildesystemId?.identifikatorverdi, userName].filter(
      (code): code is string => typeof code === "string" && code.length > 0,
    );
    entries.push({
      systemId,
      codes,
      navn: raw.navn,
      links,
      own: raw.kode === undefined || raw.kode !== systemId,
    });
  }
  return entries;
}

export type Resolution =
  | { readonly found: CodeEntry; readonly href: string }
  | {
      readonly found: undefined;
      readonly why: "unknown" | "ambiguous";
      readonly among: readonly CodeEntry[];
    };

/**
 * The entry a configured value names: a link to it (kept as it is), its system id, or one of its codes. One
 * entry or none: several that are the same entry (the same first link) are one; of several others the archive's
 * own is taken when there is exactly one (Public 360's `systemid/110` over the Noark `systemid/I`); otherwise it
 * is ambiguous, never a guess.
 */
export function resolveIn(entries: readonly CodeEntry[], value: string): Resolution {
  if (isUrl(value)) {
    const found = entries.find((entry) => entry.links.includes(value));
    return found ? { found, href: value } : { found: undefined, why: "unknown", among: [] };
  }
  const matching = entries.filter((entry) => entry.systemId === value || entry.codes.includes(value));
  const distinct = [...new Map(matching.map((entry) => [entry.links[0], entry])).values()];
  const chosen = distinct.length === 1 ? distinct[0] : onlyOne(distinct.filter((entry) => entry.own));
  if (chosen) return { found: chosen, href: chosen.links[0] ?? "" };
  return { found: undefined, why: distinct.length === 0 ? "unknown" : "ambiguous", among: distinct };
}

const onlyOne = <T>(items: readonly T[]): T | undefined => (items.length === 1 ? items[0] : undefined);

export const isUrl = (value: string): boolean => /^https?:\/\//i.test(value);

export function lastSegment(href: string | undefined): string | undefined {
  const segment = href?.replace(/\/+$/, "").split("/").at(-1);
  if (!segment) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Why a configured value cannot be written, in words an archivist can act on. */
export function unresolvedReason(
  field: string,
  value: string,
  list: CodeListName,
  resolution: Extract<Resolution, { found: undefined }>,
): string {
  const where = `/${codeListPaths[list]}`;
  if (resolution.why === "unknown") {
    return `the archive has no ${field} "${value}" (not a system id, code or link in ${where}); configure one it has`;
  }
  const which = resolution.among
    .map((entry) => `${entry.systemId}${entry.navn ? ` (${entry.navn})` : ""}`)
    .join(", ");
  return `${field} "${value}" names several entries of ${where} (system ids ${which}); configure the system id or link of the one meant`;
}

/** Thrown when a configured value names no entry, or several: the same write will fail until it is configured. */
export class UnknownCodeError extends ArchiveRefusedError {}
