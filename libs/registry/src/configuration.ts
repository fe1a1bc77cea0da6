import { z } from "zod";

/** An archive code: what the archive's own code lists hold (arkivdel `SAK`, journalstatus `J`, ...). */
const archiveCode = z.string().trim().min(1).max(200);
const mimeType = z
  .string()
  .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/, "not a MIME type");

/** Classification (klassering): ordering principle (e.g. `GBNR`, a subject scheme) and its value. */
const klassering = z.strictObject({
  ordningsprinsipp: archiveCode,
  ordningsverdi: archiveCode,
  beskrivelse: z.string().trim().min(1).max(500).optional(),
});

/** Metadata the archive requires and the source system need not know: applied before the payload's own values. */
export const archiveDefaultsSchema = z.strictObject({
  arkivdel: archiveCode,
  administrativEnhet: archiveCode.optional(),
  journalenhet: archiveCode.optional(),
  saksansvarlig: archiveCode.optional(),
  tilgangsgruppe: archiveCode.optional(),
  skjerming: z.strictObject({ tilgangsrestriksjon: archiveCode, skjermingshjemmel: archiveCode }).optional(),
  klassering: z.array(klassering).max(5).optional(),
  saksmappetype: archiveCode.optional(),
  saksstatus: archiveCode.optional(),
  journalstatus: archiveCode.optional(),
  dokumentstatus: archiveCode.optional(),
  dokumenttype: archiveCode.optional(),
});

/** What a search-or-new lookup compares an incoming case with. */
export const caseSearchCriteria = [
  "arkivdel",
  "klassering",
  "tittel",
  "saksmappetype",
  "administrativEnhet",
] as const;

/** How a case submission finds its case: always a new one, the one it names, or one found by search. */
export const caseModeSchema = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("NEW") }),
  z.strictObject({ mode: z.literal("BY_ID") }),
  z.strictObject({
    mode: z.literal("BY_SEARCH_OR_NEW"),
    searchCriteria: z
      .array(z.enum(caseSearchCriteria))
      .min(1)
      .refine((criteria) => new Set(criteria).size === criteria.length, "lists a criterion twice"),
  }),
]);

/**
 * Which existing cases an integration's submissions may be filed into (search-or-new hits, journal posts to a
 * case number). By default only the cases its source application created or was filed into through Flyt: a
 * county's archive holds every source application's cases, and one source system must never reach another's. A
 * county may open whole archive sections (arkivdel) to an integration instead.
 */
export const caseAccessSchema = z.discriminatedUnion("scope", [
  z.strictObject({ scope: z.literal("OWN_CASES") }),
  z.strictObject({
    scope: z.literal("ARCHIVE_SECTIONS"),
    arkivdeler: z
      .array(archiveCode)
      .min(1)
      .max(50)
      .refine((sections) => new Set(sections).size === sections.length, "lists an arkivdel twice"),
  }),
]);

export const documentRulesSchema = z.strictObject({
  allowedMimeTypes: z.array(mimeType).min(1),
  /** Per file; the gateway's own upload limit still applies on top. */
  maxFileBytes: z
    .number()
    .int()
    .positive()
    .max(2 * 1024 ** 3),
  exactlyOneMainDocument: z.boolean(),
});

/** The archive code fields a value conversion table may rewrite (enums such as journalposttype are not codes). */
export const convertibleFields = [
  "arkivdel",
  "administrativEnhet",
  "journalenhet",
  "saksansvarlig",
  "saksbehandler",
  "tilgangsgruppe",
  "saksmappetype",
  "saksstatus",
  "journalstatus",
] as const;

/**
 * Archive code fields a county may fix for an integration: a submission may leave them out or send the fixed
 * value (its default), never another (e.g. `arkivdel`, so a source system cannot file into a section of its own
 * choosing).
 */
export const fixableFields = convertibleFields.filter(
  (field): field is Exclude<(typeof convertibleFields)[number], "saksbehandler"> => field !== "saksbehandler",
);

/**
 * Value conversion tables: for an archive field, a source system's code → the archive's code
 * (e.g. `journalstatus`: `{ "ferdig": "J" }`). A value with no entry is passed through unchanged.
 */
