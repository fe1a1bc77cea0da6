import type { Dokument, Journalpost } from "@flyt/schemas";
import { describe, expect, it } from "vitest";
import { checkDocuments } from "./document-rules";

const rules = {
  allowedMimeTypes: ["application/pdf", "image/png"],
  maxFileBytes: 1000,
  exactlyOneMainDocument: true,
};
const pdfHead = Uint8Array.from(Buffer.from("%PDF-1.7\n"));

function document(
  fileId: string,
  role: Dokument["tilknyttetRegistreringSom"],
  overrides: Partial<Dokument["file"]> = {},
): Dokument {
  return {
    tittel: fileId,
    tilknyttetRegistreringSom: role,
    file: {
      fileId,
      filename: `${fileId}.pdf`,
      mimeType: "application/pdf",
      sizeBytes: 100,
      sha256: "0".repeat(64),
      ...overrides,
    },
  };
}

function post(...dokumenter: Dokument[]): Journalpost {
  return {
    tittel: "Søknad",
    offentligTittel: null,
    journalposttype: "I",
    dokumentdato: null,
    journalstatus: null,
    saksbehandler: null,
    administrativEnhet: null,
    journalenhet: null,
    skjerming: null,
    korrespondansepart: [],
    dokumenter,
  };
}

describe("checkDocuments", () => {
  it("passes journal posts with one main document of an allowed, genuine type", () => {
    const heads = new Map([
      ["main", pdfHead],
      ["attachment", pdfHead],
    ]);
    expect(checkDocuments([post(document("main", "H"), document("attachment", "V"))], rules, heads)).toEqual(
      [],
    );
  });

  it("reports every problem of every journal post at once", () => {
    const heads = new Map([
      ["a", pdfHead],
      ["b", pdfHead],
      ["html", Uint8Array.from(Buffer.from("<html>"))],
      ["big", pdfHead],
      ["word", pdfHead],
    ]);
    const errors = checkDocuments(
      [
        post(document("a", "H"), document("b", "H")),
        post(
          document("html", "V"),
          document("big", "V", { sizeBytes: 1001 }),
          document("empty", "V", { sizeBytes: 0 }),
          document("word", "V", { mimeType: "application/msword" }),
          document("gone", "V"),
        ),
      ],
      rules,
      heads,
    );
    expect(errors.map(({ code, pointer }) => `${pointer} ${code}`)).toEqual([
      "/journalPosts/0/dokumenter several-main-documents",
      "/journalPosts/1/dokumenter no-main-document",
      "/journalPosts/1/dokumenter/0 content-does-not-match-type",
      "/journalPosts/1/dokumenter/1 file-too-large",
      "/journalPosts/1/dokumenter/2 empty-file",
      "/journalPosts/1/dokumenter/3 mime-type-not-allowed",
      "/journalPosts/1/dokumenter/3 content-does-not-match-type",
      "/journalPosts/1/dokumenter/4 file-unreadable",
    ]);
  });

  it("leaves the count of main documents alone when the integration does not require one", () => {
    expect(
      checkDocuments(
        [post(document("a", "V"))],
        { ...rules, exactlyOneMainDocument: false },
        new Map([["a", pdfHead]]),
      ),
    ).toEqual([]);
  });
});
