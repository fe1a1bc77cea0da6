const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A ULID (time-ordered, 48-bit milliseconds + 80 random bits, Crockford base32) with a prefix, e.g.
 * `sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9C`. Time order keeps index inserts local; randomness comes in as an argument.
 */
export function prefixedUlid(prefix: string, nowMs: number, random: Uint8Array): string {
  if (random.length < 10) throw new Error("a ULID needs 10 random bytes");
  let time = "";
  let ms = nowMs;
  for (let i = 0; i < 10; i += 1) {
    time = (CROCKFORD[ms % 32] as string) + time;
    ms = Math.floor(ms / 32);
  }
  let bits = 0n;
  for (const byte of random.subarray(0, 10)) bits = (bits << 8n) | BigInt(byte);
  let randomPart = "";
  for (let i = 0; i < 16; i += 1) {
    randomPart = (CROCKFORD[Number(bits & 31n)] as string) + randomPart;
    bits >>= 5n;
  }
  return `${prefix}_${time}${randomPart}`;
}

/**
 * JSON with object keys sorted, so two bodies that are the same JSON (whatever their key order or spacing)
 * have the same text, and the same hash.
 */
export function canonicalJson(value: unknown): string {
  const pieces: string[] = [];
  writeCanonicalJson(value, (piece) => pieces.push(piece));
  return pieces.join("");
}

/** Characters JSON.stringify escapes in a string: quote, backslash, control characters, lone surrogates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
/** Pieces shorter than this are gathered before they are written; longer ones are written as they are. */
const GATHER = 64 * 1024;

/**
 * `canonicalJson`'s text in pieces of about 64 KB, for hashing a body without building its text: a document of
 * 37 MB is handed over in slices of itself (a string that needs no escaping is not copied), small pieces
 * gathered. Recursive: only for bodies whose depth is bounded (every body read by readJson is, to 32 levels).
 */
export function writeCanonicalJson(value: unknown, write: (piece: string) => void): void {
  let gathered = "";
  const out = (piece: string) => {
    if (piece.length < GATHER) {
      gathered += piece;
      if (gathered.length < GATHER) return;
      write(gathered);
    } else {
      if (gathered) write(gathered);
      write(piece);
    }
    gathered = "";
  };
  const visit = (at: unknown): void => {
    if (Array.isArray(at)) {
      out("[");
      at.forEach((item, index) => {
        if (index > 0) out(",");
        visit(item);
      });
      out("]");
      return;
    }
    if (at !== null && typeof at === "object") {
      const entries = Object.entries(at as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      out("{");
      entries.forEach(([key, member], index) => {
        if (index > 0) out(",");
        out(JSON.stringify(key));
        out(":");
        visit(member);
      });
      out("}");
      return;
    }
    if (typeof at === "string" && !NEEDS_ESCAPE.test(at)) {
      out('"');
      // In slices: hashing 37 MB as one string costs a copy of it all at once (no surrogate pair to split here).
      for (let from = 0; from < at.length; from += GATHER) out(at.slice(from, from + GATHER));
      out('"');
      return;
    }
    // undefined (in an array) and functions have no JSON: nothing, as Array.prototype.join has it.
    out(JSON.stringify(at) ?? "");
  };
  visit(value);
  if (gathered) write(gathered);
}
