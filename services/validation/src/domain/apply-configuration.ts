import { convertibleFields, type IntegrationConfiguration } from "@flyt/registry/configuration";
import type { Arkivsak, Journalpost } from "@flyt/schemas";

type ArchiveDefaults = IntegrationConfiguration["archiveDefaults"];
type ValueConversions = IntegrationConfiguration["valueConversions"];

/** A case with the integration's defaults filled in where the source system sent nothing, then codes converted. */
export function normaliseCase(
  arkivsak: Arkivsak,
  defaults: ArchiveDefaults,
  conversions: ValueConversions,
): Arkivsak {
  const withDefaults: Arkivsak = {
    ...arkivsak,
    arkivdel: arkivsak.arkivdel ?? defaults.arkivdel,
    administrativEnhet: arkivsak.administrativEnhet ?? defaults.administrativEnhet ?? null,
    journalenhet: arkivsak.journalenhet ?? defaults.journalenhet ?? null,
    saksansvarlig: arkivsak.saksansvarlig ?? defaults.saksansvarlig ?? null,
    tilgangsgruppe: arkivsak.tilgangsgruppe ?? defaults.tilgangsgruppe ?? null,
    saksmappetype: arkivsak.saksmappetype ?? defaults.saksmappetype ?? null,
    saksstatus: arkivsak.saksstatus ?? defaults.saksstatus ?? null,
    skjerming: arkivsak.skjerming ?? defaults.skjerming ?? null,
    klassering:
      arkivsak.klassering.length > 0
        ? arkivsak.klassering
        : (defaults.klassering ?? []).map(({ ordningsprinsipp, ordningsverdi, beskrivelse }) => ({
            ordningsprinsipp,
            ordningsverdi,
            beskrivelse: beskrivelse ?? null,
          })),
  };
  return convertCodes(withDefaults, conversions);
}

/** A journal post with the integration's defaults filled in where the source system sent nothing, then codes converted. */
export function normaliseJournalPost(
  post: Journalpost,
  defaults: ArchiveDefaults,
  conversions: ValueConversions,
): Journalpost {
  const withDefaults: Journalpost = {
    ...post,
    journalstatus: post.journalstatus ?? defaults.journalstatus ?? null,
    administrativEnhet: post.administrativEnhet ?? defaults.administrativEnhet ?? null,
    journalenhet: post.journalenhet ?? defaults.journalenhet ?? null,
    skjerming: post.skjerming ?? defaults.skjerming ?? null,
  };
  return convertCodes(withDefaults, conversions);
}

/** Rewrites each convertible code that has an entry in its field's table; other values pass through unchanged. */
function convertCodes<T extends Arkivsak | Journalpost>(record: T, conversions: ValueConversions): T {
  const converted: Record<string, unknown> = { ...record };
  for (const field of convertibleFields) {
    const value = converted[field];
    const table = conversions[field];
    if (typeof value === "string" && table && Object.hasOwn(table, value)) converted[field] = table[value];
  }
  return converted as T;
}
