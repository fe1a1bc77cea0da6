import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A fake Noark 5 tjenestegrensesnitt (v5) on real HTTP, for the noark5 driver's tests: what Nikita or a
 * county's archive would show a client, as the standard describes it.
 *
 * - HATEOAS from one root: every object carries `_links` keyed by `https://rel.arkivverket.no/noark5/v5/api/...`
 *   relation; list links are templated (`{?$filter&$orderby&$top&$skip}`). Hrefs live under a random mount
 *   the client is never told, and every request is checked against the hrefs the fake has sent, so a client that
 *   builds a URL by hand is caught (`unadvertisedRequests`).
 * - `application/vnd.noark5+json` both ways; errors as `{"feil": {"kode", "beskrivelse"}}`; ETags on objects and
 *   `If-Match` on PATCH (JSON Merge Patch), 409 on a stale one.
 * - One arkiv with arkivdeler and their klassifikasjonssystemer; saksmappe, journalpost, dokumentbeskrivelse,
 *   dokumentobjekt and the file created only through `ny-*` links (GET gives a prefilled template, POST
 *   creates, 201 with `Location`), parties and correspondents likewise.
 * - Its own numbering: mappeID `YYYY/n` (saksaar/sakssekvensnummer), journalpostnummer per saksmappe
 *   (registreringsID `YYYY/n-m`), journalaar/journalsekvensnummer per year.
 * - OData `$filter` (`eq`, `and`, `or`, parentheses, paths such as `klasse/klasseID`, business-specific
 *   metadata names), `$top`, `$skip`, and pages with a `next` link.
 * - Uploads checked as the standard says: Content-Type against mimeType, size against filstoerrelse, SHA-256
 *   against sjekksum, the Content-Disposition filename against filnavn; one file per dokumentobjekt.
 * - OAuth 2.0 client credentials at its token endpoint; every API request needs a live bearer token.
 * - Failure injection by operation: a status for the next N requests or a share of them (optionally after the
 *   write was done, as a proxy's 502 after the archive wrote), 429 with Retry-After, slow answers, answers that
 *   never come, refusals with text.
 */

export type FakeOperation =
  | "token"
  | "root"
  | "entry"
  | "get"
  | "search"
  | "template"
  | "ny-klasse"
  | "ny-saksmappe"
  | "ny-part"
  | "ny-journalpost"
  | "ny-korrespondansepart"
  | "ny-dokumentbeskrivelse"
  | "ny-dokumentobjekt"
  | "upload"
  | "download"
  | "patch";

export type FakeFailure =
  /** Answer this status (with this text) instead; `afterWrite`: do the work first, then answer it. */
  | {
      readonly kind: "status";
      readonly status: number;
      readonly text?: string;
      readonly retryAfter?: string;
      readonly afterWrite?: boolean;
    }
  /** Answer, but only after this long; `afterWrite`: the work is done at once, the answer waits. */
  | { readonly kind: "delay"; readonly ms: number; readonly afterWrite?: boolean }
  /** Never answer; `afterWrite`: the work is done. */
  | { readonly kind: "hang"; readonly afterWrite?: boolean };

export interface FakeRequestMatch {
  readonly operation?: FakeOperation | readonly FakeOperation[];
  readonly method?: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly operation: FakeOperation | "unknown";
  readonly status: number | "no answer";
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export interface FakeArkivdel {
  readonly tittel: string;
  /** Titles of its classification systems, e.g. `GBNR`. */
  readonly klassifikasjonssystemer?: readonly string[];
}

export interface FakeNoark5Options {
  readonly arkivdeler?: readonly FakeArkivdel[];
  readonly tokenTtlSeconds?: number;
  readonly pageSize?: number;
  /** The business-specific metadata fields the archive knows; others are refused. */
  readonly businessMetadataFields?: readonly string[];
  readonly now?: () => Date;
  readonly random?: () => number;
}

/** A stored object, as a test looks at it. */
export interface FakeObject {
  readonly systemID: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface FakeFile {
  readonly content: Buffer;
  readonly mimeType: string;
  readonly filename: string;
}

export interface FakeSaksmappe extends FakeObject {
  readonly mappeID: string;
  readonly arkivdel: string;
  readonly klasseID: string | undefined;
  readonly parter: readonly FakeObject[];
}

export interface FakeDocument extends FakeObject {
  readonly objekter: readonly (FakeObject & { readonly file: FakeFile | undefined })[];
}

export interface FakeJournalpost extends FakeObject {
  readonly number: string;
  readonly saksmappe: string;
  readonly korrespondanseparter: readonly (FakeObject & { readonly type: string })[];
  readonly dokumenter: readonly FakeDocument[];
}

export interface FakeNoark5Server {
  /** The API root: the one URL a client is given. */
  readonly baseUrl: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  saksmapper(): FakeSaksmappe[];
  journalposter(): FakeJournalpost[];
  klasser(): (FakeObject & { readonly klassifikasjonssystem: string })[];
  readonly requests: readonly RecordedRequest[];
  /** Requests to URLs the fake never sent in a link or Location (the root and token endpoint excepted). */
  unadvertisedRequests(): RecordedRequest[];
  tokensIssued(): number;
  /** Invalidates every token issued so far, as a revocation or a key rotation would. */
  revokeTokens(): void;
  failNext(count: number, failure: FakeFailure, match?: FakeRequestMatch): void;
  failShare(share: number, failure: FakeFailure, match?: FakeRequestMatch): void;
  clearFailures(): void;
  close(): Promise<void>;
}

const MEDIA_TYPE = "application/vnd.noark5+json";
const API = "https://rel.arkivverket.no/noark5/v5/api";
const LIST_TEMPLATE = "{?$filter&$orderby&$top&$skip}";
const MAX_BODY_BYTES = 64 * 1024 * 1024;

const JOURNALPOSTTYPER = new Set(["I", "U", "N", "X", "S"]);
const KORRESPONDANSEPARTTYPER = new Set(["EA", "EM", "EK", "GM", "IA", "IM", "IK", "IS"]);
const TILKNYTTET_REGISTRERING_SOM = new Set(["H", "V"]);

type EntityType =
  | "arkiv"
  | "arkivdel"
  | "klassifikasjonssystem"
  | "klasse"
  | "saksmappe"
  | "partperson"
  | "partenhet"
  | "journalpost"
  | "korrespondansepartperson"
  | "korrespondansepartenhet"
  | "korrespondansepartintern"
  | "dokumentbeskrivelse"
  | "dokumentobjekt";

interface Entity {
  readonly type: EntityType;
  readonly systemID: string;
  readonly parent: Entity | undefined;
  fields: Record<string, unknown>;
  version: number;
  readonly opprettetDato: string;
  readonly children: Entity[];
  /** A saksmappe's arkivdel and klasse (it may sit under either). */
  arkivdel?: Entity;
  klasse?: Entity;
  file?: FakeFile;
}

interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly raw?: Buffer;
}

interface Rule {
  readonly failure: FakeFailure;
  readonly match: FakeRequestMatch;
  remaining: number;
  readonly share: number | undefined;
}

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function problem(status: number, message: string, headers: Record<string, string> = {}): Reply {
  return { status, headers, body: { feil: { kode: status, beskrivelse: message } } };
}

// ---------------------------------------------------------------------------------------------------------
// OData $filter: a small parser and evaluator, enough for what a client of a Noark 5 archive sends.

type FilterNode =
  | { readonly op: "eq" | "ne"; readonly path: string; readonly value: string }
  | { readonly op: "and" | "or"; readonly left: FilterNode; readonly right: FilterNode };

function tokenize(filter: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < filter.length) {
    const char = filter[i] as string;
    if (char === " ") {
      i += 1;
    } else if (char === "(" || char === ")") {
      tokens.push(char);
      i += 1;
    } else if (char === "'") {
      let value = "";
      i += 1;
      for (;;) {
        if (i >= filter.length) throw new HttpProblem(400, "ugyldig $filter: uavsluttet streng");
        if (filter[i] === "'") {
          if (filter[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += filter[i];
        i += 1;
      }
      tokens.push(`'${value}`);
    } else {
      const match = /^[A-Za-z0-9_:./-]+/.exec(filter.slice(i));
      if (!match) throw new HttpProblem(400, `ugyldig $filter ved «${filter.slice(i)}»`);
      tokens.push(match[0]);
      i += match[0].length;
    }
  }
  return tokens;
}

function parseFilter(filter: string): FilterNode {
  const tokens = tokenize(filter);
  let position = 0;
  const peek = () => tokens[position];
  const take = () => {
    const token = tokens[position];
    if (token === undefined) throw new HttpProblem(400, "ugyldig $filter: uventet slutt");
    position += 1;
    return token;
  };
  function comparison(): FilterNode {
    if (peek() === "(") {
      take();
      const inner = disjunction();
      if (take() !== ")") throw new HttpProblem(400, "ugyldig $filter: mangler )");
      return inner;
    }
    const path = take();
    const op = take();
    if (op !== "eq" && op !== "ne") throw new HttpProblem(501, `$filter-operatoren «${op}» støttes ikke`);
    const literal = take();
    // A string literal keeps its quote mark as a tag; a bare number is compared as its text.
    const value = literal.startsWith("'") ? literal.slice(1) : literal;
    return { op, path, value };
  }
  function conjunction(): FilterNode {
    let node = comparison();
    while (peek() === "and") {
      take();
      node = { op: "and", left: node, right: comparison() };
    }
    return node;
  }
  function disjunction(): FilterNode {
    let node = conjunction();
    while (peek() === "or") {
      take();
      node = { op: "or", left: node, right: conjunction() };
    }
    return node;
  }
  const node = disjunction();
  if (position !== tokens.length) throw new HttpProblem(400, `ugyldig $filter ved «${tokens[position]}»`);
  return node;
}

// ---------------------------------------------------------------------------------------------------------

function contentDispositionFilename(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    const charset = (extended[1] ?? "").toLowerCase();
    const encoded = (extended[2] ?? "").trim();
    if (charset === "utf-8") return decodeURIComponent(encoded);
    // ISO-8859-1: each percent-encoded byte is the character of that code.
    return encoded.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
  }
  const plain = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]+)/i.exec(header);
  if (!plain) return undefined;
  return plain[2] !== undefined ? plain[2].replace(/\\(.)/g, "$1") : (plain[1] ?? "").trim();
}

function mergePatch(
  target: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (typeof value === "object" && !Array.isArray(value)) {
      const current = result[key];
      result[key] = mergePatch(
        typeof current === "object" && current !== null && !Array.isArray(current)
          ? (current as Record<string, unknown>)
          : {},
        value as Record<string, unknown>,
      );
    } else result[key] = value;
  }
  return result;
}

