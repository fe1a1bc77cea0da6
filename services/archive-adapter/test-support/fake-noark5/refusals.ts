import { HttpProblem } from "./http-problem";
import { type FilterNode, pathsOf } from "./odata-filter";

/**
 * What a Noark 5 server refuses, as the sources show it: each rule names its source (the standard at tag
 * versjon-1.1, `kapitler/*.rst`, or the reference server Nikita at commit 74e2535, 2021). The fake applies them
 * so a client written from the same misunderstanding as the fake still fails.
 */

/**
 * xs:dateTime with a time zone. v1.1 made every date a datetime ("Korrigert all bruk av date til datetime",
 * 01-orientering_og_introduksjon.rst:134–135), always with a time zone (06-konsepter_og_prinsipper.rst:1283–1287);
 * Nikita parses with `OffsetDateTime.parse(value, ISO_OFFSET_DATE_TIME)` (common/util/CommonUtils.java:558–560,
 * used for dokumentetsDato in RegistryEntryDeserializer.java:113–116), so `2026-01-05`, `2026-01-05Z` and
 * `2026-01-05T00:00:00` are all refused, with 400 (NikitaMalformedInputDataException,
 * RestResponseEntityExceptionHandler.java:130–135).
 */
const ZONED_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Every `...Dato`/`...dato` field of a body, nested ones (skjerming.skjermingOpphoererDato) included. */
export function refuseDatesWithoutZone(body: unknown, path = ""): void {
  if (typeof body !== "object" || body === null) return;
  for (const [field, value] of Object.entries(body)) {
    const where = path === "" ? field : `${path}.${field}`;
    if (/[dD]ato$/.test(field) && value !== null && value !== undefined) {
      if (typeof value !== "string" || !ZONED_DATE_TIME.test(value)) {
        throw new HttpProblem(
          400,
          `Malformed ${where}. Make sure format is a datetime with time zone (xs:dateTime, e.g. 2026-01-05T00:00:00+01:00); got ${JSON.stringify(value)}`,
        );
      }
    } else if (field !== "_links") {
      refuseDatesWithoutZone(value, where);
    }
  }
}

/**
 * v1.1 removed `mappetype` from Mappe: "Fjernet mappetype-attributt fra Mappe, som ikke har tilsvarende felt i
 * Noark 5" (01-orientering_og_introduksjon.rst:171–172); Nikita refuses every field it does not know on a
 * saksmappe ("The saksmappe object you tried to create is malformed. The following fields are not recognised as
 * saksmappe fields [...]", casehandling/CaseFileDeserializer.java:132–143), 400.
 */
export function refuseMappetype(fields: Readonly<Record<string, unknown>>): void {
  if ("mappetype" in fields) {
    throw new HttpProblem(
      400,
      "The saksmappe object you tried to create is malformed. The following fields are not recognised as saksmappe fields [mappetype].",
    );
  }
}

/** No saksmappe has a mappetype to search by: a filter on it names an unknown field (400, 06…rst:528–548). */
export function refuseUnknownFilterFields(node: FilterNode): void {
  for (const path of pathsOf(node)) {
    if (path === "mappetype" || path.startsWith("mappetype/")) {
      throw new HttpProblem(400, `ugyldig $filter: saksmappe har ikke feltet ${path}`);
    }
  }
}

/**
 * Which reading of Skjerming the fake holds a client to:
 * - `v1.1`: the standard (07-tjenester_og_informasjonsmodell.rst:3939–4030): `tilgangsrestriksjon` [1..1] (code),
 *   `skjermingshjemmel` [1..1] (string), `skjermingMetadata` [1..*] (code list M502, 5928ff; [1..*] since v1.1,
 *   01…rst:164–165). The standard shows no JSON example; a list of code objects is how it carries a [1..*]
 *   code list, and Nikita's (unused) reader of it takes the same (CommonUtils.java:771–787).
 * - `nikita-2021`: Nikita requires `tilgangsrestriksjon` and `skjermingshjemmel` ("skjermingshjemmel is
 *   missing.") and refuses any other field inside `skjerming`, `skjermingMetadata` included, as a leftover
 *   (CommonUtils.java:1467–1519); codes are added afterwards through the object's
 *   `https://nikita.arkivlab.no/noark5/v5/ny-skjermingmetadata/` relation (RecordHateoasHandler.java:446,
 *   FileHateoasHandler.java:387; noark5-tester runtest:1396–1422).
 */
export type ScreeningReading = "v1.1" | "nikita-2021";

/** M502 (07-tjenester_og_informasjonsmodell.rst:5928ff). */
export const SKJERMING_METADATA_CODES = [
  "KID",
  "TKL",
  "TM1",
  "TMO",
  "NPS",
  "TR1",
  "TRO",
  "NA",
  "NM",
  "TD",
  "MT",
  "M",
] as const;

function kodeOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  const kode = (value as { kode?: unknown } | null | undefined)?.kode;
  return typeof kode === "string" ? kode : undefined;
}

export function refuseScreening(skjerming: unknown, reading: ScreeningReading): void {
  if (skjerming === undefined || skjerming === null) return;
  if (typeof skjerming !== "object" || Array.isArray(skjerming)) {
    throw new HttpProblem(400, "skjerming må være et objekt");
  }
  const fields = skjerming as Record<string, unknown>;
  const missing: string[] = [];
  if (!kodeOf(fields.tilgangsrestriksjon)) missing.push("tilgangsrestriksjon is missing.");
  if (typeof fields.skjermingshjemmel !== "string" || fields.skjermingshjemmel.trim() === "") {
    missing.push("skjermingshjemmel is missing.");
  }
  if (reading === "nikita-2021") {
    const known = new Set([
      "tilgangsrestriksjon",
      "skjermingshjemmel",
      "skjermingDokument",
      "skjermingOpphoererDato",
      "skjermingsvarighet",
    ]);
    const leftover = Object.keys(fields).filter((field) => !known.has(field));
    if (leftover.length > 0) missing.push(`Left-over fields in skjerming: [${leftover.join(", ")}]`);
  } else {
    const metadata = fields.skjermingMetadata;
    if (!Array.isArray(metadata) || metadata.length === 0) {
      missing.push("skjermingMetadata [1..*] mangler");
    } else {
      for (const entry of metadata) {
        const kode = kodeOf(entry);
        if (!kode || !(SKJERMING_METADATA_CODES as readonly string[]).includes(kode)) {
          missing.push(`ukjent skjermingMetadata ${JSON.stringify(entry)}`);
        }
      }
    }
  }
  if (missing.length > 0) throw new HttpProblem(400, missing.join(" "));
}
