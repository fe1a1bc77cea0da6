import { describe, expect, it } from "vitest";
import { JsonScanner } from "../adapters/http/json-scan";
import { amplificationBody, manyErrorsBody, maximalBody } from "../security/hostile-bodies";
import { contractBodyShape, ERRORS_CHECKED, MAX_DEPTH } from "./body-limits";
import { fieldNames, schemaNodes } from "./bounded-body";
import { schemas } from "./schemas";
import { validateBody } from "./validator";

const validCase = {
  integrationId: "egrunnerverv-sak",
  sourceInstanceId: "GRV-2026-000123",
  case: {
    tittel: "Erverv av grunn - gnr 12 bnr 4",
    klassering: [{ ordningsprinsipp: "GBNR", ordningsverdi: "12/4" }],
    skjerming: { tilgangsrestriksjon: "13", skjermingshjemmel: "Offl. § 13" },
  },
  journalPosts: [
    {
      tittel: "Kjøpekontrakt",
      journalposttype: "I",
      dokumentdato: "2026-11-20",
      korrespondansepart: [
        {
          korrespondanseparttype: "avsender",
          navn: "Kari Hansen",
          postadresse: { adresselinje: ["Storgata 1"], postnummer: "5003", poststed: "Bergen" },
        },
      ],
      dokumenter: [
        {
          tittel: "Kjøpekontrakt signert",
          tilknyttetRegistreringSom: "H",
          filnavn: "søknad_æøå.pdf",
          mimeType: "application/pdf",
          innhold: "JVBERi0xLjcK",
        },
      ],
    },
  ],
};

