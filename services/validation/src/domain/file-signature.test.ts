import { describe, expect, it } from "vitest";
import { contentMatchesDeclaredType, recognisedMimeTypes, SIGNATURE_BYTES } from "./file-signature";

const bytes = (...values: (number | string)[]) =>
  Uint8Array.from(values.flatMap((value) => (typeof value === "string" ? [...Buffer.from(value)] : [value])));

const pdf = bytes("%PDF-1.7\n%âãÏÓ\n");
const png = bytes(0x89, "PNG", 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13);
const docx = bytes("PK", 3, 4, 20, 0, 6, 0);
const html = bytes("<!DOCTYPE html><html>");

describe("contentMatchesDeclaredType", () => {
  it("accepts content carrying the declared type's signature, whatever the case of the type", () => {
    expect(contentMatchesDeclaredType("application/pdf", pdf)).toBe(true);
    expect(contentMatchesDeclaredType("Image/PNG", png)).toBe(true);
    expect(
      contentMatchesDeclaredType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        docx,
      ),
    ).toBe(true);
  });

  it("refuses a declared PDF that is an HTML page, a PNG or empty", () => {
    expect(contentMatchesDeclaredType("application/pdf", html)).toBe(false);
    expect(contentMatchesDeclaredType("application/pdf", png)).toBe(false);
    expect(contentMatchesDeclaredType("application/pdf", new Uint8Array())).toBe(false);
  });

  it("accepts text-like types unless the content is a recognised binary format", () => {
    expect(contentMatchesDeclaredType("application/xml; charset=utf-8", bytes("<?xml version='1.0'?>"))).toBe(
      true,
    );
    expect(contentMatchesDeclaredType("text/plain", pdf)).toBe(false);
  });
});

describe("recognisedMimeTypes", () => {
  it("names what it recognises and needs no more than SIGNATURE_BYTES", () => {
    expect(recognisedMimeTypes(pdf.subarray(0, SIGNATURE_BYTES))).toEqual(["application/pdf"]);
    expect(recognisedMimeTypes(bytes(0x49, 0x49, 0x2a, 0))).toEqual(["image/tiff"]);
    expect(recognisedMimeTypes(html)).toEqual([]);
  });
});
