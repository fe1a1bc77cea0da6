import { describe, expect, it } from "vitest";
import { filenameFromContentDisposition, sanitizeFilename } from "./filename";

describe("sanitizeFilename", () => {
  it("keeps UTF-8 names as they are", () => {
    expect(sanitizeFilename("søknad_æøå.pdf")).toBe("søknad_æøå.pdf");
  });

  it("drops directories, control characters and leading dots, and caps the length", () => {
    expect(sanitizeFilename("../../etc/passwd")).toBe("passwd");
    expect(sanitizeFilename("C:\\Users\\kari\\kontrakt.pdf")).toBe("kontrakt.pdf");
    expect(sanitizeFilename("bad\u0000name\u0007.pdf")).toBe("badname.pdf");
    expect(sanitizeFilename("..hidden")).toBe("hidden");
    expect([...(sanitizeFilename(`${"æ".repeat(300)}.pdf`) ?? "")]).toHaveLength(255);
  });

  it("drops bidirectional text controls, which can make an .exe look like a .pdf", () => {
    expect(sanitizeFilename("faktura\u202Efdp.exe")).toBe("fakturafdp.exe");
    const controls = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C";
    expect(sanitizeFilename(`søknad${controls}_æøå.pdf`)).toBe("søknad_æøå.pdf");
    expect(sanitizeFilename(`\u202E${controls}`)).toBeUndefined();
    // Arabic and Hebrew names keep their letters; only the invisible controls go.
    expect(sanitizeFilename("\u200Fעברית.pdf")).toBe("עברית.pdf");
  });

  it("gives up on a name with nothing usable left", () => {
    expect(sanitizeFilename("../")).toBeUndefined();
    expect(sanitizeFilename("\u0001\u0002")).toBeUndefined();
  });
});

describe("filenameFromContentDisposition", () => {
  it("prefers the RFC 5987 UTF-8 form", () => {
    expect(
      filenameFromContentDisposition(
        `attachment; filename="soknad.pdf"; filename*=UTF-8''s%C3%B8knad_%C3%A6%C3%B8%C3%A5.pdf`,
      ),
    ).toBe("søknad_æøå.pdf");
  });

  it("reads a plain quoted or bare name", () => {
    expect(filenameFromContentDisposition('attachment; filename="kontrakt \\"signert\\".pdf"')).toBe(
      'kontrakt "signert".pdf',
    );
    expect(filenameFromContentDisposition("attachment; filename=kontrakt.pdf")).toBe("kontrakt.pdf");
    expect(filenameFromContentDisposition("attachment")).toBeUndefined();
  });
});
