import { ArchiveRefusedError } from "../archive-errors";
import type { CheckedField, CheckStep, CodeToCheck, DriverCheck } from "../destination-check";
import type { TokenSource } from "./client-credentials-token";
import { findLink, linksOf, type Noark5Object } from "./links";
import { DEFAULT_BULKGRENSE } from "./noark5-file-upload";
import { type BusinessMetadataFields, codeOf, NO_CASE_TYPE, type ScreeningSettings } from "./noark5-mapping";
import { BUSINESS_METADATA, type Located, type Noark5Navigator } from "./noark5-navigator";
import { REL } from "./noark5-relations";
import { equals } from "./odata-filter";
import { LOGIN_OIDC, readOpenRoot } from "./oidc-discovery";

/**
 * The connection check of a Noark 5 destination (what an archivist runs before going live): reads only.
 *
 * 1. reach: the root without a token, which lists the login mechanisms (04-teknologi.rst:27–32 at tag
 *    versjon-1.1).
 * 2. authenticate: the token endpoint (discovered or configured), a token, and the root with it.
 * 3. code-lists: `admin/system` (protokollversjon, bulkgrense), `metadata/` with the code lists Flyt's codes
 *    and its own fixed ones come from, the catalogue of business-specific metadata (Flyt's two fields, not
 *    outdated), and whether the journalpost template takes them.
 * 4. codes: every configured code found: arkivdel by title (exactly one, that this client may create saksmapper
 *    in, whose template takes Flyt's external id), klassifikasjonssystem in the arkivdeler, code list values that
 *    exist and are not `utdatert` (a datetime since v1.1, 07-tjenester_og_informasjonsmodell.rst:4863–4866).
 */

/** The code list (under `metadata/`) of each checked field that is a Noark 5 code. */
const CODE_LISTS: Partial<Record<CheckedField, string>> = {
  saksstatus: "saksstatus",
  journalstatus: "journalstatus",
  dokumentstatus: "dokumentstatus",
  dokumenttype: "dokumenttype",
  tilgangsrestriksjon: "tilgangsrestriksjon",
};

/** Fields Noark 5 keeps as free text (or derives itself): nothing in the archive to look them up in. */
const NOT_LOOKED_UP: Partial<Record<CheckedField, string>> = {
  administrativEnhet: "free text on the saksmappe",
  journalenhet: "free text",
  saksansvarlig: "free text on the saksmappe",
  saksbehandler: "free text on the internal correspondent",
  skjermingshjemmel: "free text in skjerming (M501)",
  mimeType: "the archive derives the format from the file (06-konsepter_og_prinsipper.rst:1400–1418)",
};

/** Fields Flyt does not send to a Noark 5 archive at all. */
const NOT_SENT: Partial<Record<CheckedField, string>> = {
  saksmappetype: `${NO_CASE_TYPE}; Flyt does not send it`,
  tilgangsgruppe:
    "Noark 5 (tjenestegrensesnitt v1.1) has no tilgangsgruppe on a saksmappe; Flyt does not send it",
};

/** Codes the driver itself sends, whatever the integration: each must be in its list. */
const FIXED_CODES: Readonly<Record<string, readonly string[]>> = {
  tilknyttetregistreringsom: ["H", "V"],
  variantformat: ["A"],
};

export interface Noark5CheckOptions {
  readonly baseUrl: string;
  readonly http: { readonly fetch: typeof fetch; readonly timeoutMs: number; readonly now: () => number };
  readonly tokenUrlConfigured: boolean;
  readonly tokens: TokenSource;
  readonly navigator: Noark5Navigator;
  readonly fields: BusinessMetadataFields;
  readonly screening: ScreeningSettings;
  readonly defaultArkivdel: string | undefined;
}

function describe(error: unknown): string {
  if (error instanceof ArchiveRefusedError) return error.archiveMessage;
  return error instanceof Error ? error.message : String(error);
}

/** `utdatert`: a datetime in the past (v1.1), or `true` (as older examples have it). */
function outdatedSince(entry: Noark5Object, now: number): string | undefined {
  const value = entry.utdatert ?? (entry.inaktiv === true ? true : undefined);
  if (value === true) return "outdated";
  if (typeof value === "string" && Date.parse(value) <= now) return `outdated since ${value}`;
  return undefined;
}

