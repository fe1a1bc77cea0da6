/**
 * What a file's first bytes say it is. Source systems declare a MIME type; the archive converts and stores by
 * it, so a declared PDF that is really a ZIP (or an HTML error page saved as `.pdf`) must be refused here.
 */
interface Signature {
  readonly mimeTypes: readonly string[];
  readonly offset: number;
  readonly bytes: readonly number[];
}

const ascii = (text: string) => [...text].map((character) => character.charCodeAt(0));

const signatures: readonly Signature[] = [
  { mimeTypes: ["application/pdf"], offset: 0, bytes: ascii("%PDF-") },
  { mimeTypes: ["image/png"], offset: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mimeTypes: ["image/jpeg"], offset: 0, bytes: [0xff, 0xd8, 0xff] },
  { mimeTypes: ["image/gif"], offset: 0, bytes: ascii("GIF8") },
  { mimeTypes: ["image/tiff"], offset: 0, bytes: [0x49, 0x49, 0x2a, 0x00] },
  { mimeTypes: ["image/tiff"], offset: 0, bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  // Office Open XML and OpenDocument files are ZIP containers.
  {
    mimeTypes: [
      "application/zip",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.openxmlformats-officedocument.presentationml.presentation",
      "application/vnd.oasis.opendocument.text",
      "application/vnd.oasis.opendocument.spreadsheet",
    ],
    offset: 0,
    bytes: [0x50, 0x4b, 0x03, 0x04],
  },
  // The legacy Office compound file format (.doc, .xls).
  {
    mimeTypes: ["application/msword", "application/vnd.ms-excel"],
    offset: 0,
    bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
  },
];

/** How many leading bytes a check needs: read this much of a file, no more. */
export const SIGNATURE_BYTES = Math.max(
  ...signatures.map((signature) => signature.offset + signature.bytes.length),
);

function matches(head: Uint8Array, signature: Signature): boolean {
  return signature.bytes.every((byte, index) => head[signature.offset + index] === byte);
}

/** The MIME types whose signature the bytes carry (empty when none is recognised). */
export function recognisedMimeTypes(head: Uint8Array): readonly string[] {
  return signatures
    .filter((signature) => matches(head, signature))
    .flatMap((signature) => signature.mimeTypes);
}

/**
 * Whether the content can be what is declared. A type with a known signature must carry it; a type without one
 * (text, XML, ...) must not carry another type's signature.
 */
export function contentMatchesDeclaredType(declared: string, head: Uint8Array): boolean {
  const mimeType = declared.toLowerCase().split(";")[0]?.trim() ?? "";
  const recognised = recognisedMimeTypes(head);
  const hasSignature = signatures.some((signature) => signature.mimeTypes.includes(mimeType));
  return hasSignature ? recognised.includes(mimeType) : recognised.length === 0;
}