describe("validateBody", () => {
  it("accepts the contract's example case", () => {
    expect(validateBody("case", validCase)).toEqual([]);
  });

  it("reports every error at once, each with a stable code and a JSON pointer", () => {
    const errors = validateBody("case", {
      integrationId: "egrunnerverv-sak",
      case: { tittel: "", arkivdl: "SAK" },
      journalPosts: [{ tittel: "x", journalposttype: "Q", dokumentdato: "20.11.2026", dokumenter: [] }],
    });
    expect(errors.map((error) => [error.code, error.pointer]).sort()).toEqual(
      [
        ["missing-field", "/sourceInstanceId"],
        ["empty", "/case/tittel"],
        ["unknown-field", "/case/arkivdl"],
        ["invalid-value", "/journalPosts/0/journalposttype"],
        ["invalid-format", "/journalPosts/0/dokumentdato"],
        ["too-few", "/journalPosts/0/dokumenter"],
      ].sort(),
    );
  });

  it("applies the document rules once the structure is right", () => {
    const twoMain = structuredClone(validCase);
    const first = twoMain.journalPosts[0]?.dokumenter[0];
    if (!first) throw new Error("fixture");
    twoMain.journalPosts[0]?.dokumenter.push({ ...first, tittel: "Kopi" });
    expect(validateBody("case", twoMain)).toEqual([
      expect.objectContaining({ code: "main-document-count", pointer: "/journalPosts/0/dokumenter" }),
    ]);
  });

  it("refuses a mime type off the allowlist and a body that is not an object", () => {
    const exe = structuredClone(validCase);
    (exe.journalPosts[0]?.dokumenter[0] as { mimeType: string }).mimeType = "application/x-msdownload";
    expect(validateBody("case", exe)).toEqual([
      expect.objectContaining({ code: "invalid-value", pointer: "/journalPosts/0/dokumenter/0/mimeType" }),
    ]);
    expect(validateBody("case", [1, 2])).toEqual([
      expect.objectContaining({ code: "invalid-type", pointer: "" }),
    ]);
  });

  it("needs at least one journal post in a second step", () => {
    expect(
      validateBody("journalPosts", {
        integrationId: "egrunnerverv-journalpost",
        sourceInstanceId: "x",
        journalPosts: [],
      }),
    ).toEqual([expect.objectContaining({ code: "too-few", pointer: "/journalPosts" })]);
  });

  it("answers a list of a million wrong items with its limit, checking one item past it", () => {
    const flood = structuredClone(validCase) as Record<string, unknown> & { case: Record<string, unknown> };
    flood.case.klassering = new Array(1_000_000).fill(0);
    const errors = validateBody("case", flood);
    expect(errors).toContainEqual(
      expect.objectContaining({ code: "too-many", pointer: "/case/klassering", detail: "At most 10 items." }),
    );
    // Each list is cut one past its own limit (10 here), not the longest list of the contract.
    expect(errors.filter((error) => error.code === "invalid-type").map((error) => error.pointer)).toEqual(
      Array.from({ length: 11 }, (_, index) => `/case/klassering/${index}`),
    );
    expect(errors).toHaveLength(12);
  });

  it("stops looking once it has found a thousand errors in a body wrong everywhere", () => {
    const errors = validateBody("case", JSON.parse(manyErrorsBody()));
    // 100 journal posts x 100 correspondents x 5 address lines: 50,000 wrong values.
    expect(errors.length).toBeGreaterThanOrEqual(ERRORS_CHECKED);
    expect(errors.length).toBeLessThan(ERRORS_CHECKED + 600);
    expect(errors[0]).toEqual({
      code: "invalid-type",
      pointer: "/journalPosts/0/korrespondansepart/0/postadresse/adresselinje/0",
      detail: "Must be string.",
    });
  });

  it("bounds the nested lists of the amplification attack to each list's own limit", () => {
    const errors = validateBody("case", JSON.parse(amplificationBody()));
    expect(errors).toContainEqual(expect.objectContaining({ code: "too-many", pointer: "/journalPosts" }));
    expect(errors.length).toBeLessThan(ERRORS_CHECKED + 600);
    // Address lines are checked one past their limit of 5, never the 101 sent.
    expect(errors.some((error) => /adresselinje\/(6|[1-9]\d+)$/.test(error.pointer))).toBe(false);
  });

  it("accepts the largest body the contract allows, and it fits the scan's budget", () => {
    const body = maximalBody("MAX-1", "file_0123456789");
    expect(validateBody("case", body)).toEqual([]);
    const scanner = new JsonScanner({ maxDepth: MAX_DEPTH, ...contractBodyShape });
    scanner.write(new TextEncoder().encode(JSON.stringify(body)));
    expect(scanner.verdict().outcome).toBe("within-limits");
    // The budget is what the schemas allow, not a guess: the largest valid body uses most of it.
    const { maxValues } = contractBodyShape;
    const tight = new JsonScanner({
      maxDepth: MAX_DEPTH,
      maxNames: 1_000,
      maxValues: Math.floor(maxValues * 0.9),
    });
    tight.write(new TextEncoder().encode(JSON.stringify(body)));
    expect(tight.verdict().outcome).toBe("too-many-values");
    expect(fieldNames(schemas).size).toBeLessThan(contractBodyShape.maxNames / 10);
  });

  it("counts unknown fields past a hundred in one error, and still checks the fields it knows and the rest", () => {
    const flood = structuredClone(validCase) as Record<string, unknown> & { case: Record<string, unknown> };
    const { sourceInstanceId: _left, ...withoutId } = flood;
    const unknown = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`x${i}`, i]));
    const body = { ...withoutId, case: { ...unknown, tittel: "", "a/b": 1 } };
    const errors = validateBody("case", body);
    expect(errors).toContainEqual({
      code: "unknown-field",
      pointer: "/case",
      detail: "99901 more fields that are not fields of this object.",
    });
    expect(errors).toContainEqual(expect.objectContaining({ code: "empty", pointer: "/case/tittel" }));
    expect(errors).toContainEqual(
      expect.objectContaining({ code: "missing-field", pointer: "/sourceInstanceId" }),
    );
    expect(errors.filter((error) => error.code === "unknown-field")).toHaveLength(101);
  });
});

describe("the contract's schemas", () => {
  it("refuse fields they do not name in every object, which bounding a body's unknown fields relies on", () => {
    const objects = schemaNodes(schemas).filter((node) => node.type === "object");
    expect(objects.length).toBeGreaterThan(5);
    for (const object of objects) expect(object.additionalProperties).toBe(false);
  });
});
