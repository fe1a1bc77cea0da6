/**
 * The `Content-Disposition` of an uploaded file, so the archive keeps its name as the source system gave it
 * (`søknad_æøå.pdf`). HTTP header values are Latin-1 at best, so the name goes twice (RFC 6266): `filename*`
 * with the UTF-8 bytes percent-encoded (RFC 8187), which every current server reads, and a plain ASCII
 * `filename` for one that does not.
 */

/** RFC 8187 `attr-char`: what may stand unencoded in an extended parameter value. */
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

function encodeExtendedValue(value: string): string {
  let encoded = "";
  for (const char of value) {
    if (ATTR_CHAR.test(char)) {
      encoded += char;
    } else {
      for (const byte of Buffer.from(char, "utf8")) {
        encoded += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
      }
    }
  }
  return encoded;
}

/** Accents dropped where the letter has a base (é → e), anything else outside printable ASCII as `_`. */
function asciiFallback(filename: string): string {
  const fallback = filename
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7e]|["\\]/g, "_");
  return fallback.length > 0 ? fallback : "file";
}

export function attachmentDisposition(filename: string): string {
  return `attachment; filename="${asciiFallback(filename)}"; filename*=UTF-8''${encodeExtendedValue(filename)}`;
}
