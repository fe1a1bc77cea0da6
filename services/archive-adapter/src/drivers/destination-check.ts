/**
 * What a connection check asks of an archive destination before its first submission: can it be reached, does it
 * take our credentials, can its code lists be read, and does it know every code the destination's integrations
 * are configured with. What a county's archivist runs before going live, and again after a change in the archive.
 */

/** The archive fields whose configured values must be codes (or resources) the archive knows. */
export const checkedFields = [
  "arkivdel",
  "administrativEnhet",
  "journalenhet",
  "saksansvarlig",
  "saksbehandler",
  "tilgangsgruppe",
  "saksmappetype",
  "saksstatus",
  "journalstatus",
  "dokumentstatus",
  "dokumenttype",
  "tilgangsrestriksjon",
  "skjermingshjemmel",
  /** A classification's ordering principle (`GBNR`): a classification system of the archive. */
  "klassifikasjonssystem",
  /** A document's MIME type: the archive must have a file format for it. */
  "mimeType",
] as const;
export type CheckedField = (typeof checkedFields)[number];

/** One configured value to look for in the archive, and the integrations configured with it. */
export interface CodeToCheck {
  readonly field: CheckedField;
  readonly value: string;
  readonly usedBy: readonly string[];
}

/** The steps a driver takes, and `deadline` for a check that did not finish in time. */
export type CheckStepName = "reach" | "authenticate" | "code-lists" | "codes" | "deadline";

/** One step of a check: whether it went well, and in words an archivist can act on. */
export interface CheckStep {
  readonly step: CheckStepName;
  readonly ok: boolean;
  readonly detail: string;
}

/** What a driver found: the steps it could take (it stops at the first that fails), and the codes it lacks. */
export interface DriverCheck {
  readonly steps: readonly CheckStep[];
  /** Configured values the archive does not know (or knows more than once, so Flyt cannot tell which is meant). */
  readonly unknownCodes: readonly (CodeToCheck & { readonly why: string })[];
}
