/**
 * The code lists and administrative resources a fake FINT arkiv serves, shaped like the real archives'.
 *
 * Both adapters merge the Noark codes (fint-arkiv-case-defaults `noark-metadata.json`, system id = code) with the
 * archive's own table (fint-p360-rpc-arkiv-adapter and fint-sikri-arkiv-adapter `handler/noark/KodeverkHandler`),
 * so one code can be there twice. Public 360's own entries have its record numbers as system ids
 * (`BegrepMapper.mapValue`: systemId = recno, kode = code), its arkivdel and classification systems carry their
 * code as `tittel` (`ArkivdelFactory`, `KlassifikasjonssystemFactory`), and it has no arkivressurs list (no
 * handler for it). Elements uses its own code as both system id and code (Sikri `BegrepMapper`) and serves its
 * users as arkivressurs, linked to their initials (`ArkivressursFactory`). Which lists are merged follows each
 * `KodeverkHandler`. The record numbers and the archives' own codes here are made up; the shapes are not.
 */

export type FakeAdapter = "P360" | "ELEMENTS";

/** One entry as the fake holds it: `kode` for code lists, `tittel` for arkivdel and classification systems. */
export interface FakeCode {
  readonly systemId: string;
  readonly kode?: string;
  readonly tittel?: string;
  readonly navn?: string;
  /** arkivressurs: the user name its personalressurs link ends in. */
  readonly brukernavn?: string;
}

export const listPaths = {
  arkivdel: "arkiv/noark/arkivdel",
  administrativenhet: "arkiv/noark/administrativenhet",
  arkivressurs: "arkiv/noark/arkivressurs",
  klassifikasjonssystem: "arkiv/noark/klassifikasjonssystem",
  saksmappetype: "arkiv/kodeverk/saksmappetype",
  saksstatus: "arkiv/kodeverk/saksstatus",
  tilgangsgruppe: "arkiv/kodeverk/tilgangsgruppe",
  tilgangsrestriksjon: "arkiv/kodeverk/tilgangsrestriksjon",
  skjermingshjemmel: "arkiv/kodeverk/skjermingshjemmel",
  partrolle: "arkiv/kodeverk/partrolle",
  korrespondanseparttype: "arkiv/kodeverk/korrespondanseparttype",
  journalposttype: "arkiv/kodeverk/journalposttype",
  journalstatus: "arkiv/kodeverk/journalstatus",
  tilknyttetregistreringsom: "arkiv/kodeverk/tilknyttetregistreringsom",
  dokumentstatus: "arkiv/kodeverk/dokumentstatus",
  dokumenttype: "arkiv/kodeverk/dokumenttype",
  variantformat: "arkiv/kodeverk/variantformat",
  format: "arkiv/kodeverk/format",
} as const;

export type FakeListName = keyof typeof listPaths;

/** The Noark codes both adapters add (fint-arkiv-case-defaults `noark-metadata.json`). */
const noark: Partial<Record<FakeListName, Readonly<Record<string, string>>>> = {
  saksstatus: { B: "Under behandling", A: "Avsluttet", U: "Utgår", R: "Opprettet av saksbehandler" },
  journalstatus: { J: "Journalført", F: "Ferdigstilt fra saksbehandler", E: "Ekspedert", A: "Arkivert" },
  dokumentstatus: { B: "Dokumentet er under redigering", F: "Dokumentet er ferdigstilt" },
  journalposttype: {
    I: "Inngående dokument",
    U: "Utgående dokument",
    N: "Organinternt dokument for oppfølging",
    X: "Organinternt dokument uten oppfølging",
    S: "Saksframlegg",
  },
  dokumenttype: { B: "Brev", R: "Rundskriv", F: "Faktura", O: "Ordrebekreftelse" },
  korrespondanseparttype: {
    EA: "Avsender",
    EM: "Mottaker",
    EK: "Kopimottaker",
    GM: "Gruppemottaker",
    IA: "Intern avsender",
    IM: "Intern mottaker",
    IK: "Intern kopimottaker",
  },
  tilknyttetregistreringsom: { H: "Hoveddokument", V: "Vedlegg" },
  partrolle: { KLI: "Klient", PÅ: "Pårørende", FORM: "Formynder", ADV: "Advokat" },
  tilgangsrestriksjon: { UO: "Unntatt etter offentleglova", P: "Personalsaker", KL: "Klientsaker" },
  skjermingshjemmel: {
    "offl.13.fvl.13": "Offentleglova § 13 jfr. forvaltningsloven § 13, første ledd",
    "offl.26.1": "Offentleglova § 26, første ledd",
  },
  variantformat: {
    P: "Produksjonsformat",
    A: "Arkivformat",
    O: "Dokument hvor deler av innholdet er skjermet",
  },
};

/** Which Noark lists each adapter merges with its own (the rest are its own only). */
const merged: Readonly<Record<FakeAdapter, readonly FakeListName[]>> = {
  P360: [
    "dokumentstatus",
    "dokumenttype",
    "journalposttype",
    "journalstatus",
    "korrespondanseparttype",
    "partrolle",
    "tilknyttetregistreringsom",
    "variantformat",
    "format",
  ],
  ELEMENTS: [
    "dokumentstatus",
    "dokumenttype",
    "journalposttype",
    "journalstatus",
    "korrespondanseparttype",
    "partrolle",
    "saksstatus",
    "skjermingshjemmel",
    "tilgangsrestriksjon",
    "tilknyttetregistreringsom",
    "variantformat",
    "format",
  ],
};

const codes = (entries: Readonly<Record<string, [string, string]>>): FakeCode[] =>
  Object.entries(entries).map(([systemId, [kode, navn]]) => ({ systemId, kode, navn }));

