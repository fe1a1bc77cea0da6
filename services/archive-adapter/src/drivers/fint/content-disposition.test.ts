import { describe, expect, it } from "vitest";
import { asciiFallback, attachmentDisposition, rfc8187Encode } from "./content-disposition";

describe("attachmentDisposition", () => {
  it("keeps a Norwegian name in filename* and gives an ASCII fallback", () => {
    expect(attachmentDisposition("søknad_æøå.pdf")).toBe(
      `attachment; filename="soknad_aeoa.pdf"; filename*=UTF-8''s%C3%B8knad_%C3%A6%C3%B8%C3%A5.pdf`,
    );
  });

  it("encodes what is no RFC 8187 attr-char, including ' ( ) * and spaces", () => {
    expect(rfc8187Encode("a b'(c)*.pdf")).toBe("a%20b%27%28c%29%2A.pdf");
    expect(decodeURIComponent(rfc8187Encode("Vedlegg 1 (kart) – ÆØÅ.pdf"))).toBe(
      "Vedlegg 1 (kart) – ÆØÅ.pdf",
    );
  });

  it("cannot be broken out of by a quote or backslash in the name", () => {
    const header = attachmentDisposition('evil"; filename="x.exe\\.pdf');
    expect(header.startsWith('attachment; filename="evil_; filename=_x.exe_.pdf"; filename*=')).toBe(true);
  });

  it("drops accents and replaces what has no ASCII form", () => {
    expect(asciiFallback("Résumé Ærlig Åse.pdf")).toBe("Resume AErlig Ase.pdf");
    expect(asciiFallback("报告.pdf")).toBe("__.pdf");
    expect(asciiFallback("")).toBe("file");
  });
});
