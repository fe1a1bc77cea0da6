import { ArchiveRefusedError } from "../archive-errors";
import type { CheckedField, CheckStep, CodeToCheck, DriverCheck } from "../destination-check";
import { type CodeListName, codeListPaths, type Relation, relationLists } from "./code-lists";
import type { FintCodes } from "./fint-codes";
import type { FintAdapter } from "./fint-options";
import type { DocumentCodes } from "./journalpost-mapping";
import type { TokenCache } from "./token-cache";

export interface FintCheckDependencies {
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
  readonly requestTimeoutMs: number;
  readonly tokens: TokenCache;
  readonly codes: FintCodes;
  readonly adapter: FintAdapter | undefined;
  readonly documents: DocumentCodes;
  readonly codesToCheck: readonly CodeToCheck[];
}

/** The relation whose list a configured field's value must be in (a MIME type: through its file format). */
const fieldRelations: Readonly<Record<Exclude<CheckedField, "mimeType">, Relation>> = {
  arkivdel: "arkivdel",
  administrativEnhet: "administrativEnhet",
  journalenhet: "journalenhet",
  saksansvarlig: "saksansvarlig",
  saksbehandler: "saksbehandler",
  tilgangsgruppe: "tilgangsgruppe",
  saksmappetype: "saksmappetype",
  saksstatus: "saksstatus",
  journalstatus: "journalstatus",
  dokumentstatus: "dokumentstatus",
  dokumenttype: "dokumenttype",
  tilgangsrestriksjon: "tilgangsrestriksjon",
  skjermingshjemmel: "skjermingshjemmel",
  klassifikasjonssystem: "klassifikasjonssystem",
};

/** Lists every FINT write of Flyt links into, whatever the integrations configure. */
const alwaysRead: readonly CodeListName[] = [
  "arkivdel",
  "klassifikasjonssystem",
  "administrativenhet",
  "journalposttype",
  "journalstatus",
  "korrespondanseparttype",
  "tilknyttetregistreringsom",
  "dokumentstatus",
  "variantformat",
  "format",
];

/** Codes Flyt writes on its own, beside the integrations' configuration: the archive must know them too. */
const ownCodes: readonly { readonly relation: Relation; readonly value: string; readonly why: string }[] = [
  ...["I", "U", "N", "X"].map((value) => ({
    relation: "journalposttype" as const,
    value,
    why: "a journal post's kind",
  })),
  ...["H", "V"].map((value) => ({
    relation: "tilknyttetRegistreringSom" as const,
    value,
    why: "a main document or an attachment",
  })),
];

/**
 * The connection check of a FINT destination, reading only: can its API be reached, does its identity provider
 * give Flyt a token, can every code list Flyt links into be read, and does the archive know each configured
 * value exactly once. Stops at the first step that fails; reports every unknown or ambiguous value at once.
 */
