import type { IntegrationConfiguration } from "@flyt/registry/configuration";
import type { CheckedField, CodeToCheck } from "../drivers/destination-check";

/** An integration's configuration to check: its active version, or its draft (being prepared). */
export interface ConfigurationToCheck {
  readonly integrationId: string;
  /** Null for the draft. */
  readonly version: number | null;
  readonly configuration: IntegrationConfiguration;
}

/**
 * Every value an archive must know for these configurations: their archive defaults, the archive codes their
 * value conversions turn source codes into, their classification systems and the MIME types their documents may
 * have. Each value once, with the integrations (and drafts) configured with it.
 */
export function codesToCheck(configurations: readonly ConfigurationToCheck[]): CodeToCheck[] {
  const found = new Map<string, { field: CheckedField; value: string; usedBy: Set<string> }>();
  const add = (field: CheckedField, value: string | undefined, usedBy: string) => {
    if (value === undefined) return;
    const key = `${field}\u0000${value}`;
    const entry = found.get(key) ?? { field, value, usedBy: new Set<string>() };
    entry.usedBy.add(usedBy);
    found.set(key, entry);
  };
  for (const { integrationId, version, configuration } of configurations) {
    const usedBy = version === null ? `${integrationId} (draft)` : integrationId;
    const { archiveDefaults: defaults, valueConversions, documentRules } = configuration;
    for (const field of [
      "arkivdel",
      "administrativEnhet",
      "journalenhet",
      "saksansvarlig",
      "tilgangsgruppe",
      "saksmappetype",
      "saksstatus",
      "journalstatus",
      "dokumentstatus",
      "dokumenttype",
    ] as const) {
      add(field, defaults[field], usedBy);
    }
    add("tilgangsrestriksjon", defaults.skjerming?.tilgangsrestriksjon, usedBy);
    add("skjermingshjemmel", defaults.skjerming?.skjermingshjemmel, usedBy);
    for (const klassering of defaults.klassering ?? [])
      add("klassifikasjonssystem", klassering.ordningsprinsipp, usedBy);
    for (const [field, table] of Object.entries(valueConversions)) {
      for (const archiveCode of Object.values(table ?? {})) add(field as CheckedField, archiveCode, usedBy);
    }
    for (const mimeType of documentRules.allowedMimeTypes) add("mimeType", mimeType, usedBy);
  }
  return [...found.values()]
    .map(({ field, value, usedBy }) => ({ field, value, usedBy: [...usedBy].sort() }))
    .sort((a, b) => (a.field === b.field ? a.value.localeCompare(b.value) : a.field.localeCompare(b.field)));
}
