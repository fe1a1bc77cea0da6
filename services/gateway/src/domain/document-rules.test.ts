import { describe, expect, it } from "vitest";
import { documentRuleErrors } from "./document-rules";

const pdf = { tittel: "t", filnavn: "a.pdf", mimeType: "application/pdf", innhold: "JVBERi0xLjcK" };

describe("documentRuleErrors", () => {
  it("accepts one main document with valid inline content, and attachments by file id", () => {
    expect(
      documentRuleErrors(
        [
          {
            dokumenter: [
              { ...pdf, tilknyttetRegistreringSom: "H" },
              { tilknyttetRegistreringSom: "V", fileId: "file_0123456789" },
            ],
          },
        ],
        "/journalPosts",
      ),
    ).toEqual([]);
  });

  it("reports every problem at once, with pointers", () => {
    const errors = documentRuleErrors(
      [
        { dokumenter: [{ ...pdf, tilknyttetRegistreringSom: "V" }] },
        {
          dokumenter: [
            { tilknyttetRegistreringSom: "H", innhold: "not base64!", fileId: "file_0123456789" },
            { tilknyttetRegistreringSom: "H" },
            { tilknyttetRegistreringSom: "V", innhold: "***" },
          ],
        },
      ],
      "/journalPosts",
    );
    expect(errors.map((error) => [error.code, error.pointer])).toEqual([
      ["main-document-count", "/journalPosts/0/dokumenter"],
      ["main-document-count", "/journalPosts/1/dokumenter"],
      ["content-ambiguous", "/journalPosts/1/dokumenter/0"],
      ["content-missing", "/journalPosts/1/dokumenter/1"],
      ["missing-field", "/journalPosts/1/dokumenter/2/filnavn"],
      ["missing-field", "/journalPosts/1/dokumenter/2/mimeType"],
      ["invalid-base64", "/journalPosts/1/dokumenter/2/innhold"],
    ]);
  });

  it("calls empty inline content empty", () => {
    const [error] = documentRuleErrors(
      [{ dokumenter: [{ ...pdf, innhold: "", tilknyttetRegistreringSom: "H" }] }],
      "/jp",
    );
    expect(error).toMatchObject({ code: "empty-content", pointer: "/jp/0/dokumenter/0/innhold" });
  });

  it("checks base64 of megabytes without running out of stack, padding only at the end", () => {
    const check = (innhold: string) =>
      documentRuleErrors([{ dokumenter: [{ ...pdf, innhold, tilknyttetRegistreringSom: "H" }] }], "/jp").map(
        (error) => error.code,
      );
    const large = "QUJD".repeat(2_000_000);
    expect(check(large)).toEqual([]);
    expect(check(`${large}*AAA`)).toEqual(["invalid-base64"]);
    for (const valid of ["QQ==", "QUI=", "QUJD"]) expect(check(valid), valid).toEqual([]);
    for (const invalid of ["Q", "QQ=", "Q===", "Q=QQ", "====", "QUJ", "QU=D"])
      expect(check(invalid), invalid).toEqual(["invalid-base64"]);
  });
});
