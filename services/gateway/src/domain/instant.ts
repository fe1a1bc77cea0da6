/**
 * An ISO 8601 instant with a time zone, as the contract writes it. Anchored and bounded in length: the text
 * comes from requests, and an unanchored pattern is tried at every position of a long string.
 */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const LONGEST_INSTANT = "2026-11-23T00:00:00.123456789+01:00".length;

/** An ISO 8601 instant with a time zone (`2026-11-23T00:00:00Z`, `...+01:00`); undefined for anything else. */
export function parseInstant(value: unknown): Date | undefined {
  if (typeof value !== "string" || value.length > LONGEST_INSTANT || !INSTANT.test(value)) return undefined;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}
