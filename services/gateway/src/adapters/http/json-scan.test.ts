import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonScanner, type JsonShapeLimits } from "./json-scan";

const roomy: JsonShapeLimits = { maxDepth: 1_000, maxValues: 1_000_000, maxNames: 1_000_000 };

/** Scans `text` in pieces cut at `cuts` (byte offsets), as a body arrives in chunks. */
function scan(text: string, limits: Partial<JsonShapeLimits> = {}, cuts: readonly number[] = []) {
  const bytes = new TextEncoder().encode(text);
  const scanner = new JsonScanner({ ...roomy, ...limits });
  let from = 0;
  for (const cut of [...cuts.filter((at) => at < bytes.length)].sort((a, b) => a - b)) {
    scanner.write(bytes.subarray(from, cut));
    from = cut;
  }
  scanner.write(bytes.subarray(from));
  return scanner.verdict();
}

/** What the scan should find, from the parsed value: values and names, nesting, different names. */
function measured(value: unknown) {
  const names = new Set<string>();
  const walk = (at: unknown, depth: number): { values: number; depth: number } => {
    if (typeof at !== "object" || at === null) return { values: 1, depth };
    let values = 1;
    let deepest = depth + 1;
    for (const [name, member] of Object.entries(at)) {
      if (!Array.isArray(at)) {
        names.add(name);
        values += 1;
      }
      const inner = walk(member, depth + 1);
      values += inner.values;
      deepest = Math.max(deepest, inner.depth);
    }
    return { values, depth: deepest };
  };
  const { values, depth } = walk(value, 0);
  return { values, depth, names: names.size };
}

describe("JsonScanner", () => {
  it("counts values and names, nesting and different names exactly, however the bytes are cut", () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 6 }),
        fc.array(fc.nat({ max: 400 }), { maxLength: 8 }),
        (value, cuts) => {
          const text = JSON.stringify(value);
          const { values, depth, names } = measured(value);
          expect(scan(text, { maxValues: values, maxDepth: depth, maxNames: names }, cuts).outcome).toBe(
            "within-limits",
          );
          expect(scan(text, { maxValues: values - 1 }, cuts).outcome).toBe("too-many-values");
          if (depth > 0) expect(scan(text, { maxDepth: depth - 1 }, cuts).outcome).toBe("too-deep");
          if (names > 0) expect(scan(text, { maxNames: names - 1 }, cuts).outcome).toBe("too-many-names");
        },
      ),
      { numRuns: 500 },
    );
  });

  it("is not fooled by brackets, quotes and escapes inside strings, or by spacing", () => {
    const text = ' { "a\\"{[" : [ "]}\\\\" , 1.5e3 , true , null ] , "b" : "\\u005b" } ';
    expect(scan(text, { maxValues: 9, maxDepth: 2, maxNames: 2 }).outcome).toBe("within-limits");
    expect(scan(text, { maxValues: 8 }).outcome).toBe("too-many-values");
    expect(scan(text, { maxDepth: 1 }).outcome).toBe("too-deep");
  });

  it("refuses a deep body at the first level too many, without reading on", () => {
    const scanner = new JsonScanner({ ...roomy, maxDepth: 32 });
    expect(scanner.write(new TextEncoder().encode("[".repeat(33)))).toBe(false);
    expect(scanner.verdict()).toEqual({ outcome: "too-deep" });
    expect(scanner.write(new TextEncoder().encode("]"))).toBe(false);
  });

  it("asks for a closer look only for an unpaired surrogate escape or a name that may be __proto__", () => {
    const lookCloser = (text: string, cuts: number[] = []) => {
      const verdict = scan(text, {}, cuts);
      return verdict.outcome === "within-limits" && verdict.lookCloser;
    };
    for (const unpaired of [
      "\\ud800",
      "\\udc00",
      "\\ud800x",
      "\\ud800\\n",
      "\\ud800\\ud800\\udc00",
      "a\\uDBFF",
    ])
      expect(lookCloser(`{"id":"${unpaired}"}`), unpaired).toBe(true);
    for (const text of ['{"id":"\\ud83d\\ude00"}', '{"id":"😀 æøå \\u00e6"}', '["\\uD83D\\uDE00"]'])
      expect(lookCloser(text), text).toBe(false);
    expect(lookCloser('{"__proto__":{}}')).toBe(true);
    expect(lookCloser('{"\\u005f_proto__":{}}')).toBe(true);
    expect(lookCloser('{"__proto_x":{}, "v":"__proto__"}')).toBe(false);
    // Cut anywhere, in an escape or between the halves of a pair.
    for (let cut = 1; cut < 16; cut += 1) {
      expect(lookCloser('["\\ud83d\\ude00"]', [cut])).toBe(false);
      expect(lookCloser('["\\ud83dx\\ude00"]', [cut])).toBe(true);
    }
  });

  it("counts different names exactly, by their bytes: no crafted collision makes two names one", () => {
    const names = Array.from({ length: 1_001 }, (_, n) => `"n${n}":0`).join(",");
    expect(scan(`{${names}}`, { maxNames: 1_000 }).outcome).toBe("too-many-names");
    expect(scan(`{${names}}`, { maxNames: 1_001 }).outcome).toBe("within-limits");
  });

  it("refuses a member name longer than any a route takes", () => {
    expect(scan(JSON.stringify({ ["n".repeat(1024)]: 1 })).outcome).toBe("within-limits");
    expect(scan(JSON.stringify({ ["n".repeat(1025)]: 1 })).outcome).toBe("too-many-names");
    expect(scan(JSON.stringify({ ["\n".repeat(600)]: 1 })).outcome).toBe("too-many-names");
  });

  it("finds the end of a string of escapes, however it is cut", () => {
    const value = { x: '\n"\\'.repeat(5_000), y: [1, 2] };
    const text = JSON.stringify(value);
    const { values } = measured(value);
    for (const cuts of [[], [7, 8, 9, 4_000], [20_001]]) {
      expect(scan(text, { maxValues: values, maxNames: 2, maxDepth: 2 }, cuts).outcome).toBe("within-limits");
      expect(scan(text, { maxValues: values - 1 }, cuts).outcome).toBe("too-many-values");
    }
  });

  it("skips long strings without counting their bytes", () => {
    const document = "A".repeat(5_000_000);
    expect(scan(`{"innhold":"${document}"}`, { maxValues: 3, maxNames: 1, maxDepth: 1 })).toEqual({
      outcome: "within-limits",
      lookCloser: false,
    });
  });
});
