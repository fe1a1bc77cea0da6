import { convertibleFields, type IntegrationConfiguration } from "@flyt/registry/configuration";
import type { Arkivsak, Journalpost, ValidationError } from "@flyt/schemas";

type ValueConversions = IntegrationConfiguration["valueConversions"];

/**
 * Codes the archive would not know. Where the integration has a conversion table for a field, a submitted value
 * must be one of the source system's codes in it (converted) or one of the archive's codes it converts to;
 * anything else would reach the archive as an unknown code. Fields without a table are left to the archive.
 */
export function unknownCodes(
  arkivsak: Arkivsak | null,
  posts: readonly Journalpost[],
  conversions: ValueConversions,
): ValidationError[] {
  const check = (record: Arkivsak | Journalpost, prefix: string): ValidationError[] =>
    convertibleFields.flatMap((field) => {
      const value = (record as unknown as Record<string, unknown>)[field];
      const table = conversions[field];
      if (typeof value !== "string" || !table) return [];
      if (Object.hasOwn(table, value) || Object.values(table).includes(value)) return [];
      return [
        {
          code: "unknown-code",
          pointer: `${prefix}/${field}`,
          detail: `${JSON.stringify(value)} is not a ${field} code this integration knows; known: ${[
            ...new Set([...Object.keys(table), ...Object.values(table)]),
          ].join(", ")}.`,
        },
      ];
    });
  return [
    ...(arkivsak ? check(arkivsak, "/case") : []),
    ...posts.flatMap((post, j) => check(post, `/journalPosts/${j}`)),
  ];
}
