import { describe, expect, it } from "vitest";
import { canonicalJson, prefixedUlid } from "./ids";

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
});
