import { describe, expect, it } from "vitest";
import { ArchiveUnavailableError } from "../archive-errors";
import { UnknownCodeError } from "./code-lists";
import { FintCodes } from "./fint-codes";
import type { FintAdapter } from "./fint-options";

const BASE = "https://api.felleskomponent.no";

const entry = (list: string, systemId: string, kode: string) => ({
  systemId: { identifikatorverdi: systemId },
  kode,
  _links: { self: [{ href: `${BASE}/${list}/systemid/${systemId}` }] },
});
const collection = (...entries: unknown[]) => ({
  _embedded: { _entries: entries },
  total_items: entries.length,
});

/** FintCodes over a FINT whose lists answer what `answers` holds now (the test changes it as FINT would). */
function codesOver(answers: Map<string, unknown>, adapter?: FintAdapter) {
  let clock = 0;
  const reads: string[] = [];
  const codes = new FintCodes({
    baseUrl: BASE,
    adapter,
    now: () => clock,
    refreshMs: 15 * 60_000,
    read: async (url) => {
      const path = url.slice(BASE.length + 1);
      reads.push(path);
      const body = answers.get(path);
      return body === undefined ? { status: 404, json: () => ({}) } : { status: 200, json: () => body };
    },
  });
  return { codes, reads, advance: (ms: number) => (clock += ms) };
}

describe("FintCodes and a list FINT answers empty", () => {
  it("takes an empty list as FINT still filling its cache: unavailable, read again soon, then the code is linked", async () => {
    const answers = new Map<string, unknown>([["arkiv/kodeverk/journalstatus", collection()]]);
    const { codes, advance } = codesOver(answers, "ELEMENTS");

    const warmingUp = await codes.link("journalstatus", "J").catch((error: unknown) => error);
    expect(warmingUp).toBeInstanceOf(ArchiveUnavailableError);
    expect(warmingUp).not.toBeInstanceOf(UnknownCodeError);
    expect((warmingUp as Error).message).toContain("/arkiv/kodeverk/journalstatus has no entries");

    // The cache is filled; the empty answer is not kept for the list's usual 15 minutes.
    answers.set("arkiv/kodeverk/journalstatus", collection(entry("arkiv/kodeverk/journalstatus", "7", "J")));
    advance(11_000);
    expect(await codes.link("journalstatus", "J")).toBe(`${BASE}/arkiv/kodeverk/journalstatus/systemid/7`);
  });

  it("still refuses a code a filled list does not have", async () => {
    const answers = new Map<string, unknown>([
      ["arkiv/kodeverk/journalstatus", collection(entry("arkiv/kodeverk/journalstatus", "7", "J"))],
    ]);
    const { codes } = codesOver(answers, "ELEMENTS");
    await expect(codes.link("journalstatus", "Q")).rejects.toBeInstanceOf(UnknownCodeError);
  });

  it("takes an empty list of people as warming up where the adapter may have one, and links Public 360's by number", async () => {
    const answers = new Map<string, unknown>([["arkiv/noark/arkivressurs", collection()]]);
    await expect(codesOver(answers, "ELEMENTS").codes.link("saksansvarlig", "KARI")).rejects.toBeInstanceOf(
      ArchiveUnavailableError,
    );
    await expect(codesOver(answers, undefined).codes.link("saksansvarlig", "KARI")).rejects.toBeInstanceOf(
      ArchiveUnavailableError,
    );
    await expect(codesOver(new Map(), undefined).codes.link("saksansvarlig", "KARI")).rejects.toBeInstanceOf(
      UnknownCodeError,
    );
    expect(await codesOver(answers, "P360").codes.link("saksansvarlig", "200123")).toBe(
      `${BASE}/arkiv/noark/arkivressurs/systemid/200123`,
    );
  });
});
