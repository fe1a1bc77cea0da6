import type { IntegrationConfiguration } from "@flyt/registry/configuration";
import type { Journalpost, ValidationError } from "@flyt/schemas";
import { contentMatchesDeclaredType } from "./file-signature";

type DocumentRules = IntegrationConfiguration["documentRules"];

/**
 * The first bytes of each stored file by file id; a file missing from the store is absent. (A file store that
 * cannot be reached is a transient error for the caller to retry, never a rejection.)
 */
export type FileHeads = ReadonlyMap<string, Uint8Array>;

/**
 * Every problem with the documents of the journal posts, against the integration's document rules and the
 * files' real contents. Pointers are into the submitted payload (`/journalPosts/{j}/dokumenter/{d}`).
 */
export function checkDocuments(
  journalPosts: readonly Journalpost[],
  rules: DocumentRules,
  heads: FileHeads,
): ValidationError[] {
  const allowed = new Set(rules.allowedMimeTypes.map((type) => type.toLowerCase()));
  return journalPosts.flatMap((post, j) => {
    const errors: ValidationError[] = [];
    const mainDocuments = post.dokumenter.filter((document) => document.tilknyttetRegistreringSom === "H");
    if (rules.exactlyOneMainDocument && mainDocuments.length !== 1) {
      errors.push({
        code: mainDocuments.length === 0 ? "no-main-document" : "several-main-documents",
        pointer: `/journalPosts/${j}/dokumenter`,
        detail: `A journal post needs exactly one main document (tilknyttetRegistreringSom "H"); this one has ${mainDocuments.length}.`,
      });
    }
    for (const [d, { file }] of post.dokumenter.entries()) {
      const pointer = `/journalPosts/${j}/dokumenter/${d}`;
      const mimeType = file.mimeType.toLowerCase().split(";")[0]?.trim() ?? "";
      if (!allowed.has(mimeType)) {
        errors.push({
          code: "mime-type-not-allowed",
          pointer,
          detail: `${file.mimeType} is not accepted by this integration; allowed: ${rules.allowedMimeTypes.join(", ")}.`,
        });
      }
      if (file.sizeBytes === 0) {
        errors.push({ code: "empty-file", pointer, detail: `${file.filename} is empty.` });
        continue;
      }
      if (file.sizeBytes > rules.maxFileBytes) {
        errors.push({
          code: "file-too-large",
          pointer,
          detail: `${file.filename} is ${file.sizeBytes} bytes; this integration accepts at most ${rules.maxFileBytes}.`,
        });
      }
      const head = heads.get(file.fileId);
      if (!head) {
        errors.push({ code: "file-unreadable", pointer, detail: `${file.filename} could not be read.` });
      } else if (!contentMatchesDeclaredType(file.mimeType, head)) {
        errors.push({
          code: "content-does-not-match-type",
          pointer,
          detail: `${file.filename} is declared as ${file.mimeType}, but its content is not.`,
        });
      }
    }
    return errors;
  });
}
