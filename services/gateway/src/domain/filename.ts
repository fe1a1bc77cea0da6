const MAX_LENGTH = 255;

/**
 * Bidirectional text controls (embeddings, overrides, isolates and marks): `invoice\u202Efdp.exe` shows as
 * `invoiceexe.pdf`. A file name never needs them.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/**
 * A file name safe to store and to hand to an archive: no directories, no control characters, no bidirectional
 * text controls, at most 255 characters, and otherwise as given (UTF-8 names such as `søknad_æøå.pdf` are kept).
 * Undefined when nothing usable is left.
 */
export function sanitizeFilename(name: string): string | undefined {
  const base = name.split(/[/\\]/).at(-1) ?? "";
  const cleaned = base
    .normalize("NFC")
    .replace(/\p{Cc}/gu, "")
    .replace(BIDI_CONTROLS, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\.+/, "");
  const limited = [...cleaned].slice(0, MAX_LENGTH).join("");
  return limited.length > 0 ? limited : undefined;
}

/**
 * The file name of a `Content-Disposition` header (RFC 6266): `filename*=UTF-8''...` (RFC 5987, percent-encoded)
 * wins over a plain `filename="..."`.
 */
export function filenameFromContentDisposition(header: string): string | undefined {
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      return undefined;
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(header);
  return plain ? (plain[1] ?? plain[2])?.replace(/\\(.)/g, "$1") : undefined;
}