function kode(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  const code = (value as { kode?: unknown } | null | undefined)?.kode;
  return typeof code === "string" ? code : undefined;
}

export async function startFakeNoark5Server(options: FakeNoark5Options = {}): Promise<FakeNoark5Server> {
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const pageSize = options.pageSize ?? 50;
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 3600;
  const knownMetadata = new Set(
    options.businessMetadataFields ?? ["vnd-flyt-v1:eksternid", "vnd-flyt-v1:fullfoert"],
  );
  const clientId = `flyt-${randomBytes(3).toString("hex")}`;
  const clientSecret = randomBytes(12).toString("base64url");
  const rootMount = randomBytes(4).toString("hex");
  const mount = randomBytes(4).toString("hex");

  const entities = new Map<string, Entity>();
  const tokens = new Map<string, number>();
  let issued = 0;
  const advertised = new Set<string>();
  const requests: RecordedRequest[] = [];
  let rules: Rule[] = [];
  const caseSequence = new Map<number, number>();
  const journalSequence = new Map<number, number>();
  const hanging = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();

  let origin = "";
  const href = (path: string) => {
    advertised.add(path);
    return `${origin}${path}`;
  };
  const selfPath = (entity: Entity) => `/${mount}/${entity.type}/${entity.systemID}`;

  function add(type: EntityType, parent: Entity | undefined, fields: Record<string, unknown>): Entity {
    const entity: Entity = {
      type,
      systemID: randomUUID(),
      parent,
      fields,
      version: 1,
      opprettetDato: now().toISOString(),
      children: [],
    };
    entities.set(entity.systemID, entity);
    parent?.children.push(entity);
    return entity;
  }

  // The arkiv the fake starts with.
  const arkiv = add("arkiv", undefined, { tittel: "Flyt testarkiv", arkivstatus: { kode: "O" } });
  for (const arkivdel of options.arkivdeler ?? [
    { tittel: "SAK", klassifikasjonssystemer: ["GBNR", "ORGNR", "FNR"] },
    { tittel: "PERSONAL" },
  ]) {
    const created = add("arkivdel", arkiv, { tittel: arkivdel.tittel, arkivdelstatus: { kode: "A" } });
    for (const system of arkivdel.klassifikasjonssystemer ?? []) {
      add("klassifikasjonssystem", created, { tittel: system, klassifikasjonstype: { kode: "UO" } });
    }
  }

  const childrenOf = (entity: Entity, ...types: EntityType[]) =>
    entity.children.filter((child) => types.includes(child.type));
  const ofType = (...types: EntityType[]) => [...entities.values()].filter((e) => types.includes(e.type));
  const saksmapperIn = (container: Entity) =>
    ofType("saksmappe").filter((mappe) => mappe.arkivdel === container || mappe.klasse === container);

  // --- what an object looks like to a client -----------------------------------------------------------

  function links(entity: Entity): Record<string, { href: string; templated?: boolean }> {
    const self = selfPath(entity);
    const link = (path: string) => ({ href: href(path) });
    const list = (path: string) => ({ href: `${href(path)}${LIST_TEMPLATE}`, templated: true });
    const result: Record<string, { href: string; templated?: boolean }> = { self: link(self) };
    switch (entity.type) {
      case "arkiv":
        result[`${API}/arkivstruktur/arkiv/`] = link(self);
        result[`${API}/arkivstruktur/arkivdel/`] = list(`${self}/arkivdel`);
        break;
      case "arkivdel":
        result[`${API}/arkivstruktur/arkivdel/`] = link(self);
        if (entity.parent) result[`${API}/arkivstruktur/arkiv/`] = link(selfPath(entity.parent));
        result[`${API}/arkivstruktur/klassifikasjonssystem/`] = list(`${self}/klassifikasjonssystem`);
        result[`${API}/arkivstruktur/mappe/`] = list(`${self}/mappe`);
        result[`${API}/sakarkiv/ny-saksmappe/`] = link(`${self}/ny-saksmappe`);
        break;
      case "klassifikasjonssystem":
        result[`${API}/arkivstruktur/klassifikasjonssystem/`] = link(self);
        if (entity.parent) result[`${API}/arkivstruktur/arkivdel/`] = link(selfPath(entity.parent));
        result[`${API}/arkivstruktur/klasse/`] = list(`${self}/klasse`);
        result[`${API}/arkivstruktur/ny-klasse/`] = link(`${self}/ny-klasse`);
        break;
      case "klasse":
        result[`${API}/arkivstruktur/klasse/`] = link(self);
        if (entity.parent)
          result[`${API}/arkivstruktur/klassifikasjonssystem/`] = link(selfPath(entity.parent));
        result[`${API}/arkivstruktur/mappe/`] = list(`${self}/mappe`);
        result[`${API}/sakarkiv/ny-saksmappe/`] = link(`${self}/ny-saksmappe`);
        break;
      case "saksmappe":
        result[`${API}/sakarkiv/saksmappe/`] = link(self);
        result[`${API}/arkivstruktur/mappe/`] = link(self);
        if (entity.arkivdel) result[`${API}/arkivstruktur/arkivdel/`] = link(selfPath(entity.arkivdel));
        if (entity.klasse) result[`${API}/arkivstruktur/klasse/`] = link(selfPath(entity.klasse));
        result[`${API}/sakarkiv/journalpost/`] = list(`${self}/journalpost`);
        result[`${API}/arkivstruktur/registrering/`] = list(`${self}/journalpost`);
        result[`${API}/sakarkiv/ny-journalpost/`] = link(`${self}/ny-journalpost`);
        result[`${API}/arkivstruktur/part/`] = list(`${self}/part`);
        result[`${API}/arkivstruktur/ny-partperson/`] = link(`${self}/ny-partperson`);
        result[`${API}/arkivstruktur/ny-partenhet/`] = link(`${self}/ny-partenhet`);
        break;
      case "partperson":
      case "partenhet":
        result[`${API}/arkivstruktur/part/`] = link(self);
        result[`${API}/arkivstruktur/${entity.type}/`] = link(self);
        break;
      case "journalpost":
        result[`${API}/sakarkiv/journalpost/`] = link(self);
        result[`${API}/arkivstruktur/registrering/`] = link(self);
        if (entity.parent) result[`${API}/arkivstruktur/mappe/`] = link(selfPath(entity.parent));
        result[`${API}/arkivstruktur/dokumentbeskrivelse/`] = list(`${self}/dokumentbeskrivelse`);
        result[`${API}/arkivstruktur/ny-dokumentbeskrivelse/`] = link(`${self}/ny-dokumentbeskrivelse`);
        result[`${API}/arkivstruktur/korrespondansepart/`] = list(`${self}/korrespondansepart`);
        for (const kind of ["person", "enhet", "intern"]) {
          result[`${API}/arkivstruktur/ny-korrespondansepart${kind}/`] = link(
            `${self}/ny-korrespondansepart${kind}`,
          );
        }
        break;
      case "korrespondansepartperson":
      case "korrespondansepartenhet":
      case "korrespondansepartintern":
        result[`${API}/arkivstruktur/korrespondansepart/`] = link(self);
        result[`${API}/arkivstruktur/${entity.type}/`] = link(self);
        break;
      case "dokumentbeskrivelse":
        result[`${API}/arkivstruktur/dokumentbeskrivelse/`] = link(self);
        if (entity.parent) result[`${API}/arkivstruktur/registrering/`] = link(selfPath(entity.parent));
        result[`${API}/arkivstruktur/dokumentobjekt/`] = list(`${self}/dokumentobjekt`);
        result[`${API}/arkivstruktur/ny-dokumentobjekt/`] = link(`${self}/ny-dokumentobjekt`);
        break;
      case "dokumentobjekt":
        result[`${API}/arkivstruktur/dokumentobjekt/`] = link(self);
        if (entity.parent)
          result[`${API}/arkivstruktur/dokumentbeskrivelse/`] = link(selfPath(entity.parent));
        result[`${API}/arkivstruktur/fil/`] = link(`${self}/referanseFil`);
        break;
    }
    return result;
  }

  function view(entity: Entity): Record<string, unknown> {
    return {
      ...entity.fields,
      systemID: entity.systemID,
      opprettetDato: entity.opprettetDato,
      opprettetAv: clientId,
      _links: links(entity),
    };
  }

  const etagOf = (entity: Entity) => `"${entity.version}"`;

  function entityReply(entity: Entity, status = 200): Reply {
    const headers: Record<string, string> = { etag: etagOf(entity) };
    if (status === 201) headers.location = href(selfPath(entity));
    return { status, headers, body: view(entity) };
  }

  // --- $filter against stored objects -------------------------------------------------------------------

  function navigation(entity: Entity, name: string): Entity | undefined {
    if (name === "arkivdel") return entity.type === "arkivdel" ? entity : entity.arkivdel;
    if (name === "klasse") return entity.klasse;
    if (name === "klassifikasjonssystem" && entity.type === "klasse") return entity.parent;
    if ((name === "mappe" || name === "saksmappe") && entity.type === "journalpost") return entity.parent;
    return undefined;
  }

  function resolve(entity: Entity, path: string): unknown {
    const [first = "", ...rest] = path.split("/");
    if (first.includes(":")) {
      const metadata = entity.fields.virksomhetsspesifikkeMetadata as Record<string, unknown> | undefined;
      return metadata?.[first];
    }
    if (first === "systemID") return entity.systemID;
    const related = navigation(entity, first);
    if (related) return rest.length === 0 ? related.systemID : resolve(related, rest.join("/"));
    let value: unknown = entity.fields[first];
    for (const segment of rest) value = (value as Record<string, unknown> | null | undefined)?.[segment];
    return value;
  }

  function matches(entity: Entity, node: FilterNode): boolean {
    switch (node.op) {
      case "and":
        return matches(entity, node.left) && matches(entity, node.right);
      case "or":
        return matches(entity, node.left) || matches(entity, node.right);
      case "eq":
      case "ne": {
        const value = resolve(entity, node.path);
        const equal = value !== undefined && value !== null && String(value) === node.value;
        return node.op === "eq" ? equal : !equal;
      }
    }
  }

  function listReply(path: string, candidates: Entity[], query: URLSearchParams): Reply {
    const filter = query.get("$filter");
    const node = filter ? parseFilter(filter) : undefined;
    const hits = node ? candidates.filter((entity) => matches(entity, node)) : candidates;
    const skip = Number(query.get("$skip") ?? "0");
    const top = query.has("$top") ? Number(query.get("$top")) : Number.POSITIVE_INFINITY;
    if (!Number.isInteger(skip) || skip < 0 || Number.isNaN(top))
      throw new HttpProblem(400, "ugyldig $top/$skip");
    const wanted = hits.slice(skip, skip + top);
    const page = wanted.slice(0, pageSize);
    const body: Record<string, unknown> = { count: hits.length };
    if (page.length > 0) body.results = page.map(view);
    const selfQuery = query.toString();
    const linksOut: Record<string, { href: string }> = {
      self: { href: `${href(path)}${selfQuery ? `?${selfQuery}` : ""}` },
    };
    if (wanted.length > pageSize) {
      const next = new URLSearchParams(query);
      next.set("$skip", String(skip + pageSize));
      if (Number.isFinite(top)) next.set("$top", String(top - pageSize));
      linksOut.next = { href: `${href(path)}?${next.toString()}` };
    }
    body._links = linksOut;
    return { status: 200, body };
  }

  // --- creating objects ----------------------------------------------------------------------------------

  function checkMetadata(fields: Record<string, unknown>): void {
    const metadata = fields.virksomhetsspesifikkeMetadata;
    if (metadata === undefined || metadata === null) return;
    if (typeof metadata !== "object" || Array.isArray(metadata)) {
      throw new HttpProblem(400, "virksomhetsspesifikkeMetadata må være et objekt");
    }
    for (const name of Object.keys(metadata)) {
      if (!knownMetadata.has(name))
        throw new HttpProblem(400, `ukjent virksomhetsspesifikt metadatafelt ${name}`);
    }
  }

  function requireTitle(fields: Record<string, unknown>, what: string): void {
    if (typeof fields.tittel !== "string" || fields.tittel.trim() === "") {
      throw new HttpProblem(400, `${what}: tittel er påkrevd`);
    }
  }

  /** Fields a client may not set: the archive assigns them. */
  function clientFields(body: Record<string, unknown>): Record<string, unknown> {
    const {
      systemID: _systemID,
      mappeID: _mappeID,
      opprettetDato: _opprettetDato,
      opprettetAv: _opprettetAv,
      _links: _ignored,
      ...rest
    } = body;
    return rest;
  }

  const TEMPLATES: Record<string, Record<string, unknown>> = {
    "ny-saksmappe": {
      tittel: "angi tittel på saksmappe",
      saksstatus: { kode: "B", kodenavn: "Under behandling" },
      dokumentmedium: { kode: "E", kodenavn: "Elektronisk arkiv" },
      saksansvarlig: "Flyt integrasjon",
      virksomhetsspesifikkeMetadata: null,
    },
    "ny-journalpost": {
      tittel: "angi tittel på journalpost",
      journalstatus: { kode: "J", kodenavn: "Journalført" },
      dokumentmedium: { kode: "E", kodenavn: "Elektronisk arkiv" },
      virksomhetsspesifikkeMetadata: null,
    },
    "ny-dokumentbeskrivelse": {
      dokumenttype: { kode: "B", kodenavn: "Brev" },
      dokumentstatus: { kode: "F", kodenavn: "Dokumentet er ferdigstilt" },
    },
    "ny-dokumentobjekt": { versjonsnummer: 1, variantformat: { kode: "A", kodenavn: "Arkivformat" } },
    "ny-klasse": {},
    "ny-partperson": {},
    "ny-partenhet": {},
    "ny-korrespondansepartperson": {},
    "ny-korrespondansepartenhet": {},
    "ny-korrespondansepartintern": {},
  };

  function yearOf(): number {
    return now().getUTCFullYear();
  }

  function nextIn(counter: Map<number, number>, year: number): number {
    const next = (counter.get(year) ?? 0) + 1;
    counter.set(year, next);
    return next;
  }

  function createSaksmappe(container: Entity, body: Record<string, unknown>): Entity {
    const fields = clientFields(body);
    requireTitle(fields, "saksmappe");
    checkMetadata(fields);
    // A klasse belongs to a klassifikasjonssystem, which belongs to the arkivdel.
    const arkivdel = container.type === "arkivdel" ? container : container.parent?.parent;
    if (!arkivdel) throw new HttpProblem(500, "klassen hører ikke til noen arkivdel");
    const year = yearOf();
    const sequence = nextIn(caseSequence, year);
    const entity = add("saksmappe", arkivdel, {
      saksstatus: { kode: "B" },
      saksansvarlig: "Flyt integrasjon",
      ...fields,
      mappeID: `${year}/${sequence}`,
      saksaar: year,
      sakssekvensnummer: sequence,
      saksdato: now().toISOString().slice(0, 10),
    });
    entity.arkivdel = arkivdel;
    if (container.type === "klasse") entity.klasse = container;
    return entity;
  }

  function createJournalpost(saksmappe: Entity, body: Record<string, unknown>): Entity {
    const fields = clientFields(body);
    requireTitle(fields, "journalpost");
    checkMetadata(fields);
    const type = kode(fields.journalposttype);
    if (!type || !JOURNALPOSTTYPER.has(type)) throw new HttpProblem(400, `ugyldig journalposttype «${type}»`);
    const year = yearOf();
    const number = childrenOf(saksmappe, "journalpost").length + 1;
    return add("journalpost", saksmappe, {
      journalstatus: { kode: "J" },
      ...fields,
      journalaar: year,
      journalsekvensnummer: nextIn(journalSequence, year),
      journalpostnummer: number,
      registreringsID: `${String(saksmappe.fields.mappeID)}-${number}`,
      journaldato: now().toISOString().slice(0, 10),
    });
  }

  function createChild(parent: Entity, operation: string, body: Record<string, unknown>): Entity {
    const fields = clientFields(body);
    switch (operation) {
      case "ny-klasse": {
        if (typeof fields.klasseID !== "string" || fields.klasseID === "") {
          throw new HttpProblem(400, "klasse: klasseID er påkrevd");
        }
        if (childrenOf(parent, "klasse").some((klasse) => klasse.fields.klasseID === fields.klasseID)) {
          throw new HttpProblem(400, `klasseID ${fields.klasseID} finnes allerede`);
        }
        return add("klasse", parent, { tittel: fields.klasseID, ...fields });
      }
      case "ny-partperson":
      case "ny-partenhet":
        if (typeof fields.navn !== "string" || fields.navn === "")
          throw new HttpProblem(400, "part: navn er påkrevd");
        return add(operation === "ny-partperson" ? "partperson" : "partenhet", parent, fields);
      case "ny-korrespondansepartperson":
      case "ny-korrespondansepartenhet":
      case "ny-korrespondansepartintern": {
        const type = kode(fields.korrespondanseparttype);
        if (!type || !KORRESPONDANSEPARTTYPER.has(type)) {
          throw new HttpProblem(400, `ugyldig korrespondanseparttype «${type}»`);
        }
        if (
          operation !== "ny-korrespondansepartintern" &&
          (typeof fields.navn !== "string" || fields.navn === "")
        ) {
          throw new HttpProblem(400, "korrespondansepart: navn er påkrevd");
        }
        const entityType = operation.slice("ny-".length) as EntityType;
        return add(entityType, parent, fields);
      }
      case "ny-dokumentbeskrivelse": {
        requireTitle(fields, "dokumentbeskrivelse");
        const role = kode(fields.tilknyttetRegistreringSom);
        if (!role || !TILKNYTTET_REGISTRERING_SOM.has(role)) {
          throw new HttpProblem(400, `ugyldig tilknyttetRegistreringSom «${role}»`);
        }
        return add("dokumentbeskrivelse", parent, {
          ...fields,
          dokumentnummer: childrenOf(parent, "dokumentbeskrivelse").length + 1,
          tilknyttetDato: now().toISOString(),
        });
      }
      case "ny-dokumentobjekt":
        if (typeof fields.versjonsnummer !== "number") {
          throw new HttpProblem(400, "dokumentobjekt: versjonsnummer er påkrevd");
        }
        if (!kode(fields.variantformat))
          throw new HttpProblem(400, "dokumentobjekt: variantformat er påkrevd");
        return add("dokumentobjekt", parent, fields);
      default:
        throw new HttpProblem(404, `ukjent ressurs ${operation}`);
    }
  }

  function upload(objekt: Entity, request: IncomingMessage, content: Buffer): Reply {
    if (objekt.file) {
      throw new HttpProblem(400, "dokumentobjektet har allerede en fil; slett det og opprett et nytt");
    }
    const contentType = (request.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
    const filename = contentDispositionFilename(request.headers["content-disposition"]);
    const { mimeType, filstoerrelse, sjekksum, filnavn } = objekt.fields;
    if (content.length === 0) throw new HttpProblem(400, "tom fil");
    if (typeof mimeType === "string" && mimeType !== contentType) {
      throw new HttpProblem(400, `Content-Type ${contentType} stemmer ikke med mimeType ${mimeType}`);
    }
    if (typeof filstoerrelse === "number" && filstoerrelse !== content.length) {
      throw new HttpProblem(400, `filen er ${content.length} byte, ikke ${filstoerrelse}`);
    }
    const sha256 = createHash("sha256").update(content).digest("hex");
    if (typeof sjekksum === "string" && sjekksum.toLowerCase() !== sha256) {
      throw new HttpProblem(400, "sjekksummen stemmer ikke med filen");
    }
    if (typeof filnavn === "string" && filename !== undefined && filnavn !== filename) {
      throw new HttpProblem(400, `filnavnet «${filename}» stemmer ikke med «${filnavn}»`);
    }
    const storedName = typeof filnavn === "string" ? filnavn : (filename ?? "fil");
    objekt.file = { content, mimeType: contentType, filename: storedName };
    objekt.fields = {
      ...objekt.fields,
      filnavn: storedName,
      mimeType: contentType,
      filstoerrelse: content.length,
      sjekksum: sha256,
      sjekksumAlgoritme: "SHA-256",
      format: { kode: contentType === "application/pdf" ? "fmt/95" : "av/0" },
    };
    objekt.version += 1;
    return entityReply(objekt, 201);
  }

  // --- routing -------------------------------------------------------------------------------------------

  interface Route {
    readonly operation: FakeOperation;
    /** Whether the work changes what the archive holds (for `afterWrite` failures). */
    readonly writes: boolean;
    readonly handle: () => Reply;
  }

  function rootLinks(): Reply {
    return {
      status: 200,
      body: {
        _links: {
          [`${API}/arkivstruktur/`]: { href: href(`/${mount}/arkivstruktur`) },
          [`${API}/sakarkiv/`]: { href: href(`/${mount}/sakarkiv`) },
        },
      },
    };
  }

  function entryLinks(area: string): Reply {
    const list = (path: string) => ({ href: `${href(path)}${LIST_TEMPLATE}`, templated: true });
    const linksOut: Record<string, unknown> =
      area === "arkivstruktur"
        ? {
            self: { href: href(`/${mount}/arkivstruktur`) },
            [`${API}/arkivstruktur/arkiv/`]: list(`/${mount}/arkivstruktur/arkiv`),
            [`${API}/arkivstruktur/arkivdel/`]: list(`/${mount}/arkivstruktur/arkivdel`),
            [`${API}/arkivstruktur/klasse/`]: list(`/${mount}/arkivstruktur/klasse`),
          }
        : {
            self: { href: href(`/${mount}/sakarkiv`) },
            [`${API}/sakarkiv/saksmappe/`]: list(`/${mount}/sakarkiv/saksmappe`),
            [`${API}/sakarkiv/journalpost/`]: list(`/${mount}/sakarkiv/journalpost`),
          };
    return { status: 200, body: { _links: linksOut } };
  }

  function jsonBody(request: IncomingMessage, raw: Buffer, patch = false): Record<string, unknown> {
    const contentType = (request.headers["content-type"] ?? "").split(";")[0]?.trim();
    const expected = patch ? "application/merge-patch+json" : MEDIA_TYPE;
    if (contentType !== expected) throw new HttpProblem(415, `Content-Type må være ${expected}`);
    try {
      const parsed = JSON.parse(raw.toString("utf8")) as unknown;
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        throw new Error("not an object");
      return parsed as Record<string, unknown>;
    } catch {
      throw new HttpProblem(400, "ugyldig JSON");
    }
  }

  function route(request: IncomingMessage, path: string, query: URLSearchParams, raw: Buffer): Route {
    const method = request.method ?? "GET";
    const read = (operation: FakeOperation, handle: () => Reply): Route => ({
      operation,
      writes: false,
      handle,
    });
    const write = (operation: FakeOperation, handle: () => Reply): Route => ({
      operation,
      writes: true,
      handle,
    });

    if (path === `/${rootMount}/api/` || path === `/${rootMount}/api`) return read("root", rootLinks);
    const segments = path.split("/").filter(Boolean);
    if (segments[0] !== mount) throw new HttpProblem(404, `ingen ressurs ${path}`);
    const [, first, second, third] = segments;

    if (segments.length === 2 && (first === "arkivstruktur" || first === "sakarkiv") && method === "GET") {
      return read("entry", () => entryLinks(first));
    }
    if (segments.length === 3 && method === "GET") {
      const candidates: Record<string, () => Entity[]> = {
        "arkivstruktur/arkiv": () => ofType("arkiv"),
        "arkivstruktur/arkivdel": () => ofType("arkivdel"),
        "arkivstruktur/klasse": () => ofType("klasse"),
        "sakarkiv/saksmappe": () => ofType("saksmappe"),
        "sakarkiv/journalpost": () => ofType("journalpost"),
      };
      const list = candidates[`${first}/${second}`];
      if (list) return read("search", () => listReply(path, list(), query));
    }

    const entity = second === undefined ? undefined : entities.get(second);
    if (!entity || entity.type !== first) throw new HttpProblem(404, `ingen ressurs ${path}`);

    if (segments.length === 3) {
      if (method === "GET") return read("get", () => entityReply(entity));
      if (method === "PATCH") {
        return write("patch", () => {
          const ifMatch = request.headers["if-match"];
          if (ifMatch !== undefined && ifMatch !== etagOf(entity)) {
            throw new HttpProblem(409, "objektet er endret av andre siden det ble hentet");
          }
          const patch = clientFields(jsonBody(request, raw, true));
          const patched = mergePatch(entity.fields, patch);
          checkMetadata(patched);
          entity.fields = patched;
          entity.version += 1;
          return entityReply(entity);
        });
      }
      throw new HttpProblem(405, `${method} støttes ikke på ${path}`);
    }

    const sub = third ?? "";
    const listRoutes: Record<string, () => Entity[]> = {
      "arkiv/arkivdel": () => childrenOf(entity, "arkivdel"),
      "arkivdel/klassifikasjonssystem": () => childrenOf(entity, "klassifikasjonssystem"),
      "arkivdel/mappe": () => saksmapperIn(entity),
      "klassifikasjonssystem/klasse": () => childrenOf(entity, "klasse"),
      "klasse/mappe": () => saksmapperIn(entity),
      "saksmappe/journalpost": () => childrenOf(entity, "journalpost"),
      "saksmappe/part": () => childrenOf(entity, "partperson", "partenhet"),
      "journalpost/dokumentbeskrivelse": () => childrenOf(entity, "dokumentbeskrivelse"),
      "journalpost/korrespondansepart": () =>
        childrenOf(entity, "korrespondansepartperson", "korrespondansepartenhet", "korrespondansepartintern"),
      "dokumentbeskrivelse/dokumentobjekt": () => childrenOf(entity, "dokumentobjekt"),
    };
    const listed = listRoutes[`${entity.type}/${sub}`];
    if (listed && method === "GET") return read("search", () => listReply(path, listed(), query));

    const creators: Record<string, FakeOperation> = {
      "arkivdel/ny-saksmappe": "ny-saksmappe",
      "klasse/ny-saksmappe": "ny-saksmappe",
      "klassifikasjonssystem/ny-klasse": "ny-klasse",
      "saksmappe/ny-partperson": "ny-part",
      "saksmappe/ny-partenhet": "ny-part",
      "saksmappe/ny-journalpost": "ny-journalpost",
      "journalpost/ny-korrespondansepartperson": "ny-korrespondansepart",
      "journalpost/ny-korrespondansepartenhet": "ny-korrespondansepart",
      "journalpost/ny-korrespondansepartintern": "ny-korrespondansepart",
      "journalpost/ny-dokumentbeskrivelse": "ny-dokumentbeskrivelse",
      "dokumentbeskrivelse/ny-dokumentobjekt": "ny-dokumentobjekt",
    };
    const creation = creators[`${entity.type}/${sub}`];
    if (creation && method === "GET") {
      return read("template", () => ({ status: 200, body: { ...(TEMPLATES[sub] ?? {}), _links: {} } }));
    }
    if (creation && method === "POST") {
      return write(creation, () => {
        const body = jsonBody(request, raw);
        const created =
          sub === "ny-saksmappe"
            ? createSaksmappe(entity, body)
            : sub === "ny-journalpost"
              ? createJournalpost(entity, body)
              : createChild(entity, sub, body);
        return entityReply(created, 201);
      });
    }

    if (entity.type === "dokumentobjekt" && sub === "referanseFil") {
      if (method === "POST") return write("upload", () => upload(entity, request, raw));
      if (method === "GET") {
        return read("download", () => {
          const file = entity.file;
          if (!file) throw new HttpProblem(404, "dokumentobjektet har ingen fil");
          return { status: 200, headers: { "content-type": file.mimeType }, raw: file.content };
        });
      }
    }
    throw new HttpProblem(404, `ingen ressurs ${path}`);
  }

  // --- the token endpoint --------------------------------------------------------------------------------

  function tokenReply(request: IncomingMessage, raw: Buffer): Reply {
    if (request.method !== "POST") return problem(405, "bruk POST");
    const form = new URLSearchParams(raw.toString("utf8"));
    let id = form.get("client_id");
    let secret = form.get("client_secret");
    const authorization = request.headers.authorization ?? "";
    if (authorization.startsWith("Basic ")) {
      const [rawId = "", rawSecret = ""] = Buffer.from(authorization.slice(6), "base64")
        .toString("utf8")
        .split(":");
      id = decodeURIComponent(rawId.replaceAll("+", " "));
      secret = decodeURIComponent(rawSecret.replaceAll("+", " "));
    }
    if (form.get("grant_type") !== "client_credentials") {
      return { status: 400, body: { error: "unsupported_grant_type" } };
    }
    if (id !== clientId || secret !== clientSecret) {
      return { status: 401, headers: { "www-authenticate": "Basic" }, body: { error: "invalid_client" } };
    }
    const token = randomBytes(24).toString("base64url");
    tokens.set(token, Date.now() + tokenTtlSeconds * 1000);
    issued += 1;
    return {
      status: 200,
      headers: { "cache-control": "no-store" },
      body: { access_token: token, token_type: "Bearer", expires_in: tokenTtlSeconds },
    };
  }

  function authorized(request: IncomingMessage): boolean {
    const header = request.headers.authorization ?? "";
    if (!header.startsWith("Bearer ")) return false;
    const expiresAt = tokens.get(header.slice("Bearer ".length));
    return expiresAt !== undefined && expiresAt > Date.now();
  }

  // --- failures ------------------------------------------------------------------------------------------

  function ruleFor(operation: FakeOperation, method: string): FakeFailure | undefined {
    for (const rule of rules) {
      const operations = rule.match.operation;
      const operationMatches =
        operations === undefined ||
        (typeof operations === "string" ? operations === operation : operations.includes(operation));
      if (!operationMatches) continue;
      if (rule.match.method !== undefined && rule.match.method !== method) continue;
      if (rule.share !== undefined) {
        if (random() < rule.share) return rule.failure;
        continue;
      }
      if (rule.remaining <= 0) continue;
      rule.remaining -= 1;
      return rule.failure;
    }
    return undefined;
  }

  function failureReply(failure: FakeFailure & { kind: "status" }): Reply {
    const headers: Record<string, string> = failure.retryAfter ? { "retry-after": failure.retryAfter } : {};
    if (failure.text !== undefined && !failure.text.startsWith("{")) {
      return {
        status: failure.status,
        headers: { ...headers, "content-type": "text/plain; charset=utf-8" },
        raw: Buffer.from(failure.text),
      };
    }
    return failure.text !== undefined
      ? { status: failure.status, headers, raw: Buffer.from(failure.text) }
      : problem(failure.status, `injisert feil ${failure.status}`, headers);
  }

  // --- the server ----------------------------------------------------------------------------------------

  function send(response: ServerResponse, reply: Reply): void {
    if (response.destroyed || response.writableEnded) return;
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    let payload: Buffer | undefined = reply.raw;
    if (payload === undefined && reply.body !== undefined) {
      payload = Buffer.from(JSON.stringify(reply.body), "utf8");
      headers["content-type"] ??= MEDIA_TYPE;
    }
    headers["content-length"] = String(payload?.length ?? 0);
    response.writeHead(reply.status, headers);
    response.end(payload);
  }

  function later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  }

  async function readBody(request: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw new HttpProblem(413, "for stor forespørsel");
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", origin);
    const method = request.method ?? "GET";
    const record = (operation: FakeOperation | "unknown", status: number | "no answer") =>
      requests.push({
        method,
        path: url.pathname,
        query: url.search,
        operation,
        status,
        headers: {
          authorization: request.headers.authorization,
          accept: request.headers.accept,
          contentType: request.headers["content-type"],
          contentDisposition: request.headers["content-disposition"],
          ifMatch: request.headers["if-match"],
        },
      });

    let operation: FakeOperation | "unknown" = "unknown";
    try {
      const raw = await readBody(request);
      if (url.pathname === `/${rootMount}/oauth/token`) {
        operation = "token";
        const failure = ruleFor("token", method);
        if (failure) return respondWithFailure(failure, () => tokenReply(request, raw), false);
        const reply = tokenReply(request, raw);
        record(operation, reply.status);
        return send(response, reply);
      }
      if (!authorized(request)) {
        record(operation, 401);
        return send(
          response,
          problem(401, "mangler gyldig tilgangsnøkkel", {
            "www-authenticate": 'Bearer error="invalid_token"',
          }),
        );
      }
      const accept = request.headers.accept;
      const found = route(request, url.pathname, url.searchParams, raw);
      operation = found.operation;
      const wantsJson = found.operation !== "download";
      if (
        wantsJson &&
        accept !== undefined &&
        !/application\/vnd\.noark5\+json|application\/json|\*\/\*/.test(accept)
      ) {
        record(operation, 406);
        return send(response, problem(406, `kan ikke svare med ${accept}`));
      }
      const failure = ruleFor(found.operation, method);
      if (failure) return respondWithFailure(failure, found.handle, found.writes);
      const reply = found.handle();
      record(operation, reply.status);
      send(response, reply);
    } catch (error) {
      const reply =
        error instanceof HttpProblem
          ? problem(error.status, error.message, error.headers)
          : problem(500, error instanceof Error ? error.message : "intern feil");
      record(operation, reply.status);
      send(response, reply);
    }

    function respondWithFailure(failure: FakeFailure, work: () => Reply, writes: boolean): void {
      const doWork = (): Reply => {
        try {
          return work();
        } catch (error) {
          if (error instanceof HttpProblem) return problem(error.status, error.message, error.headers);
          throw error;
        }
      };
      const worked = failure.afterWrite && writes ? doWork() : undefined;
      switch (failure.kind) {
        case "status": {
          const reply = failureReply(failure);
          record(operation, reply.status);
          send(response, reply);
          return;
        }
        case "delay":
          later(failure.ms, () => {
            const reply = worked ?? doWork();
            record(operation, reply.status);
            send(response, reply);
          });
          return;
        case "hang":
          record(operation, "no answer");
          hanging.add(response);
          response.on("close", () => hanging.delete(response));
          return;
      }
    }
  }

  const server: Server = createServer((request, response) => {
    void handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function objectOf(entity: Entity): FakeObject {
    return { systemID: entity.systemID, fields: structuredClone(entity.fields) };
  }

  return {
    baseUrl: `${origin}/${rootMount}/api/`,
    tokenUrl: `${origin}/${rootMount}/oauth/token`,
    clientId,
    clientSecret,
    saksmapper() {
      return ofType("saksmappe").map((mappe) => ({
        ...objectOf(mappe),
        mappeID: String(mappe.fields.mappeID),
        arkivdel: String(mappe.arkivdel?.fields.tittel),
        klasseID: mappe.klasse ? String(mappe.klasse.fields.klasseID) : undefined,
        parter: childrenOf(mappe, "partperson", "partenhet").map(objectOf),
      }));
    },
    journalposter() {
      return ofType("journalpost").map((post) => ({
        ...objectOf(post),
        number: String(post.fields.registreringsID),
        saksmappe: post.parent?.systemID ?? "",
        korrespondanseparter: childrenOf(
          post,
          "korrespondansepartperson",
          "korrespondansepartenhet",
          "korrespondansepartintern",
        ).map((part) => ({ ...objectOf(part), type: part.type })),
        dokumenter: childrenOf(post, "dokumentbeskrivelse").map((beskrivelse) => ({
          ...objectOf(beskrivelse),
          objekter: childrenOf(beskrivelse, "dokumentobjekt").map((objekt) => ({
            ...objectOf(objekt),
            file: objekt.file,
          })),
        })),
      }));
    },
    klasser() {
      return ofType("klasse").map((klasse) => ({
        ...objectOf(klasse),
        klassifikasjonssystem: String(klasse.parent?.fields.tittel),
      }));
    },
    requests,
    unadvertisedRequests() {
      return requests.filter(
        (request) =>
          request.operation !== "token" && request.operation !== "root" && !advertised.has(request.path),
      );
    },
    tokensIssued: () => issued,
    revokeTokens() {
      tokens.clear();
    },
    failNext(count, failure, match = {}) {
      rules.push({ failure, match, remaining: count, share: undefined });
    },
    failShare(share, failure, match = {}) {
      rules.push({ failure, match, remaining: Number.POSITIVE_INFINITY, share });
    },
    clearFailures() {
      rules = [];
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
