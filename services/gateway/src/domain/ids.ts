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
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
