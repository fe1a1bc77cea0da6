import type { Arkivsak, Journalpost } from "@flyt/schemas";
import { describe, expect, it } from "vitest";
import { normaliseCase, normaliseJournalPost } from "./apply-configuration";

const defaults = {
  arkivdel: "EIENDOM",
  administrativEnhet: "SAMFERDSEL",
  journalstatus: "J",
  saksstatus: "B",
  skjerming: { tilgangsrestriksjon: "13", skjermingshjemmel: "Offl. § 13" },
  klassering: [{ ordningsprinsipp: "GBNR", ordningsverdi: "-" }],
};
const conversions = { journalstatus: { ferdig: "F" }, administrativEnhet: { "veg-sor": "VEG-S" } };

const arkivsak: Arkivsak = {
  tittel: "Grunnerverv E39",
  offentligTittel: null,
  saksansvarlig: "kari",
  administrativEnhet: null,
  arkivdel: null,
  journalenhet: null,
  saksmappetype: null,
  saksstatus: "U",
  tilgangsgruppe: null,
  klassering: [],
  part: [],
  skjerming: null,
};

const post: Journalpost = {
  tittel: "Avtale",
  offentligTittel: null,
  journalposttype: "U",
  dokumentdato: "2026-11-20",
  journalstatus: "ferdig",
  saksbehandler: null,
  administrativEnhet: "veg-sor",
  journalenhet: null,
  skjerming: null,
  korrespondansepart: [],
  dokumenter: [],
};

describe("normaliseCase", () => {
  it("fills what the source system left out from the defaults and keeps what it sent", () => {
    expect(normaliseCase(arkivsak, defaults, conversions)).toEqual({
      ...arkivsak,
      arkivdel: "EIENDOM",
      administrativEnhet: "SAMFERDSEL",
      saksstatus: "U",
      skjerming: defaults.skjerming,
      klassering: [{ ordningsprinsipp: "GBNR", ordningsverdi: "-", beskrivelse: null }],
    });
  });

  it("keeps the source system's own classification instead of the default", () => {
    const klassering = [{ ordningsprinsipp: "GBNR", ordningsverdi: "12/4", beskrivelse: null }];
    expect(normaliseCase({ ...arkivsak, klassering }, defaults, conversions).klassering).toEqual(klassering);
  });
});

describe("normaliseJournalPost", () => {
  it("converts source codes to archive codes after applying defaults, leaving unknown codes as sent", () => {
    expect(normaliseJournalPost(post, defaults, conversions)).toMatchObject({
      journalstatus: "F",
      administrativEnhet: "VEG-S",
      skjerming: defaults.skjerming,
    });
    expect(normaliseJournalPost({ ...post, journalstatus: "R" }, defaults, conversions).journalstatus).toBe(
      "R",
    );
    expect(normaliseJournalPost({ ...post, journalstatus: null }, defaults, conversions).journalstatus).toBe(
      "J",
    );
  });

  it("does not treat inherited object keys as conversion entries", () => {
    expect(
      normaliseJournalPost({ ...post, journalstatus: "toString" }, defaults, conversions).journalstatus,
    ).toBe("toString");
  });
});
