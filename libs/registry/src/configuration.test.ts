import { describe, expect, it } from "vitest";
import { parseConfiguration } from "./configuration";
import { landAcquisitionConfiguration } from "./configuration.fixtures";

describe("parseConfiguration", () => {
  it("accepts a complete configuration as it is", () => {
    expect(parseConfiguration(landAcquisitionConfiguration)).toEqual({
      ok: true,
      configuration: landAcquisitionConfiguration,
    });
  });

  it("reads a version written before fields could be fixed or access opened: nothing fixed, own cases only", () => {
    const { fixedFields: _fixed, caseAccess: _access, ...older } = landAcquisitionConfiguration;
    expect(parseConfiguration(older)).toEqual({
      ok: true,
      configuration: { ...older, fixedFields: [], caseAccess: { scope: "OWN_CASES" } },
    });
  });

  it("fixes only fields the defaults give a value, and searches opened archive sections only by arkivdel", () => {
    const result = parseConfiguration({
      ...landAcquisitionConfiguration,
      fixedFields: ["arkivdel", "saksansvarlig", "saksbehandler"],
      caseMode: { mode: "BY_SEARCH_OR_NEW", searchCriteria: ["klassering"] },
      caseAccess: { scope: "ARCHIVE_SECTIONS", arkivdeler: [] },
    });
    const issues = result.ok ? [] : result.issues.map((issue) => `${issue.pointer} ${issue.code}`).sort();
    expect(issues).toEqual(["/caseAccess/arkivdeler too-small", "/fixedFields/2 invalid-value"]);
    const second = parseConfiguration({
      ...landAcquisitionConfiguration,
      fixedFields: ["arkivdel", "saksansvarlig"],
      caseMode: { mode: "BY_SEARCH_OR_NEW", searchCriteria: ["klassering"] },
      caseAccess: { scope: "ARCHIVE_SECTIONS", arkivdeler: ["SAK"] },
    });
    expect(second.ok ? [] : second.issues.map((issue) => `${issue.pointer} ${issue.code}`).sort()).toEqual([
      "/caseMode/searchCriteria custom",
      "/fixedFields/1 custom",
    ]);
  });

  it("reports every problem at once, each with a code and a JSON pointer", () => {
    const result = parseConfiguration({
      ...landAcquisitionConfiguration,
      archiveDefaults: { arkivdel: " ", journalstaus: "J" },
      caseMode: { mode: "BY_SEARCH_OR_NEW", searchCriteria: ["tittel", "tittel"] },
      documentRules: { allowedMimeTypes: ["pdf"], maxFileBytes: 0, exactlyOneMainDocument: true },
      valueConversions: { "journal/status": { ferdig: "J" } },
    });
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues.map((issue) => `${issue.pointer} ${issue.code}`).sort();
    expect(issues).toEqual([
      "/archiveDefaults/arkivdel too-small",
      "/archiveDefaults/journalstaus unknown-field",
      "/caseMode/searchCriteria custom",
      "/documentRules/allowedMimeTypes/0 invalid-format",
      "/documentRules/maxFileBytes too-small",
      "/valueConversions/journal~1status unknown-field",
    ]);
  });

  it("requires search criteria only for search-or-new, and refuses unknown case modes", () => {
    expect(parseConfiguration({ ...landAcquisitionConfiguration, caseMode: { mode: "NEW" } }).ok).toBe(true);
    const unknown = parseConfiguration({ ...landAcquisitionConfiguration, caseMode: { mode: "BY_TITLE" } });
    expect(unknown.ok ? [] : unknown.issues.map((issue) => issue.pointer)).toEqual(["/caseMode/mode"]);
    const noCriteria = parseConfiguration({
      ...landAcquisitionConfiguration,
      caseMode: { mode: "BY_SEARCH_OR_NEW" },
    });
    expect(noCriteria.ok ? [] : noCriteria.issues.map((issue) => issue.pointer)).toEqual([
      "/caseMode/searchCriteria",
    ]);
  });
});
