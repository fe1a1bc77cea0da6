import type { Arkivsak, Journalpost, ValidationError } from "@flyt/schemas";

/**
 * What a Noark 5 archive refuses to register without, checked after the integration's defaults are applied:
 * a source system may leave these out only when the integration supplies them.
 */
const requiredCaseFields = ["arkivdel", "administrativEnhet", "saksstatus"] as const;
const requiredJournalPostFields = ["journalstatus"] as const;

/** Every required archive field still missing from a normalised case. */
export function missingCaseFields(arkivsak: Arkivsak): ValidationError[] {
  const errors: ValidationError[] = requiredCaseFields
    .filter((field) => !arkivsak[field])
    .map((field) => missingField(`/case/${field}`, field));
  // A case file is filed under at least one classification (its primary one).
  if (arkivsak.klassering.length === 0) errors.push(missingField("/case/klassering", "klassering"));
  return errors;
}

/** Every required archive field still missing from the normalised journal posts. */
export function missingJournalPostFields(posts: readonly Journalpost[]): ValidationError[] {
  return posts.flatMap((post, j) => {
    const errors = requiredJournalPostFields
      .filter((field) => !post[field])
      .map((field) => missingField(`/journalPosts/${j}/${field}`, field));
    // Noark 5: incoming and outgoing letters name who sent or received them.
    if (
      (post.journalposttype === "I" || post.journalposttype === "U") &&
      post.korrespondansepart.length === 0
    ) {
      errors.push({
        code: "missing-correspondent",
        pointer: `/journalPosts/${j}/korrespondansepart`,
        detail: `An ${post.journalposttype === "I" ? "incoming" : "outgoing"} journal post needs at least one korrespondansepart (${post.journalposttype === "I" ? "the sender" : "the recipient"}).`,
      });
    }
    return errors;
  });
}

function missingField(pointer: string, field: string): ValidationError {
  return {
    code: "missing-required-field",
    pointer,
    detail: `The archive requires ${field}; send it, or have the integration's configuration give a default.`,
  };
}
