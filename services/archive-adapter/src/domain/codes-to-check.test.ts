import type { IntegrationConfiguration } from "@flyt/registry/configuration";
import { describe, expect, it } from "vitest";
import { codesToCheck } from "./codes-to-check";

const configuration = (overrides: Partial<IntegrationConfiguration> = {}): IntegrationConfiguration => ({
  destinationId: "vestland-elements",
  archiveDefaults: {
    arkivdel: "SAK",
    administrativEnhet: "215",
    journalstatus: "J",
    skjerming: { tilgangsrestriksjon: "13", skjermingshjemmel: "Offl. § 13" },
    klassering: [{ ordningsprinsipp: "GBNR", ordningsverdi: "12/4" }],
  },
  fixedFields: [],
  caseMode: { mode: "NEW" },
  caseAccess: { scope: "OWN_CASES" },
  documentRules: { allowedMimeTypes: ["application/pdf"], maxFileBytes: 1_000, exactlyOneMainDocument: true },
  valueConversions: { journalstatus: { ferdig: "J", utkast: "R" } },
  ...overrides,
});

describe("codesToCheck", () => {
  it("lists every configured archive value once, with the integrations and drafts that use it", () => {
    const codes = codesToCheck([
      { integrationId: "egrunnerverv-sak", version: 3, configuration: configuration() },
      {
        integrationId: "vigo-ny-soker",
        version: null,
        configuration: configuration({
          archiveDefaults: { arkivdel: "ELEV", journalstatus: "J" },
          documentRules: {
            allowedMimeTypes: ["application/pdf", "image/png"],
            maxFileBytes: 1_000,
            exactlyOneMainDocument: true,
          },
          valueConversions: {},
        }),
      },
    ]);
    expect(codes.map(({ field, value, usedBy }) => `${field}=${value} ${usedBy.join(",")}`)).toEqual([
      "administrativEnhet=215 egrunnerverv-sak",
      "arkivdel=ELEV vigo-ny-soker (draft)",
      "arkivdel=SAK egrunnerverv-sak",
      "journalstatus=J egrunnerverv-sak,vigo-ny-soker (draft)",
      "journalstatus=R egrunnerverv-sak",
      "klassifikasjonssystem=GBNR egrunnerverv-sak",
      "mimeType=application/pdf egrunnerverv-sak,vigo-ny-soker (draft)",
      "mimeType=image/png vigo-ny-soker (draft)",
      "skjermingshjemmel=Offl. § 13 egrunnerverv-sak",
      "tilgangsrestriksjon=13 egrunnerverv-sak",
    ]);
  });
});
