/** An ISO 8601 instant with a time zone (`2026-11-23T00:00:00Z`, `...+01:00`); undefined for anything else. */
export function parseInstant(value: unknown): Date | undefined {
  if (typeof value !== "string" || !/T.*(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}