export async function checkNoark5(
  codes: readonly CodeToCheck[],
  options: Noark5CheckOptions,
): Promise<DriverCheck> {
  const { navigator, http } = options;
  const steps: CheckStep[] = [];
  const unknownCodes: (CodeToCheck & { readonly why: string })[] = [];
  const done = (): DriverCheck => ({ steps, unknownCodes });

  // 1. reach
  try {
    const open = await readOpenRoot(http, options.baseUrl);
    const logins = [...linksOf(open).keys()]
      .filter((rel) => rel.includes("/api/login/"))
      .map((rel) => rel.replace(/.*\/api\/login\//, ""));
    const oidc = findLink(open, LOGIN_OIDC) ? "" : "; it lists no login/oidc/, which the standard requires";
    steps.push({
      step: "reach",
      ok: true,
      detail: `the root answers without a token and offers login by ${logins.join(", ") || "nothing it names"}${oidc}`,
    });
  } catch (error) {
    const locked = error instanceof ArchiveRefusedError && (error.status === 401 || error.status === 403);
    if (!(locked && options.tokenUrlConfigured)) {
      steps.push({ step: "reach", ok: false, detail: describe(error) });
      return done();
    }
    steps.push({
      step: "reach",
      ok: true,
      detail:
        "the root answers only with a token (the standard says it should not); the configured token URL is used",
    });
  }

  // 2. authenticate
  try {
    const endpoint = await options.tokens.endpoint();
    await options.tokens.token();
    await navigator.entryPoint(REL.sakarkiv);
    steps.push({
      step: "authenticate",
      ok: true,
      detail: `a token from ${endpoint.url} (${endpoint.source}, ${endpoint.authMethod}); the root and sakarkiv read with it`,
    });
  } catch (error) {
    steps.push({ step: "authenticate", ok: false, detail: describe(error) });
    return done();
  }

  // 3. code-lists
  const lists = new Map<string, Noark5Object[] | undefined>();
  let metadata: Located;
  const notes: string[] = [];
  const problems: string[] = [];
  try {
    const system = await navigator.optionalEntryPoint(REL.adminSystem).catch(() => undefined);
    const version = system?.body.protokollversjon;
    const bulkgrense = system?.body.bulkgrense;
    notes.push(
      system
        ? `protokollversjon ${typeof version === "string" ? version : "not given"}, bulkgrense ${typeof bulkgrense === "number" ? bulkgrense : `not given (${DEFAULT_BULKGRENSE} assumed)`}`
        : `no admin/system (bulkgrense ${DEFAULT_BULKGRENSE} assumed)`,
    );
    if (typeof version === "string" && version !== "1.1") {
      notes.push(`Flyt is written for protokollversjon 1.1, the archive says ${version}`);
    }
    metadata = await navigator.entryPoint(REL.metadata);
  } catch (error) {
    steps.push({ step: "code-lists", ok: false, detail: describe(error) });
    return done();
  }

  async function codeList(name: string): Promise<Noark5Object[] | undefined> {
    if (lists.has(name)) return lists.get(name);
    const rel = `https://rel.arkivverket.no/noark5/v5/api/metadata/${name}/`;
    const entries = findLink(metadata.body, rel)
      ? (await navigator.list(metadata, rel, undefined, `code list ${name}`)).map((entry) => entry.body)
      : undefined;
    lists.set(name, entries);
    return entries;
  }

  /** Why a code is not usable, or undefined when it is. */
  async function codeProblem(list: string, code: string): Promise<string | undefined> {
    const entries = await codeList(list);
    if (!entries) return `the archive offers no code list metadata/${list}/`;
    const entry = entries.find((candidate) => codeOf(candidate, "kode") === code);
    if (!entry) return `not in the archive's code list ${list}`;
    const outdated = outdatedSince(entry, http.now());
    return outdated && `${outdated} in the archive's code list ${list}`;
  }

  try {
    const fixed: [string, readonly string[]][] = Object.entries(FIXED_CODES);
    if (options.screening.form !== "omit") {
      fixed.push([
        "skjermingmetadata",
        [...new Set([...options.screening.saksmappe, ...options.screening.journalpost])],
      ]);
    }
    for (const [list, values] of fixed) {
      for (const value of values) {
        const problem = await codeProblem(list, value);
        if (problem) problems.push(`${value}: ${problem} (Flyt sends it)`);
      }
    }
    const catalogue = findLink(metadata.body, REL.businessMetadataCatalogue)
      ? await navigator.list(
          metadata,
          REL.businessMetadataCatalogue,
          undefined,
          "business metadata catalogue",
        )
      : undefined;
    if (!catalogue) {
      problems.push(
        "no catalogue of virksomhetsspesifikkeMetadata under metadata/: Flyt keeps its external ids there",
      );
    } else {
      for (const field of [options.fields.externalId, options.fields.completed]) {
        const entry = catalogue.find((candidate) => candidate.body.navn === field);
        const outdated = entry && outdatedSince(entry.body, http.now());
        if (!entry) problems.push(`the business metadata field ${field} is not in the archive's catalogue`);
        else if (outdated) problems.push(`the business metadata field ${field} is ${outdated}`);
      }
    }
    notes.push(await journalpostTemplateNote());
  } catch (error) {
    problems.push(describe(error));
  }
  steps.push({
    step: "code-lists",
    ok: problems.length === 0,
    detail: [...problems, ...notes].filter(Boolean).join("; "),
  });
  if (problems.length > 0) return done();

  /** Whether a journalpost template takes Flyt's external id (asked of any saksmappe this client can read). */
  async function journalpostTemplateNote(): Promise<string> {
    const sakarkiv = await navigator.entryPoint(REL.sakarkiv);
    const saksmappe = await navigator.first(sakarkiv, REL.saksmappe, "a saksmappe to ask");
    if (!saksmappe || !findLink(saksmappe.body, REL.nyJournalpost)) {
      return "the journalpost template was not asked (no saksmappe this client may add to)";
    }
    const template = await navigator.template(saksmappe, REL.nyJournalpost, "ny-journalpost");
    if (!template.fields) return "the archive offers no journalpost template to ask";
    if (!template.fields.has(BUSINESS_METADATA)) {
      problems.push(
        "the journalpost template shows no virksomhetsspesifikkeMetadata: Flyt's external ids cannot go there",
      );
      return "";
    }
    return "the journalpost template takes virksomhetsspesifikkeMetadata";
  }

  // 4. codes
  const arkivdeler = new Map<string, Located>();
  async function arkivdelProblem(title: string): Promise<string | undefined> {
    const arkivstruktur = await navigator.entryPoint(REL.arkivstruktur);
    const found = await navigator.list(
      arkivstruktur,
      REL.arkivdel,
      equals("tittel", title),
      "arkivdel search",
    );
    const [arkivdel] = found;
    if (!arkivdel) return `the archive has no arkivdel titled "${title}" that this client can see`;
    if (found.length > 1) return `the archive has ${found.length} arkivdeler titled "${title}"`;
    arkivdeler.set(title, arkivdel);
    if (!findLink(arkivdel.body, REL.nySaksmappe)) {
      return "this client may not create saksmapper in it (it offers no ny-saksmappe)";
    }
    const template = await navigator.template(arkivdel, REL.nySaksmappe, "ny-saksmappe");
    if (template.fields && !template.fields.has(BUSINESS_METADATA)) {
      return "its saksmappe template shows no virksomhetsspesifikkeMetadata: Flyt's external ids cannot go there";
    }
    return undefined;
  }

  async function classificationProblem(principle: string): Promise<string | undefined> {
    const titles = [...arkivdeler.keys()];
    let candidates = [...arkivdeler.values()];
    if (candidates.length === 0) {
      const arkivstruktur = await navigator.entryPoint(REL.arkivstruktur);
      candidates = await navigator.list(arkivstruktur, REL.arkivdel, undefined, "arkivdeler");
    }
    for (const arkivdel of candidates) {
      const systems = await navigator.list(
        arkivdel,
        REL.klassifikasjonssystem,
        undefined,
        "klassifikasjonssystem",
      );
      if (
        systems.some(
          (system) =>
            system.body.tittel === principle || codeOf(system.body, "klassifikasjonstype") === principle,
        )
      ) {
        return undefined;
      }
    }
    return titles.length > 0
      ? `no klassifikasjonssystem "${principle}" in arkivdel ${titles.map((title) => `"${title}"`).join(", ")}`
      : `no klassifikasjonssystem "${principle}" in any arkivdel`;
  }

  const unchecked: string[] = [];
  let looked = 0;
  try {
    const ordered = [
      ...codes.filter((code) => code.field === "arkivdel"),
      ...(options.defaultArkivdel &&
      !codes.some((code) => code.field === "arkivdel" && code.value === options.defaultArkivdel)
        ? [
            {
              field: "arkivdel" as const,
              value: options.defaultArkivdel,
              usedBy: ["(the destination's default arkivdel)"],
            },
          ]
        : []),
      ...codes.filter((code) => code.field !== "arkivdel"),
    ];
    for (const code of ordered) {
      const list = CODE_LISTS[code.field];
      let why: string | undefined;
      if (code.field === "arkivdel") why = await arkivdelProblem(code.value);
      else if (code.field === "klassifikasjonssystem") why = await classificationProblem(code.value);
      else if (list) why = await codeProblem(list, code.value);
      else if (NOT_SENT[code.field]) why = NOT_SENT[code.field];
      else {
        unchecked.push(`${code.field} "${code.value}" (${NOT_LOOKED_UP[code.field] ?? "not looked up"})`);
        continue;
      }
      looked += 1;
      if (why) unknownCodes.push({ ...code, why });
    }
  } catch (error) {
    steps.push({ step: "codes", ok: false, detail: describe(error) });
    return done();
  }
  steps.push({
    step: "codes",
    ok: unknownCodes.length === 0,
    detail: [
      `${looked} codes looked up, ${unknownCodes.length} not usable`,
      ...(unchecked.length > 0 ? [`not looked up: ${unchecked.join(", ")}`] : []),
    ].join("; "),
  });
  return done();
}
