import { describe, expect, it } from "vitest";
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
});
