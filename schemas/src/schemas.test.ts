import { describe, expect, it } from "vitest";
import { backwardIncompatibility } from "./compatibility";
import type { SubmissionReceived } from "./generated/events";
import { submissionReceivedV1Schema } from "./generated/schemas";
import { avroType } from "./logical-types";
import { type AvroRecordSchema, loadCurrentSchemas, loadReleasedVersions } from "./schema-files";

const current = await loadCurrentSchemas();

describe.each(current.map((file) => [file.name, file.schema] as const))("%s", (name, schema) => {
  it("parses, with Flyt's logical types", () => {
    expect(() => avroType(schema)).not.toThrow();
  });

  it("is namespaced, and documents every type and field", () => {
    expect(schema.namespace).toBe("no.flyt.events");
    expect(undocumented(schema)).toEqual([]);
  });

  it("has released versions, and reads what every one of them wrote (BACKWARD, transitively)", async () => {
    const released = await loadReleasedVersions(name);
    expect(released.length).toBeGreaterThan(0);
    for (const { version, schema: old } of released) {
      expect({ version, problem: backwardIncompatibility(schema, old) }).toEqual({
        version,
        problem: undefined,
      });
    }
  });
});

describe("backwardIncompatibility", () => {
  const received = submissionReceivedV1Schema as unknown as AvroRecordSchema;

  it("refuses a new required field without a default", () => {
    const changed = {
      ...received,
      fields: [...received.fields, { name: "priority", type: "int", doc: "x" }],
    };
    expect(backwardIncompatibility(changed, received)).toMatch(/priority/);
  });

  it("refuses a removed enum symbol that old data may hold", () => {
    const kindOf = (symbols: string[]) => ({
      type: "record",
      name: "R",
      fields: [{ name: "kind", type: { type: "enum", name: "K", symbols } }],
    });
    expect(backwardIncompatibility(kindOf(["CASE"]), kindOf(["CASE", "JOURNAL_POSTS"]))).toBeDefined();
  });

  it("accepts a new optional field with a default", () => {
    const changed = {
      ...received,
      fields: [...received.fields, { name: "priority", type: ["null", "int"], default: null, doc: "x" }],
    };
    expect(backwardIncompatibility(changed, received)).toBeUndefined();
  });
});

describe("encoding", () => {
  it("round-trips a submission with timestamps as Date and dates as YYYY-MM-DD", () => {
    const type = avroType(submissionReceivedV1Schema);
    const event: SubmissionReceived = {
      meta: {
        eventId: "0b6a4f7e-3c2d-4f7a-9a51-2f0f1d8f9e10",
        occurredAt: new Date("2026-11-22T10:00:00.012Z"),
        correlationId: "corr-1",
        producer: "gateway",
      },
      submission: {
        id: "sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9C",
        tenant: "vestland",
        sourceApplication: "egrunnerverv",
        integrationId: "egrunnerverv-journalpost",
        sourceInstanceId: "GRV-2026-000123-DOC-7",
        kind: "JOURNAL_POSTS",
        run: 1,
      },
      caseRef: "2026/123",
      case: null,
      journalPosts: [
        {
          tittel: "Kjøpekontrakt",
          offentligTittel: null,
          journalposttype: "I",
          dokumentdato: "2026-11-20",
          journalstatus: null,
          saksbehandler: null,
          administrativEnhet: null,
          journalenhet: null,
          skjerming: null,
          korrespondansepart: [
            {
              korrespondanseparttype: "avsender",
              navn: "Kari Hansen",
              organisasjonsnummer: null,
              postadresse: { adresselinje: ["Storgata 1"], postnummer: "5003", poststed: "Bergen" },
              epost: null,
            },
          ],
          dokumenter: [
            {
              tittel: "Kjøpekontrakt signert",
              tilknyttetRegistreringSom: "H",
              file: {
                fileId: "file_01",
                filename: "søknad_æøå.pdf",
                mimeType: "application/pdf",
                sizeBytes: 123_456,
                sha256: "a".repeat(64),
              },
            },
          ],
        },
      ],
      receivedAt: new Date("2026-11-22T10:00:00.012Z"),
    };
    const decoded = type.fromBuffer(type.toBuffer(event));
    expect(decoded).toEqual(event);
    expect(decoded.journalPosts[0].dokumentdato).toBe("2026-11-20");
    expect(decoded.receivedAt).toBeInstanceOf(Date);
  });

  it("reads dates and timestamps through schema resolution, from logical and from plain writers", () => {
    const schemaWith = (fields: object[]) => ({ type: "record", name: "R", fields });
    const logical = avroType(
      schemaWith([
        { name: "at", type: { type: "long", logicalType: "timestamp-millis" } },
        { name: "day", type: { type: "int", logicalType: "date" } },
      ]),
    );
    const plain = avroType(
      schemaWith([
        { name: "at", type: "long" },
        { name: "day", type: "int" },
      ]),
    );
    const fromLogical = logical.fromBuffer(
      logical.toBuffer({ at: new Date("2026-11-20T08:00:00Z"), day: "2026-11-20" }),
      logical.createResolver(logical),
    );
    expect(fromLogical).toEqual({ at: new Date("2026-11-20T08:00:00Z"), day: "2026-11-20" });
    const fromPlain = logical.fromBuffer(
      plain.toBuffer({ at: Date.parse("2026-11-20T08:00:00Z"), day: Date.parse("2026-11-20") / 86_400_000 }),
      logical.createResolver(plain),
    );
    expect(fromPlain).toEqual({ at: new Date("2026-11-20T08:00:00Z"), day: "2026-11-20" });
  });

  it("refuses a date that is not a calendar date", () => {
    const type = avroType({
      type: "record",
      name: "D",
      fields: [{ name: "d", type: { type: "int", logicalType: "date" } }],
    });
    expect(type.isValid({ d: "2026-11-20" })).toBe(true);
    expect(type.isValid({ d: "20.11.2026" })).toBe(false);
  });
});

/** Paths of records, enums and fields without a `doc`. */
function undocumented(schema: unknown, path = "", seen = new Set<string>()): string[] {
  if (Array.isArray(schema)) return schema.flatMap((member) => undocumented(member, path, seen));
  if (typeof schema !== "object" || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const missing: string[] = [];
  if ((node.type === "record" || node.type === "enum") && typeof node.name === "string") {
    if (seen.has(node.name)) return [];
    seen.add(node.name);
    if (!node.doc) missing.push(`${path}${node.name}`);
  }
  for (const field of (node.fields as Record<string, unknown>[] | undefined) ?? []) {
    if (!field.doc) missing.push(`${path}${String(node.name)}.${String(field.name)}`);
    missing.push(...undocumented(field.type, `${path}${String(node.name)}.`, seen));
  }
  if (node.items) missing.push(...undocumented(node.items, path, seen));
  if (node.values) missing.push(...undocumented(node.values, path, seen));
  if (typeof node.type === "object") missing.push(...undocumented(node.type, path, seen));
  return missing;
}
