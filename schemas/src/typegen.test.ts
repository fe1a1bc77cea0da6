import { describe, expect, it } from "vitest";
import { generateTypes, schemaConstName } from "./typegen";

const file = (name: string, schema: object) => ({ name, schema: schema as never });

describe("generateTypes", () => {
  it("maps records, enums, unions, arrays, maps and logical types", () => {
    const code = generateTypes([
      file("t", {
        type: "record",
        name: "Sample",
        namespace: "no.flyt.test",
        doc: "A sample.",
        fields: [
          { name: "at", type: { type: "long", logicalType: "timestamp-millis" }, doc: "When." },
          { name: "day", type: ["null", { type: "int", logicalType: "date" }], doc: "Which day." },
          { name: "kind", type: { type: "enum", name: "Kind", symbols: ["A", "B"] }, doc: "Kind." },
          { name: "tags", type: { type: "array", items: "string" }, doc: "Tags." },
          { name: "extra", type: { type: "map", values: "long" }, doc: "Extra." },
          { name: "raw", type: ["null", "bytes"], doc: "Raw." },
        ],
      }),
    ]);
    expect(code).toContain("export interface Sample {");
    expect(code).toContain("readonly at: Date;");
    expect(code).toContain("readonly day: string | null;");
    expect(code).toContain("readonly kind: Kind;");
    expect(code).toContain('export type Kind = "A" | "B";');
    expect(code).toContain("readonly tags: readonly string[];");
    expect(code).toContain("readonly extra: Record<string, number>;");
    expect(code).toContain("readonly raw: Buffer | null;");
  });

  it("refuses one name defined two different ways", () => {
    const withKind = (symbols: string[]) =>
      file("f", {
        type: "record",
        name: "R",
        namespace: "no.flyt.test",
        fields: [{ name: "k", type: { type: "enum", name: "Kind", symbols } }],
      });
    expect(() => generateTypes([withKind(["A"]), withKind(["A", "B"])])).toThrow(/defined differently/);
  });
});

describe("schemaConstName", () => {
  it("names a topic's schema constant", () => {
    expect(schemaConstName("flyt.submission.received.v1")).toBe("submissionReceivedV1Schema");
    expect(schemaConstName("flyt.dead-letter.v1")).toBe("deadLetterV1Schema");
  });
});
