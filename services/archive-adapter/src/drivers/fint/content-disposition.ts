/**
 * `Content-Disposition` for a file sent to the archive (RFC 6266): `filename*` carries the real name in UTF-8
 * (RFC 8187), and `filename` an ASCII fallback for a reader that does not know `filename*`. FINT's consumer
 * prefers `filename*` when both are present, so `søknad_æøå.pdf` arrives as it was sent.
 */
export function attachmentDisposition(filename: string): string {
  return `attachment; filename="${asciiFallback(filename)}"; filename*=UTF-8''${rfc8187Encode(filename)}`;
}

/** Letters that decomposition does not reduce to ASCII, written as Norwegians write them without them. */
const transliterations: Readonly<Record<string, string>> = {
  æ: "ae",
  Æ: "AE",
  ø: "o",
  Ø: "O",
  å: "a",
  Å: "A",
  ß: "ss",
};

/**
 * The name in printable ASCII: Norwegian letters transliterated, accents dropped, anything else (and the
 * quote and backslash that would break the quoted string) replaced by `_`.
 */
export function asciiFallback(filename: string): string {
  const transliterated = [...filename].map((char) => transliterations[char] ?? char).join("");
  const fallback = transliterated
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7e]|["\\]/g, "_");
  return fallback.length > 0 ? fallback : "file";
}

/** RFC 8187 `value-chars`: every byte of the UTF-8 name that is not an `attr-char` is percent-encoded. */
export function rfc8187Encode(value: string): string {
  // encodeURIComponent leaves ' ( ) * unencoded, which are not attr-chars.
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
