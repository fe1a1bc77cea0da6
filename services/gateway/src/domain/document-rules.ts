/** One problem with a submitted body: stable code, JSON pointer into the body, plain English. */
export interface FieldError {
  readonly code: string;
  readonly pointer: string;
  readonly detail: string;
}

interface SubmittedDocument {
  readonly tilknyttetRegistreringSom?: unknown;
  readonly innhold?: unknown;
  readonly fileId?: unknown;
  readonly filnavn?: unknown;
  readonly mimeType?: unknown;
}

interface SubmittedJournalPost {
  readonly dokumenter?: readonly SubmittedDocument[];
}

// Whole groups of four with padding only at the end. Not as one pattern of groups: repeating a group costs the
// regular expression engine stack per repetition, and a document of a few megabytes overflowed it (a 500).
const BASE64_ALPHABET = /^[A-Za-z0-9+/]*={0,2}$/;
const isBase64 = (text: string) => text.length % 4 === 0 && BASE64_ALPHABET.test(text);

/**
 * What the schema cannot say about documents: exactly one main document per journal post, content inline or
 * by file id (not both, not neither), a name and type with inline content, and content that is real base64.
 */
export function documentRuleErrors(
  journalPosts: readonly SubmittedJournalPost[],
  pointer: string,
): FieldError[] {
  const errors: FieldError[] = [];
  journalPosts.forEach((journalPost, j) => {
    const documents = journalPost.dokumenter ?? [];
    const documentsPointer = `${pointer}/${j}/dokumenter`;
    const mainDocuments = documents.filter((document) => document.tilknyttetRegistreringSom === "H").length;
    if (documents.length > 0 && mainDocuments !== 1) {
      errors.push({
        code: "main-document-count",
        pointer: documentsPointer,
        detail: `A journal post has exactly one main document (tilknyttetRegistreringSom "H"); this one has ${mainDocuments}.`,
      });
    }
    for (const [d, document] of documents.entries()) {
      errors.push(...contentErrors(document, `${documentsPointer}/${d}`));
    }
  });
  return errors;
}

function contentErrors(document: SubmittedDocument, pointer: string): FieldError[] {
  const inline = document.innhold !== undefined;
  const uploaded = document.fileId !== undefined;
  if (inline && uploaded) {
    return [
      {
        code: "content-ambiguous",
        pointer,
        detail: "Give the content either inline (innhold) or as fileId, not both.",
      },
    ];
  }
  if (!inline && !uploaded) {
    return [{ code: "content-missing", pointer, detail: "Give the content inline (innhold) or as fileId." }];
  }
  if (!inline) return [];
  const errors: FieldError[] = [];
  for (const field of ["filnavn", "mimeType"] as const) {
    if (document[field] === undefined) {
      errors.push({
        code: "missing-field",
        pointer: `${pointer}/${field}`,
        detail: `${field} is required with inline content.`,
      });
    }
  }
  if (typeof document.innhold === "string") {
    if (document.innhold.length === 0) {
      errors.push({ code: "empty-content", pointer: `${pointer}/innhold`, detail: "The document is empty." });
    } else if (!isBase64(document.innhold)) {
      errors.push({
        code: "invalid-base64",
        pointer: `${pointer}/innhold`,
        detail: "innhold is not valid base64.",
      });
    }
  }
  return errors;
}
