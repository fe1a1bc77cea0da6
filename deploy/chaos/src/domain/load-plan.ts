import type { Scenario, TerminalStatus } from "./observations";

/** The demo county's source applications the load comes from (each has a `demo-<id>-test` client). */
export const SOURCE_APPLICATIONS = ["egrunnerverv", "hmsreg", "vigo", "acos-interact"] as const;
export type SourceApplication = (typeof SOURCE_APPLICATIONS)[number];

/** `%PDF-1.7 ...` and an HTML page, base64: a valid main document and one that lies about its type. */
const PDF = "JVBERi0xLjcKJSBGbHl0IGNoYW9zCg==";
const HTML = "PCFkb2N0eXBlIGh0bWw+PHRpdGxlPk5vdCBhIFBERjwvdGl0bGU+";

const journalPost = (tittel: string, extra: object = {}) => ({
  tittel,
  journalposttype: "I",
  korrespondansepart: [{ korrespondanseparttype: "avsender", navn: "Kari Hansen" }],
  dokumenter: [
    {
      tittel: `${tittel} (signert)`,
      tilknyttetRegistreringSom: "H",
      filnavn: "dokument.pdf",
      mimeType: "application/pdf",
      innhold: PDF,
    },
  ],
  ...extra,
});

/** One POST the load sends, and what the submission it makes must end as. */
export interface PlannedPost {
  readonly scenario: Scenario;
  readonly sourceApplication: SourceApplication;
  /** `/api/v1/cases`, or `/api/v1/cases/{caseRef}/journal-posts` with `{caseRef}` filled in when sent. */
  readonly path: "cases" | "journal-posts";
  readonly body: { readonly integrationId: string; readonly sourceInstanceId: string } & Record<
    string,
    unknown
  >;
  readonly expectedStatus: TerminalStatus;
  readonly caseGroup?: string;
}

/**
 * What one load action sends: posts sent one after another (`sequence`), or copies sent at once (`parallel`);
 * `copies` > 1 sends each post that many times (concurrently, or again after a pause for a repeat), with an
 * `Idempotency-Key` when `idempotencyKey` is set.
 */
export interface LoadAction {
  readonly kind: "sequence" | "parallel";
  readonly posts: readonly PlannedPost[];
  readonly copies: number;
  readonly idempotencyKey?: string;
  /** For a repeat: send the copy again this long after the first was answered. */
  readonly repeatAfterMs?: number;
}

/** The cycle of actions, ≈1.4 submissions each: every shape of load in turn, from four source applications. */
const CYCLE = [
  "one-step",
  "two-step",
  "hmsreg-pair",
  "rejected",
  "vigo-pair",
  "concurrent-copies",
  "repeat",
] as const;

/** The `n`th action of the run; `tag` makes its source instance ids unique to this run and action. */
export function plannedAction(n: number, tag: string): LoadAction {
  const id = `CHAOS-${tag}-${n}`;
  const shape = CYCLE[n % CYCLE.length] as (typeof CYCLE)[number];
  switch (shape) {
    case "one-step":
      return { kind: "sequence", copies: 1, posts: [eGrunnervervCase("one-step", id, true)] };
    case "two-step":
      return {
        kind: "sequence",
        copies: 1,
        posts: [
          eGrunnervervCase("two-step-case", id, false, id),
          {
            scenario: "two-step-posts",
            sourceApplication: "egrunnerverv",
            path: "journal-posts",
            body: {
              integrationId: "egrunnerverv-journalpost",
              sourceInstanceId: `${id}-DOC`,
              journalPosts: [journalPost("Skjøte")],
            },
            expectedStatus: "ARCHIVED",
            caseGroup: id,
          },
        ],
      };
    case "hmsreg-pair":
      return { kind: "parallel", copies: 1, posts: [0, 1].map((i) => searchOrNew("hmsreg", id, i)) };
    case "vigo-pair":
      return { kind: "parallel", copies: 1, posts: [0, 1].map((i) => searchOrNew("vigo", id, i)) };
    case "rejected":
      return {
        kind: "sequence",
        copies: 1,
        posts: [
          {
            scenario: "rejected",
            sourceApplication: "acos-interact",
            path: "cases",
            // No classification, an unknown journal status, HTML declared as a PDF, and no correspondent.
            body: {
              integrationId: "acos-skjematjenesten",
              sourceInstanceId: id,
              case: { tittel: "Søknad uten klassering" },
              journalPosts: [
                {
                  ...journalPost("Søknad", { journalstatus: "arkivert", korrespondansepart: [] }),
                  dokumenter: [
                    {
                      tittel: "Søknad",
                      tilknyttetRegistreringSom: "H",
                      filnavn: "soknad.pdf",
                      mimeType: "application/pdf",
                      innhold: HTML,
                    },
                  ],
                },
              ],
            },
            expectedStatus: "REJECTED",
          },
        ],
      };
    case "concurrent-copies":
      return {
        kind: "parallel",
        copies: 3,
        idempotencyKey: `key-${id}`,
        posts: [acosCase("concurrent-copies", id)],
      };
    case "repeat":
      return { kind: "sequence", copies: 2, repeatAfterMs: 2_000, posts: [acosCase("repeat", id)] };
  }
}

function eGrunnervervCase(
  scenario: Scenario,
  id: string,
  withPost: boolean,
  caseGroup?: string,
): PlannedPost {
  return {
    scenario,
    sourceApplication: "egrunnerverv",
    path: "cases",
    body: {
      integrationId: "egrunnerverv-sak",
      sourceInstanceId: id,
      case: {
        tittel: `Erverv av grunn ${id}`,
        klassering: [{ ordningsprinsipp: "GBNR", ordningsverdi: "12/4" }],
      },
      ...(withPost ? { journalPosts: [journalPost("Kjøpekontrakt")] } : {}),
    },
    expectedStatus: "ARCHIVED",
    ...(caseGroup ? { caseGroup } : {}),
  };
}

function acosCase(scenario: Scenario, id: string): PlannedPost {
  return {
    scenario,
    sourceApplication: "acos-interact",
    path: "cases",
    body: {
      integrationId: "acos-skjematjenesten",
      sourceInstanceId: id,
      case: {
        tittel: `Søknad ${id}`,
        klassering: [{ ordningsprinsipp: "ORGNR", ordningsverdi: "974760673" }],
      },
      journalPosts: [journalPost("Søknad")],
    },
    expectedStatus: "ARCHIVED",
  };
}

/** Two submissions with the same criteria at once: one finds or makes the case, the other must find it. */
function searchOrNew(application: "hmsreg" | "vigo", id: string, index: number): PlannedPost {
  const integrationId = application === "hmsreg" ? "hmsreg-arkivering" : "vigo-soknad-til-arkivet";
  const principle = application === "hmsreg" ? "ORGNR" : "FNR";
  return {
    scenario: "search-or-new",
    sourceApplication: application,
    path: "cases",
    body: {
      integrationId,
      sourceInstanceId: `${id}-${index}`,
      case: {
        tittel: `Mappe ${id}`,
        klassering: [{ ordningsprinsipp: principle, ordningsverdi: id }],
      },
      journalPosts: [journalPost(`Dokument ${index}`)],
    },
    expectedStatus: "ARCHIVED",
    caseGroup: id,
  };
}
