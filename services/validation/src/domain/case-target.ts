import type { IntegrationConfiguration } from "@flyt/registry/configuration";
import type { Arkivsak, CaseAccess, CaseMode, SubmissionKind, ValidationError } from "@flyt/schemas";
import { CASE_NUMBER } from "@flyt/schemas";

/**
 * What became of the case submission that journal posts refer to, as this service decided it; or that it is
 * another source application's, which is for journal posts as if it did not exist. (The gateway accepts journal
 * posts only to a case submission of their own source application it accepted, so one not decided yet is waited
 * for, never rejected: see the handler.)
 */
export type ReferencedCase = "VALIDATED" | "REJECTED" | "ANOTHER_SOURCE_APPLICATIONS";

/** How the archive adapter finds or creates the submission's case. */
export interface CaseTarget {
  readonly caseMode: CaseMode;
  readonly caseRef: string | null;
  readonly searchCriteria: Record<string, string>;
  /** Which existing cases the adapter may file it into: the integration's, checked before any search or write. */
  readonly caseAccess: CaseAccess;
}

/** The id of a submission, `sub_` and a ULID. */
export const SUBMISSION_ID = /^sub_[0-9A-Z]{26}$/;

/**
 * The case target of a submission, or why there is none. A case submission follows the integration's case mode
 * (search criteria take their values from the normalised case); journal posts always go to the case they name,
 * which must be a case number or a case submission of the same source application that was not rejected.
 */
export function caseTarget(
  kind: SubmissionKind,
  caseRef: string | null,
  normalisedCase: Arkivsak | null,
  configuration: Pick<IntegrationConfiguration, "caseMode" | "caseAccess">,
  referencedCase: ReferencedCase | undefined,
): { ok: true; target: CaseTarget } | { ok: false; errors: readonly ValidationError[] } {
  const caseAccess = toCaseAccess(configuration.caseAccess);
  if (kind === "JOURNAL_POSTS") return journalPostTarget(caseRef, referencedCase, caseAccess);
  if (!normalisedCase) return failure("missing-case", "/case", "A case submission needs a case.");
  const { caseMode } = configuration;
  switch (caseMode.mode) {
    case "NEW":
      return { ok: true, target: { caseMode: "NEW", caseRef: null, searchCriteria: {}, caseAccess } };
    case "BY_ID":
      return failure(
        "case-mode-mismatch",
        "/case",
        "This integration adds journal posts to existing cases only: send them to /api/v1/cases/{caseRef}/journal-posts.",
      );
    case "BY_SEARCH_OR_NEW": {
      const criteria: Record<string, string> = {};
      const errors: ValidationError[] = [];
      for (const criterion of caseMode.searchCriteria) {
        if (criterion === "klassering") {
          const primary = normalisedCase.klassering[0];
          if (primary) {
            criteria["klassering.ordningsprinsipp"] = primary.ordningsprinsipp;
            criteria["klassering.ordningsverdi"] = primary.ordningsverdi;
          } else errors.push(missingSearchValue(criterion));
          continue;
        }
        const value = normalisedCase[criterion];
        if (value) criteria[criterion] = value;
        else errors.push(missingSearchValue(criterion));
      }
      const section = criteria.arkivdel;
      if (caseAccess.scope === "ARCHIVE_SECTIONS" && section && !caseAccess.arkivdeler.includes(section)) {
        errors.push({
          code: "arkivdel-not-searchable",
          pointer: "/case/arkivdel",
          detail: `This integration may search for cases in ${caseAccess.arkivdeler.join(", ")} only, not in ${section}.`,
        });
      }
      return errors.length > 0
        ? { ok: false, errors }
        : {
            ok: true,
            target: { caseMode: "BY_SEARCH_OR_NEW", caseRef: null, searchCriteria: criteria, caseAccess },
          };
    }
  }
}

function journalPostTarget(
  caseRef: string | null,
  referencedCase: ReferencedCase | undefined,
  caseAccess: CaseAccess,
): ReturnType<typeof caseTarget> {
  const target = {
    ok: true,
    target: { caseMode: "BY_ID", caseRef, searchCriteria: {}, caseAccess },
  } as const;
  if (caseRef !== null && CASE_NUMBER.test(caseRef)) return target;
  if (caseRef === null || !SUBMISSION_ID.test(caseRef)) {
    return failure(
      "invalid-case-reference",
      "/caseRef",
      `${JSON.stringify(caseRef)} is neither a case number (2026/123) nor the id of a case submission.`,
    );
  }
  if (referencedCase === "VALIDATED") return target;
  if (referencedCase === "REJECTED") {
    return failure(
      "case-submission-rejected",
      "/caseRef",
      `Case submission ${caseRef} was rejected, so there is no case to add journal posts to.`,
    );
  }
  return failure(
    "unknown-case-reference",
    "/caseRef",
    `No case submission ${caseRef} of this source application.`,
  );
}

/** The configuration's access as the validated event carries it. */
function toCaseAccess(access: IntegrationConfiguration["caseAccess"]): CaseAccess {
  return access.scope === "ARCHIVE_SECTIONS"
    ? { scope: "ARCHIVE_SECTIONS", arkivdeler: [...access.arkivdeler] }
    : { scope: "OWN_CASES", arkivdeler: [] };
}

function missingSearchValue(criterion: string): ValidationError {
  return {
    code: "missing-search-value",
    pointer: `/case/${criterion}`,
    detail: `This integration finds existing cases by ${criterion}; the case has none, and no default gives one.`,
  };
}

function failure(
  code: string,
  pointer: string,
  detail: string,
): { ok: false; errors: readonly ValidationError[] } {
  return { ok: false, errors: [{ code, pointer, detail }] };
}
