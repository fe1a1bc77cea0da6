import type { FileReference } from "@flyt/schemas";
import { describe, expect, it } from "vitest";
import { createStagedFiles, isStagedRef, sha256Hex } from "./staged-files";

const content = Buffer.from("%PDF-1.7 hello");
const file: FileReference = {
  fileId: "file_opaque_xyz",
  filename: "søknad.pdf",
  mimeType: "application/pdf",
  sizeBytes: content.length,
  sha256: sha256Hex(content),
};

describe("staged files", () => {
  it("keeps a file's bytes under an opaque reference", () => {
    const staged = createStagedFiles({ ttlMs: 1000, now: () => 0 });
    const ref = staged.stage(file, content);
    expect(isStagedRef(ref)).toBe(true);
    expect(ref).not.toContain(file.fileId);
    expect(staged.get(ref)).toEqual({ file, content, sha256: file.sha256 });
    expect(staged.get("noark5-staged:unknown")).toBeUndefined();
    expect(isStagedRef("fint:whatever")).toBe(false);
  });

  it("forgets a file its journal post never came for", () => {
    let now = 0;
    const staged = createStagedFiles({ ttlMs: 1000, now: () => now });
    const ref = staged.stage(file, content);
    now = 999;
    expect(staged.get(ref)).toBeDefined();
    now = 1000;
    expect(staged.get(ref)).toBeUndefined();
    expect(staged.size).toBe(0);
  });

  it("keeps a released file only briefly", () => {
    let now = 0;
    const staged = createStagedFiles({ ttlMs: 24 * 3600_000, now: () => now });
    const ref = staged.stage(file, content);
    staged.release(ref);
    now = 9 * 60_000;
    expect(staged.get(ref)).toBeDefined();
    now = 11 * 60_000;
    expect(staged.get(ref)).toBeUndefined();
  });
});
