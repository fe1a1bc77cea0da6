import type { Journalpost } from "@flyt/schemas";
import { describe, expect, it } from "vitest";
import type { JournalpostResource } from "./fint-resources";
import { incomingLetter } from "./flyt-records.fixtures";
import { journalPostsLikeSent, madeWithin } from "./recognition";

const window = {
  notBefore: Date.parse("2026-03-14T09:00:00Z"),
  notAfter: Date.parse("2026-03-14T10:00:00Z"),
};
const letter: Journalpost = { ...incomingLetter(), dokumentdato: "2026-03-14" };
const candidate = (overrides: Partial<JournalpostResource>): JournalpostResource => ({
  tittel: letter.tittel,
  journalPostnummer: 2,
  opprettetDato: "2026-03-14T09:30:00Z",
  ...overrides,
});
const alike = (posts: JournalpostResource[]) =>
  journalPostsLikeSent(posts, letter, { marker: 1, window, sameType: () => true });

describe("journalPostsLikeSent", () => {
  it("takes the document date as the day in Norway, as adapters answer local midnight in UTC", () => {
    const lateUtc = candidate({ dokumentetsDato: "2026-03-13T23:00:00Z" });
    expect(alike([lateUtc])).toEqual([lateUtc]);
    expect(alike([candidate({ dokumentetsDato: "2026-03-14T23:00:00Z" })])).toEqual([]);
    const dayOnly = candidate({ dokumentetsDato: "2026-03-14" });
    expect(alike([dayOnly])).toEqual([dayOnly]);
  });
});

describe("madeWithin", () => {
  it("reads a creation time without an offset as Norway's local time", () => {
    // 10:30 in Oslo in winter is 09:30 UTC: within; read as UTC it would be outside.
    expect(madeWithin("2026-03-14T10:30:00", window)).toBe(true);
    expect(madeWithin("2026-03-14T11:30:00", window)).toBe(false);
    expect(madeWithin(undefined, window)).toBeUndefined();
  });
});
