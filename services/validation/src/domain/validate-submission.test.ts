import { describe, expect, it } from "vitest";
import {
  arkivsak,
  configuration,
  journalpost,
  PDF_HEAD,
  pdfDocument,
  receivedCase,
  receivedJournalPosts,
} from "./submission.fixtures";
import { validateSubmission } from "./validate-submission";

const FILE = "file_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9C";
const heads = new Map([[FILE, PDF_HEAD]]);
const CASE_SUBMISSION = "sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9D";

describe("validateSubmission", () => {
  it("normalises a valid case: defaults filled, codes converted, a new case", () => {
    const received = receivedCase();
    const submission = {
      ...received,
      journalPosts: [journalpost(FILE, { journalstatus: "ferdig" })],
    };
    const decision = validateSubmission({ submission, configuration, fileHeads: heads });
    expect(decision).toEqual({
      outcome: "validated",
      request: {
        caseMode: "NEW",
        caseRef: null,
        searchCriteria: {},
        caseAccess: { scope: "OWN_CASES", arkivdeler: [] },
        case: { ...arkivsak(), arkivdel: "EIENDOM", administrativEnhet: "SAMFERDSEL", saksstatus: "B" },
        journalPosts: [
          journalpost(FILE, { journalstatus: "J", administrativEnhet: "SAMFERDSEL", skjerming: null }),
        ],
      },
    });
  });

  it("reports every problem at once, each with a code and a pointer into the payload", () => {
    const submission = {
      ...receivedCase(),
      case: arkivsak({ klassering: [] }),
      journalPosts: [
        journalpost(FILE, { journalstatus: "arkivert" }),
        journalpost("file_missing", {
          journalposttype: "U",
          korrespondansepart: [],
          dokumenter: [
            pdfDocument("file_missing", { tilknyttetRegistreringSom: "V" }),
            pdfDocument(FILE, {
              tilknyttetRegistreringSom: "V",
              file: { ...pdfDocument(FILE).file, mimeType: "image/png", sizeBytes: 11 * 1024 * 1024 },
            }),
          ],
        }),
      ],
    };
    const noDefaults = {
      ...configuration,
      archiveDefaults: { arkivdel: "EIENDOM" },
    };
    const decision = validateSubmission({ submission, configuration: noDefaults, fileHeads: heads });
    expect(decision.outcome).toBe("rejected");
    const found = decision.outcome === "rejected" ? decision.errors.map((e) => `${e.code} ${e.pointer}`) : [];
    expect(found.sort()).toEqual(
      [
        "unknown-code /journalPosts/0/journalstatus",
        "missing-required-field /case/administrativEnhet",
        "missing-required-field /case/saksstatus",
        "missing-required-field /case/klassering",
        "missing-required-field /journalPosts/1/journalstatus",
        "missing-correspondent /journalPosts/1/korrespondansepart",
        "no-main-document /journalPosts/1/dokumenter",
        "file-unreadable /journalPosts/1/dokumenter/0",
        "file-too-large /journalPosts/1/dokumenter/1",
        "content-does-not-match-type /journalPosts/1/dokumenter/1",
      ].sort(),
    );
  });

  it("accepts an archive code where a conversion table exists, not only the source system's code", () => {
    const submission = { ...receivedCase(), journalPosts: [journalpost(FILE, { journalstatus: "R" })] };
    const decision = validateSubmission({ submission, configuration, fileHeads: heads });
    expect(decision.outcome === "validated" && decision.request.journalPosts[0]?.journalstatus).toBe("R");
  });

  describe("search-or-new", () => {
    const searching = {
      ...configuration,
      caseMode: {
        mode: "BY_SEARCH_OR_NEW" as const,
        searchCriteria: ["arkivdel" as const, "klassering" as const],
      },
    };

    it("gives the archive adapter the normalised case's values of the configured criteria", () => {
      const decision = validateSubmission({
        submission: receivedCase(),
        configuration: searching,
        fileHeads: heads,
      });
      expect(decision.outcome === "validated" && decision.request).toMatchObject({
        caseMode: "BY_SEARCH_OR_NEW",
        searchCriteria: {
          arkivdel: "EIENDOM",
          "klassering.ordningsprinsipp": "GBNR",
          "klassering.ordningsverdi": "12/4",
        },
      });
    });

    describe("in whole archive sections the county opened to the integration", () => {
      const inSections = {
        ...searching,
        caseAccess: { scope: "ARCHIVE_SECTIONS" as const, arkivdeler: ["EIENDOM", "SAK"] },
      };

      it("searches a section it may, and tells the adapter how far it may reach", () => {
        const decision = validateSubmission({
          submission: receivedCase(),
          configuration: inSections,
          fileHeads: heads,
        });
        expect(decision.outcome === "validated" && decision.request.caseAccess).toEqual({
          scope: "ARCHIVE_SECTIONS",
          arkivdeler: ["EIENDOM", "SAK"],
        });
      });

      it("refuses to search a section it may not, before anything is searched", () => {
        const decision = validateSubmission({
          submission: { ...receivedCase(), case: arkivsak({ arkivdel: "PERSONAL" }) },
          configuration: inSections,
          fileHeads: heads,
        });
        expect(decision).toEqual({
          outcome: "rejected",
          errors: [expect.objectContaining({ code: "arkivdel-not-searchable", pointer: "/case/arkivdel" })],
        });
      });
    });

    it("rejects a case without a value for a criterion", () => {
      const byTitleAndType = {
        ...searching,
        caseMode: { mode: "BY_SEARCH_OR_NEW" as const, searchCriteria: ["saksmappetype" as const] },
      };
      const decision = validateSubmission({
        submission: receivedCase(),
        configuration: byTitleAndType,
        fileHeads: heads,
      });
      expect(decision).toMatchObject({
        outcome: "rejected",
        errors: [{ code: "missing-search-value", pointer: "/case/saksmappetype" }],
      });
    });
  });

  describe("fields the integration fixes", () => {
    const fixingSection = {
      ...configuration,
      archiveDefaults: { ...configuration.archiveDefaults, journalstatus: "ferdig" },
      fixedFields: ["arkivdel" as const, "journalstatus" as const],
    };

    it("accepts a submission that leaves them out or sends the fixed value (or a code converted to it)", () => {
      const submission = {
        ...receivedCase(),
        case: arkivsak({ arkivdel: "EIENDOM" }),
        journalPosts: [
          journalpost(FILE, { journalstatus: "J" }),
          journalpost(FILE, { journalstatus: "ferdig" }),
        ],
      };
      const decision = validateSubmission({ submission, configuration: fixingSection, fileHeads: heads });
      expect(decision.outcome).toBe("validated");
      expect(decision.outcome === "validated" && decision.request.case?.arkivdel).toBe("EIENDOM");
    });

    it("rejects every other value, each with its pointer, whatever the rest says", () => {
      const submission = {
        ...receivedCase(),
        case: arkivsak({ arkivdel: "ELEV" }),
        journalPosts: [journalpost(FILE), journalpost(FILE, { journalstatus: "utkast" })],
      };
      const decision = validateSubmission({ submission, configuration: fixingSection, fileHeads: heads });
      expect(decision).toEqual({
        outcome: "rejected",
        errors: [
          {
            code: "field-fixed-by-integration",
            pointer: "/case/arkivdel",
            detail: 'This integration sets arkivdel to "EIENDOM"; leave it out or send that value.',
          },
          expect.objectContaining({
            code: "field-fixed-by-integration",
            pointer: "/journalPosts/1/journalstatus",
          }),
        ],
      });
    });
  });

  it("rejects a new case for an integration that only adds to existing cases", () => {
    const byId = { ...configuration, caseMode: { mode: "BY_ID" as const } };
    const decision = validateSubmission({
      submission: receivedCase(),
      configuration: byId,
      fileHeads: heads,
    });
    expect(decision).toMatchObject({ outcome: "rejected", errors: [{ code: "case-mode-mismatch" }] });
  });

  describe("journal posts to an existing case", () => {
    it("go to a case number as it is, within the integration's reach", () => {
      const decision = validateSubmission({
        submission: receivedJournalPosts("2026/123"),
        configuration,
        fileHeads: heads,
      });
      expect(decision.outcome === "validated" && decision.request).toMatchObject({
        caseMode: "BY_ID",
        caseRef: "2026/123",
        case: null,
        caseAccess: { scope: "OWN_CASES", arkivdeler: [] },
      });
    });

    it("go to a case submission of the same county that was validated", () => {
      const submission = receivedJournalPosts(CASE_SUBMISSION);
      const validated = validateSubmission({
        submission,
        configuration,
        fileHeads: heads,
        referencedCase: "VALIDATED",
      });
      expect(validated.outcome === "validated" && validated.request.caseRef).toBe(CASE_SUBMISSION);
    });

    it.each([
      ["REJECTED", CASE_SUBMISSION, "case-submission-rejected"],
      ["ANOTHER_SOURCE_APPLICATIONS", CASE_SUBMISSION, "unknown-case-reference"],
      [undefined, CASE_SUBMISSION, "unknown-case-reference"],
      [undefined, "sak-123", "invalid-case-reference"],
      [undefined, "2026-123", "invalid-case-reference"],
    ] as const)("are rejected when the referenced case is %s (%s)", (referencedCase, caseRef, code) => {
      const decision = validateSubmission({
        submission: receivedJournalPosts(caseRef),
        configuration,
        fileHeads: heads,
        ...(referencedCase ? { referencedCase } : {}),
      });
      expect(decision).toEqual({
        outcome: "rejected",
        errors: [expect.objectContaining({ code, pointer: "/caseRef" })],
      });
    });
  });
});
