import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, prefixedUlid, writeCanonicalJson } from "./ids";

describe("prefixedUlid", () => {
  it("encodes time then randomness in 26 Crockford base32 characters", () => {
    const id = prefixedUlid("sub", 1_469_918_176_385, new Uint8Array(10));
    expect(id).toBe("sub_01ARYZ6S410000000000000000");
    expect(prefixedUlid("sub", 1_469_918_176_385, new Uint8Array(10).fill(255))).toBe(
      "sub_01ARYZ6S41ZZZZZZZZZZZZZZZZ",
    );
  });

  it("sorts by time", () => {
    const random = new Uint8Array(10).fill(7);
    expect(prefixedUlid("sub", 1_000, random) < prefixedUlid("sub", 2_000, random)).toBe(true);
  });
});

describe("canonicalJson", () => {
  it("is the same for the same JSON in another key order", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: "ø" } })).toBe(
      canonicalJson({ a: { c: "ø", d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: "1" }));
  });

  it("writes exactly the text it always wrote (stored hashes stay valid), and in pieces the same", () => {
    // The implementation before it was written in pieces: the reference for every hash already stored.
    const before = (value: unknown): string => {
      if (Array.isArray(value)) return `[${value.map(before).join(",")}]`;
      if (value !== null && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>)
          .filter(([, v]) => v !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${before(v)}`).join(",")}}`;
      }
      return JSON.stringify(value);
    };
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: "binary" }), (value) => {
        expect(canonicalJson(value)).toBe(before(value));
      }),
      { numRuns: 1_000 },
    );
    const large = { b: "x".repeat(200_000), a: [1, '\u0000"\\', "\ud800", { z: null, y: true }] };
    const pieces: string[] = [];
    writeCanonicalJson(large, (piece) => pieces.push(piece));
    expect(pieces.join("")).toBe(before(large));
    // The long string in slices of itself, never copied whole into another string.
    expect(pieces).toContain(large.b.slice(0, 64 * 1024));
  });
});
