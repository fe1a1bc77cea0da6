import { describe, expect, it } from "vitest";
import { type CodeEntry, resolveIn, toCodeEntries, unresolvedReason } from "./code-lists";

const BASE = "https://api.felleskomponent.no/arkiv/kodeverk/journalposttype";

/** A code list answer as FINT gives it: a Public 360 list with the Noark codes merged in. */
const journalposttype = toCodeEntries({
  _embedded: {
    _entries: [
      {
        systemId: { identifikatorverdi: "I" },
        kode: "I",
        navn: "Inngående",
        _links: { self: [{ href: `${BASE}/systemid/I` }] },
      },
      {
        systemId: { identifikatorverdi: "U" },
        kode: "U",
        navn: "Utgående",
        _links: { self: [{ href: `${BASE}/systemid/U` }] },
      },
      {
        systemId: { identifikatorverdi: "110" },
        kode: "I",
        navn: "Inngående",
        _links: { self: [{ href: `${BASE}/systemid/110` }] },
      },
      {
        systemId: { identifikatorverdi: "X" },
        kode: "X",
        _links: { self: [{ href: `${BASE}/systemid/X` }] },
      },
      // Elements: its own entry has the code as system id too, so it is the same link as the Noark copy.
      {
        systemId: { identifikatorverdi: "X" },
        kode: "X",
        _links: { self: [{ href: `${BASE}/systemid/X` }] },
      },
      { kode: "N", _links: { self: [{ href: `${BASE}/systemid/N` }] } },
    ],
  },
} as never);

const entry = (systemId: string, codes: string[], own = true): CodeEntry => ({
  systemId,
  codes,
  navn: undefined,
  links: [`${BASE}/systemid/${systemId}`],
  own,
});

describe("toCodeEntries", () => {
  it("reads each entry's system id, codes and self links, and which are the archive's own", () => {
    expect(journalposttype.map(({ systemId, own }) => [systemId, own])).toEqual([
      ["I", false],
      ["U", false],
      ["110", true],
      ["X", false],
      ["X", false],
    ]);
    expect(journalposttype[2]?.links).toEqual([`${BASE}/systemid/110`]);
  });

  it("knows arkivdel and classification systems by their title, people by source id and user name", () => {
    const [arkivdel, person] = toCodeEntries({
      _embedded: {
        _entries: [
          {
            systemId: { identifikatorverdi: "60005" },
            tittel: "SAK",
            _links: { self: [{ href: "https://f/arkivdel/systemid/60005" }] },
          },
          {
            systemId: { identifikatorverdi: "10023" },
            kildesystemId: { identifikatorverdi: "k-1" },
            _links: {
              self: [
                { href: "https://f/arkivressurs/kildesystemid/k-1" },
                { href: "https://f/arkivressurs/systemid/10023" },
              ],
              personalressurs: [{ href: "https://f/administrasjon/personal/personalressurs/brukernavn/KNO" }],
            },
          },
        ],
      },
    } as never);
    expect(arkivdel?.codes).toEqual(["SAK"]);
    expect(person?.codes).toEqual(["k-1", "KNO"]);
    expect(person?.links[0]).toBe("https://f/arkivressurs/kildesystemid/k-1");
  });
});

describe("resolveIn", () => {
  it("takes the archive's own entry over the Noark copy of the same code", () => {
    expect(resolveIn(journalposttype, "I")).toMatchObject({ href: `${BASE}/systemid/110` });
    expect(resolveIn(journalposttype, "110")).toMatchObject({ href: `${BASE}/systemid/110` });
  });

  it("takes a code found once, and two entries behind one link as one", () => {
    expect(resolveIn(journalposttype, "U")).toMatchObject({ href: `${BASE}/systemid/U` });
    expect(resolveIn(journalposttype, "X")).toMatchObject({ href: `${BASE}/systemid/X` });
  });

  it("keeps a configured link as it is when an entry has it", () => {
    expect(resolveIn(journalposttype, `${BASE}/systemid/U`)).toMatchObject({ href: `${BASE}/systemid/U` });
    expect(resolveIn(journalposttype, `${BASE}/systemid/999`)).toMatchObject({
      found: undefined,
      why: "unknown",
    });
  });

  it("never guesses between two entries of the archive's own", () => {
    const twice = [entry("500", ["SAK"]), entry("502", ["SAK"]), entry("SAK", ["SAK"], false)];
    expect(resolveIn(twice, "SAK")).toMatchObject({ found: undefined, why: "ambiguous" });
    expect(resolveIn(twice, "502")).toMatchObject({ href: `${BASE}/systemid/502` });
  });

  it("says why a value cannot be linked, in words an archivist can act on", () => {
    const unknown = resolveIn(journalposttype, "Q");
    const ambiguous = resolveIn([entry("500", ["SAK"]), entry("502", ["SAK"])], "SAK");
    if (unknown.found || ambiguous.found) throw new Error("expected no entry");
    expect(unresolvedReason("journalposttype", "Q", "journalposttype", unknown)).toBe(
      'the archive has no journalposttype "Q" (not a system id, code or link in /arkiv/kodeverk/journalposttype); configure one it has',
    );
    expect(unresolvedReason("saksmappetype", "SAK", "saksmappetype", ambiguous)).toBe(
      'saksmappetype "SAK" names several entries of /arkiv/kodeverk/saksmappetype (system ids 500, 502); configure the system id or link of the one meant',
    );
  });
});
