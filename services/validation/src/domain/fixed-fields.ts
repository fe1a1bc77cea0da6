import type { IntegrationConfiguration } from "@flyt/registry/configuration";
import type { Arkivsak, Journalpost, ValidationError } from "@flyt/schemas";

/**
 * Values a submission sent for fields its integration fixes, where they differ from the fixed value (compared
 * after value conversion, so a source code that converts to the fixed value is accepted). The county decides
 * these (e.g. the archive section): a source system may leave them out or repeat them, not choose another.
 */
export function fixedFieldErrors(
  submitted: { readonly case: Arkivsak | null; readonly journalPosts: readonly Journalpost[] },
  normalised: { readonly case: Arkivsak | null; readonly journalPosts: readonly Journalpost[] },
  configuration: Pick<IntegrationConfiguration, "fixedFields" | "archiveDefaults" | "valueConversions">,
): ValidationError[] {
  const errors: ValidationError[] = [];
  const check = (sent: object | null, applied: object | null, pointer: string) => {
    if (!sent || !applied) return;
    for (const field of configuration.fixedFields) {
      const value = (sent as Record<string, unknown>)[field];
      if (typeof value !== "string") continue;
      const fixed = fixedValue(field, configuration);
      if ((applied as Record<string, unknown>)[field] === fixed) continue;
      errors.push({
        code: "field-fixed-by-integration",
        pointer: `${pointer}/${field}`,
        detail: `This integration sets ${field} to ${JSON.stringify(fixed)}; leave it out or send that value.`,
      });
    }
  };
  check(submitted.case, normalised.case, "/case");
  for (const [index, post] of submitted.journalPosts.entries()) {
    check(post, normalised.journalPosts[index] ?? null, `/journalPosts/${index}`);
  }
  return errors;
}

/** The value a fixed field always ends with: its default, converted as any value of the field would be. */
function fixedValue(
  field: IntegrationConfiguration["fixedFields"][number],
  configuration: Pick<IntegrationConfiguration, "archiveDefaults" | "valueConversions">,
): string | undefined {
  const value = configuration.archiveDefaults[field];
  const table = configuration.valueConversions[field];
  return value !== undefined && table && Object.hasOwn(table, value) ? table[value] : value;
}