export async function checkFintDestination(deps: FintCheckDependencies): Promise<DriverCheck> {
  const steps: CheckStep[] = [];
  const done = (step: CheckStep, unknownCodes: DriverCheck["unknownCodes"] = []): DriverCheck => {
    steps.push(step);
    return { steps, unknownCodes };
  };

  const reached = await reach(deps);
  if (!reached.ok) return done(reached);
  steps.push(reached);

  try {
    await deps.tokens.accessToken();
    steps.push({ step: "authenticate", ok: true, detail: "the identity provider gave Flyt an access token" });
  } catch (error) {
    return done({
      step: "authenticate",
      ok: false,
      detail: `no access token: ${(error as Error).message}; check the client id, secret, user name, password and scope of the destination`,
    });
  }

  const lists = new Set<CodeListName>(alwaysRead);
  for (const code of deps.codesToCheck) {
    lists.add(code.field === "mimeType" ? "format" : relationLists[fieldRelations[code.field]]);
  }
  // Public 360 offers no list of its people: its case officers are linked by number.
  if (deps.adapter === "P360") lists.delete("arkivressurs");
  const unreadable: string[] = [];
  const notOffered: string[] = [];
  const empty: string[] = [];
  await Promise.all(
    [...lists].map(async (list) => {
      try {
        const answer = await deps.codes.list(list, { fresh: true });
        if (answer === "not-offered" && list !== "arkivressurs") notOffered.push(`/${codeListPaths[list]}`);
        // An empty list is most likely FINT filling its cache (see emptyListError); people may be offered by number.
        if (answer !== "not-offered" && answer.length === 0 && list !== "arkivressurs") {
          empty.push(`/${codeListPaths[list]}`);
        }
      } catch (error) {
        unreadable.push(`/${codeListPaths[list]} (${(error as Error).message})`);
      }
    }),
  );
  if (unreadable.length > 0 || notOffered.length > 0 || empty.length > 0) {
    return done({
      step: "code-lists",
      ok: false,
      detail: [
        unreadable.length > 0
          ? `Flyt cannot read ${unreadable.sort().join(", ")}: the client must be given access to FINT's arkiv components (noark and kodeverk)`
          : "",
        notOffered.length > 0 ? `the archive offers no ${notOffered.sort().join(", ")}` : "",
        empty.length > 0
          ? `${empty.sort().join(", ")} answered no entries: FINT may still be filling its cache after a restart, so run the check again in a few minutes (a list that stays empty is one the archive's FINT adapter does not fill: ask FINT)`
          : "",
      ]
        .filter(Boolean)
        .join("; "),
    });
  }
  steps.push({ step: "code-lists", ok: true, detail: `read ${lists.size} code lists` });

  const unknownCodes: (CodeToCheck & { why: string })[] = [];
  for (const code of deps.codesToCheck) {
    const why = await problemOf(deps, code);
    if (why !== undefined) unknownCodes.push({ ...code, why });
  }
  const ownProblems: string[] = [];
  for (const setting of [
    {
      relation: "variantFormat" as const,
      value: deps.documents.variantFormat,
      why: "the destination's variantFormat",
    },
    {
      relation: "dokumentstatus" as const,
      value: deps.documents.dokumentstatus,
      why: "the destination's dokumentstatus",
    },
    ...ownCodes,
  ]) {
    const why = await linkProblem(deps, setting.relation, setting.value, setting.relation);
    if (why !== undefined) ownProblems.push(`${setting.why} "${setting.value}": ${why}`);
  }
  const ok = unknownCodes.length === 0 && ownProblems.length === 0;
  return done(
    {
      step: "codes",
      ok,
      detail: ok
        ? `the archive knows all ${deps.codesToCheck.length} configured values`
        : [
            unknownCodes.length > 0
              ? `${unknownCodes.length} of ${deps.codesToCheck.length} configured values are not known to the archive exactly once`
              : "",
            ...ownProblems,
          ]
            .filter(Boolean)
            .join("; "),
    },
    unknownCodes,
  );
}

/** Any HTTP answer from the API (401 without a token is one) means it can be reached. */
async function reach(deps: FintCheckDependencies): Promise<CheckStep> {
  const url = `${deps.baseUrl}/arkiv/noark/arkivdel/last-updated`;
  try {
    const response = await deps.fetch(url, {
      method: "GET",
      redirect: "manual",
      signal: AbortSignal.timeout(deps.requestTimeoutMs),
    });
    await response.body?.cancel();
    return { step: "reach", ok: true, detail: `${deps.baseUrl} answered` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    return {
      step: "reach",
      ok: false,
      detail: `${deps.baseUrl} could not be reached (${cause}); check the destination's baseUrl and the network to it`,
    };
  }
}

async function problemOf(deps: FintCheckDependencies, code: CodeToCheck): Promise<string | undefined> {
  if (code.field !== "mimeType") return linkProblem(deps, fieldRelations[code.field], code.value, code.field);
  const format = deps.documents.fileFormatOf(code.value);
  if (format === undefined) {
    return `no file format is configured for ${code.value}: add it to the destination's fileFormats`;
  }
  return linkProblem(deps, "filformat", format, `file format for ${code.value}`);
}

/** Why a value cannot be linked to in the archive, or undefined when it can. */
async function linkProblem(
  deps: FintCheckDependencies,
  relation: Relation,
  value: string,
  field: string,
): Promise<string | undefined> {
  try {
    await deps.codes.link(relation, value, field, { verify: true });
    return undefined;
  } catch (error) {
    if (error instanceof ArchiveRefusedError) return error.archiveMessage;
    return (error as Error).message;
  }
}