export const valueConversionsSchema = z.partialRecord(
  z.enum(convertibleFields),
  z.record(z.string().min(1).max(200), archiveCode),
);

/** One version of an integration's configuration: what the validation service applies to a submission. */
export const integrationConfigurationSchema = z
  .strictObject({
    /** The archive destination (of the integration's tenant) its submissions go to. */
    destinationId: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, "not a destination id"),
    archiveDefaults: archiveDefaultsSchema,
    /** Versions completed before fields could be fixed fix none. */
    fixedFields: z
      .array(z.enum(fixableFields))
      .refine((fields) => new Set(fields).size === fields.length, "lists a field twice")
      .default([]),
    caseMode: caseModeSchema,
    /** Versions completed before this existed reach their own cases only, which is what they were meant to. */
    caseAccess: caseAccessSchema.default({ scope: "OWN_CASES" }),
    documentRules: documentRulesSchema,
    valueConversions: valueConversionsSchema,
  })
  .superRefine((configuration, context) => {
    for (const [index, field] of configuration.fixedFields.entries()) {
      if (configuration.archiveDefaults[field] === undefined) {
        context.addIssue({
          code: "custom",
          path: ["fixedFields", index],
          message: `fixes ${field}, but archiveDefaults gives it no value to fix it to`,
        });
      }
    }
    // Search-or-new in whole archive sections must search within one: the section is the search's fence.
    if (
      configuration.caseAccess.scope === "ARCHIVE_SECTIONS" &&
      configuration.caseMode.mode === "BY_SEARCH_OR_NEW" &&
      !configuration.caseMode.searchCriteria.includes("arkivdel")
    ) {
      context.addIssue({
        code: "custom",
        path: ["caseMode", "searchCriteria"],
        message: "searching archive sections needs arkivdel among the search criteria",
      });
    }
  });

export type IntegrationConfiguration = z.infer<typeof integrationConfigurationSchema>;
/** A configuration as it may be written: fields with defaults may be left out. */
export type IntegrationConfigurationInput = z.input<typeof integrationConfigurationSchema>;
export type CaseMode = z.infer<typeof caseModeSchema>;
export type CaseAccess = z.infer<typeof caseAccessSchema>;
export type FixableField = (typeof fixableFields)[number];

/** One problem with a submitted configuration (or any admin input): a stable code and a JSON pointer. */
export interface ConfigurationIssue {
  /** zod's issue code in kebab case (`invalid-type`, `too-small`, ...), or `unknown-field`. */
  readonly code: string;
  readonly pointer: string;
  readonly message: string;
}

/** Every problem at once, or the parsed configuration. */
export function parseConfiguration(
  input: unknown,
): { ok: true; configuration: IntegrationConfiguration } | { ok: false; issues: ConfigurationIssue[] } {
  const parsed = integrationConfigurationSchema.safeParse(input);
  if (parsed.success) return { ok: true, configuration: parsed.data };
  return { ok: false, issues: issuesOf(parsed.error) };
}

/**
 * A stored version as it reads today: fields added since it was completed take their defaults. One that later
 * rules refuse is shown as stored (the validation service refuses to apply it).
 */
export function storedConfiguration(content: unknown): IntegrationConfiguration {
  const parsed = integrationConfigurationSchema.safeParse(content);
  return parsed.success ? parsed.data : (content as IntegrationConfiguration);
}

/** Every issue of a failed parse, each pointed at by a JSON pointer into the input. */
export function issuesOf(error: z.ZodError): ConfigurationIssue[] {
  // An unknown key (often a typo) is pointed at itself, not at the object holding it.
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({
          code: "unknown-field",
          pointer: toJsonPointer([...issue.path, key]),
          message: "unknown field",
        }))
      : [
          {
            code: issue.code.replaceAll("_", "-"),
            pointer: toJsonPointer(issue.path),
            message: issue.message,
          },
        ],
  );
}

function toJsonPointer(path: readonly PropertyKey[]): string {
  return path.map((segment) => `/${String(segment).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}
