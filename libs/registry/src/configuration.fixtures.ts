/** A plausible configuration for eGrunnerverv land acquisition cases (tests). */
export const landAcquisitionConfiguration = {
  destinationId: "demo-simulator",
  archiveDefaults: {
    arkivdel: "SAK",
    administrativEnhet: "215",
    journalenhet: "SENTRAL",
    tilgangsgruppe: "Eiendom",
    skjerming: { tilgangsrestriksjon: "13", skjermingshjemmel: "Offl. § 13, jf. fvl. § 13" },
    klassering: [{ ordningsprinsipp: "GBNR", ordningsverdi: "12/4" }],
    saksmappetype: "SAK",
    saksstatus: "B",
    journalstatus: "J",
    dokumentstatus: "F",
  },
  fixedFields: ["arkivdel"],
  caseMode: { mode: "BY_SEARCH_OR_NEW", searchCriteria: ["arkivdel", "klassering"] },
  caseAccess: { scope: "OWN_CASES" },
  documentRules: {
    allowedMimeTypes: ["application/pdf", "image/png"],
    maxFileBytes: 50 * 1024 * 1024,
    exactlyOneMainDocument: true,
  },
  valueConversions: { journalstatus: { ferdig: "J", utkast: "R" } },
};
