import { describe, expect, it } from "vitest";
import { attachmentDisposition } from "./content-disposition";

describe("attachmentDisposition", () => {
  it("keeps a UTF-8 name in filename* and gives an ASCII fallback", () => {
    expect(attachmentDisposition("søknad_æøå.pdf")).toBe(
      "attachment; filename=\"s_knad___a.pdf\"; filename*=UTF-8''s%C3%B8knad_%C3%A6%C3%B8%C3%A5.pdf",
    );
  });

  it("drops accents where the letter has a base", () => {
    expect(attachmentDisposition("Résumé.docx")).toContain('filename="Resume.docx"');
  });

  it("encodes what may not stand in either parameter", () => {
    const header = attachmentDisposition(`a "b" 'c' (d)*\\.txt`);
    expect(header).toContain("filename=\"a _b_ 'c' (d)*_.txt\"");
    expect(header).toContain("filename*=UTF-8''a%20%22b%22%20%27c%27%20%28d%29%2A%5C.txt");
  });

  it("round-trips through a decoder", () => {
    const name = "Vedlegg 1 – kart 🗺️.png";
    const encoded = /filename\*=UTF-8''(.+)$/.exec(attachmentDisposition(name))?.[1] ?? "";
    expect(decodeURIComponent(encoded)).toBe(name);
  });
});