/** Public 360's own tables: record numbers as system ids. */
const p360Own: Readonly<Record<FakeListName, readonly FakeCode[]>> = {
  arkivdel: [
    { systemId: "60005", tittel: "SAK" },
    { systemId: "60006", tittel: "EIENDOM" },
  ],
  administrativenhet: [
    { systemId: "215", navn: "Samferdsel" },
    { systemId: "216", navn: "Dokumentsenteret" },
  ],
  arkivressurs: [],
  klassifikasjonssystem: [
    { systemId: "1", tittel: "GBNR" },
    { systemId: "2", tittel: "ARKNOKKEL" },
    { systemId: "3", tittel: "FNR" },
  ],
  saksmappetype: codes({ "500": ["SAK", "Sak"], "501": ["PERS", "Personalsak"] }),
  saksstatus: codes({ "17": ["B", "Under behandling"], "18": ["A", "Avsluttet"] }),
  tilgangsgruppe: codes({ "600": ["Eiendom", "Eiendom"], "601": ["Alle", "Alle"] }),
  tilgangsrestriksjon: codes({ "300": ["13", "Taushetsplikt"], "301": ["26", "Personalsak"] }),
  skjermingshjemmel: codes({
    "400": ["offl.13.fvl.13", "Offl. § 13 jf. fvl. § 13"],
    "401": ["offl.26.1", "Offl. § 26 1. ledd"],
  }),
  partrolle: codes({ "700": ["GRUNNEIER", "Grunneier"] }),
  korrespondanseparttype: codes({
    "5": ["EA", "Avsender"],
    "6": ["EM", "Mottaker"],
    "7": ["EK", "Kopimottaker"],
  }),
  journalposttype: codes({
    "110": ["I", "Inngående"],
    "111": ["U", "Utgående"],
    "112": ["N", "Internt m/oppf."],
    "113": ["X", "Internt u/oppf."],
  }),
  journalstatus: codes({ "6": ["J", "Journalført"], "5": ["F", "Ferdig"], "4": ["E", "Ekspedert"] }),
  tilknyttetregistreringsom: codes({ "1": ["H", "Hoveddokument"], "2": ["V", "Vedlegg"] }),
  dokumentstatus: codes({ "2": ["F", "Ferdig"], "1": ["B", "Under arbeid"] }),
  dokumenttype: codes({ "800": ["BR", "Brev"] }),
  variantformat: codes({ "1": ["P", "Produksjonsformat"], "2": ["A", "Arkivformat"] }),
  format: codes({ "201": ["RA-PDF", "PDF"], "202": ["RA-TEKST", "Tekst"], "203": ["DOCX", "Word"] }),
};

/** Elements' own tables: its codes as system ids. */
const elementsOwn: Readonly<Record<FakeListName, readonly FakeCode[]>> = {
  arkivdel: [
    { systemId: "SAK", tittel: "Saksarkiv" },
    { systemId: "EIENDOM", tittel: "Eiendomsarkiv" },
  ],
  administrativenhet: [
    { systemId: "215", navn: "Samferdsel" },
    { systemId: "216", navn: "Dokumentsenteret" },
  ],
  arkivressurs: [
    { systemId: "10023", brukernavn: "KNO" },
    { systemId: "10024", brukernavn: "OLA" },
  ],
  klassifikasjonssystem: [
    { systemId: "GBNR", tittel: "Gårds- og bruksnummer" },
    { systemId: "ARKNOKKEL", tittel: "Arkivnøkkel" },
  ],
  saksmappetype: codes({ SAK: ["SAK", "Sak"] }),
  saksstatus: codes({ B: ["B", "Under behandling"], A: ["A", "Avsluttet"] }),
  // Elements has no access groups (no handler in fint-sikri-arkiv-adapter): an empty list.
  tilgangsgruppe: [],
  tilgangsrestriksjon: codes({ "13": ["13", "Taushetsplikt"] }),
  skjermingshjemmel: codes({ "offl.13.fvl.13": ["offl.13.fvl.13", "Offl. § 13 jf. fvl. § 13"] }),
  partrolle: codes({ GRUNNEIER: ["GRUNNEIER", "Grunneier"] }),
  korrespondanseparttype: codes({ EA: ["EA", "Avsender"], EM: ["EM", "Mottaker"] }),
  journalposttype: codes({
    I: ["I", "Inngående"],
    U: ["U", "Utgående"],
    N: ["N", "Notat"],
    X: ["X", "Notat u/oppf."],
  }),
  journalstatus: codes({ J: ["J", "Journalført"], F: ["F", "Ferdig"] }),
  tilknyttetregistreringsom: codes({ H: ["H", "Hoveddokument"], V: ["V", "Vedlegg"] }),
  dokumentstatus: codes({ F: ["F", "Ferdig"], B: ["B", "Under arbeid"] }),
  dokumenttype: codes({ B: ["B", "Brev"] }),
  variantformat: codes({ P: ["P", "Produksjonsformat"], A: ["A", "Arkivformat"] }),
  format: codes({ "RA-PDF": ["RA-PDF", "PDF"], DOCX: ["DOCX", "Word"] }),
};

/** Each list as the fake archive serves it: the Noark copy first where the adapter merges, then its own. */
export function archiveCodes(adapter: FakeAdapter): Record<FakeListName, FakeCode[]> {
  const own = adapter === "P360" ? p360Own : elementsOwn;
  const lists = {} as Record<FakeListName, FakeCode[]>;
  for (const list of Object.keys(listPaths) as FakeListName[]) {
    const common = merged[adapter].includes(list)
      ? Object.entries(noark[list] ?? {}).map(([kode, navn]) => ({ systemId: kode, kode, navn }))
      : [];
    lists[list] = [...common, ...own[list]];
  }
  return lists;
}
