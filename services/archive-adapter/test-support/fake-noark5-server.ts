import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_CODE_LISTS, type FakeCode } from "./fake-noark5/code-lists";
import { type ErrorBodyStyle, errorBody, HttpProblem } from "./fake-noark5/http-problem";
import {
  createTokenEndpoint,
  discoveryDocument,
  type FakeLoginOptions,
  LOGIN_OAUTH2,
  LOGIN_OIDC,
} from "./fake-noark5/login";
import { type FilterNode, parseFilter } from "./fake-noark5/odata-filter";
import {
  refuseDatesWithoutZone,
  refuseMappetype,
  refuseScreening,
  refuseUnknownFilterFields,
  type ScreeningReading,
} from "./fake-noark5/refusals";
import { type ChunkProtocol, type ChunkQuirks, createUploads, type StoredFile } from "./fake-noark5/uploads";

/**
 * A fake Noark 5 tjenestegrensesnitt (v5, v1.1 of 2023) on real HTTP, for the noark5 driver's tests: what a
 * county's archive or the reference server would show a client, and what they refuse. Every refusal names its
 * source, the standard (`arkivverket/noark5-tjenestegrensesnitt-standard` at tag versjon-1.1, `kapitler/*.rst`;
 * "post-1.1" for text only on its HEAD, 2a078e1) or the reference server (`arkivverket/nikita-noark5-core`,
 * 74e2535, 2021), in fake-noark5/*.ts or beside the code here. Options switch on the ways real servers differ.
 *
 * - HATEOAS from one root: every object carries `_links` keyed by `https://rel.arkivverket.no/noark5/v5/api/...`
 *   relation; list links are templated (`{?$filter&$orderby&$top&$skip}`). Hrefs live under a random mount
 *   the client is never told, and every request is checked against the hrefs the fake has sent, so a client that
 *   builds a URL by hand is caught (`unadvertisedRequests`).
 * - The root answers without a token and lists the login mechanisms; with a token it lists the rest
 *   (fake-noark5/login.ts). OpenID Connect discovery at `<root>.well-known/openid-configuration`, a token
 *   endpoint for client credentials.
 * - `admin/system` with `protokollversjon` and `bulkgrense`; `metadata/` with code lists and the catalogue of
 *   business-specific metadata fields.
 * - `application/vnd.noark5+json` both ways; errors as `{"feil": {"kode", "beskrivelse"}}` (or Nikita's body);
 *   ETags on objects and `If-Match` on PATCH (JSON Merge Patch) and DELETE, 409 on a stale one.
 * - One arkiv with arkivdeler and their klassifikasjonssystemer; saksmappe, journalpost, dokumentbeskrivelse,
 *   dokumentobjekt and the file created only through `ny-*` links (GET gives a prefilled template, POST
 *   creates, 201 with `Location`), parties and correspondents likewise.
 * - Its own numbering: mappeID `YYYY/n` (saksaar/sakssekvensnummer), journalpostnummer per saksmappe
 *   (registreringsID `YYYY/n-m`), journalaar/journalsekvensnummer per year.
 * - OData `$filter` (`eq`, `and`, `or`, parentheses, paths such as `klasse/klasseID`, business-specific
 *   metadata names), `$top`, `$skip`, pages with a `next` link, and an empty answer without `results`.
 * - Uploads whole or in chunks (fake-noark5/uploads.ts), checked as the standard says.
 * - Failure injection by operation: a status for the next N requests or a share of them (optionally after the
 *   write was done, as a proxy's 502 after the archive wrote), 429 with Retry-After, slow answers, answers that
 *   never come, refusals with text.
 */

export type FakeOperation =
  | "token"
  | "discovery"
  | "root"
  | "entry"
  | "admin"
  | "metadata"
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
  | "ny-skjermingmetadata"
  | "upload"
  | "upload-session"
  | "upload-chunk"
  | "download"
  | "patch"
  | "delete";

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
  /** Let this many matching requests through before failing any (the third chunk, say). */
  readonly skip?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly operation: FakeOperation | "unknown";
  readonly status: number | "no answer";
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** How many bytes the request carried. */
  readonly bytes: number;
}

export interface FakeArkivdel {
  readonly tittel: string;
  /** Titles of its classification systems, e.g. `GBNR`. */
  readonly klassifikasjonssystemer?: readonly string[];
  /** Whether this client may create saksmapper in it (the `ny-saksmappe` link is offered); default yes. */
  readonly writable?: boolean;
}

/** A business-specific metadata field of the archive's catalogue (06-konsepter_og_prinsipper.rst:1743–1808). */
export interface FakeMetadataField {
  readonly navn: string;
  readonly type: string;
  readonly utdatert?: string;
}

export interface FakeNoark5Options {
  readonly arkivdeler?: readonly FakeArkivdel[];
  readonly tokenTtlSeconds?: number;
  readonly pageSize?: number;
  /** The business-specific metadata fields the archive knows (default: Flyt's two); others are refused. */
  readonly businessMetadataFields?: readonly (string | FakeMetadataField)[];
  /**
   * The objects that take business-specific metadata (default both). The standard lets every mappe and
   * registrering carry it (06-konsepter_og_prinsipper.rst:1657–1672); the reference server of 2021 takes it on a
   * generic mappe/registrering (FileDeserializer.java:81–86, RecordDeserializer.java:88–94) but not on a
   * saksmappe or journalpost, whose readers know no such field (CaseFileDeserializer.java,
   * RegistryEntryDeserializer.java: left-over fields, 400). Templates show it: `GET ny-...` of an object that
   * takes it returns the field, null when empty (06…rst:1814–1828).
   */
  readonly businessMetadataOn?: readonly ("saksmappe" | "journalpost")[];
  /** How Skjerming is read (see fake-noark5/refusals.ts); default the standard's v1.1. */
  readonly screening?: ScreeningReading;
  readonly login?: FakeLoginOptions;
  /** `admin/system`'s `bulkgrense`; `null`: the field is left out (then 150 MiB applies). Default 150 MiB. */
  readonly bulkgrense?: number | null;
  /** Whether the root links `admin/system/` (default yes). */
  readonly adminSystem?: boolean;
  readonly protokollversjon?: string;
  /** The header syntax of chunked uploads (fake-noark5/uploads.ts); default v1.1. */
  readonly chunkProtocol?: ChunkProtocol;
  /** The answer to a chunk for an upload session the server no longer knows (UNVERIFIED; default 400). */
  readonly unknownSessionStatus?: number;
  /** Ways of answering chunks the standard does not show (fake-noark5/uploads.ts, UNVERIFIED). */
  readonly chunkQuirks?: ChunkQuirks;
  /** Code lists of `metadata/`, by list name, over the defaults (fake-noark5/code-lists.ts). */
  readonly codeLists?: Readonly<Record<string, readonly FakeCode[]>>;
  readonly errorBodies?: ErrorBodyStyle;
  readonly now?: () => Date;
  readonly random?: () => number;
}

/** A stored object, as a test looks at it. */
export interface FakeObject {
  readonly systemID: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export type FakeFile = StoredFile;

export interface FakeSaksmappe extends FakeObject {
  readonly mappeID: string;
  readonly arkivdel: string;
  readonly klasseID: string | undefined;
  readonly parter: readonly FakeObject[];
  /** Codes added through the reference server's ny-skjermingmetadata relation. */
  readonly skjermingMetadata: readonly string[];
}

export interface FakeDocument extends FakeObject {
  readonly objekter: readonly (FakeObject & { readonly file: FakeFile | undefined })[];
}

export interface FakeJournalpost extends FakeObject {
  readonly number: string;
  readonly saksmappe: string;
  readonly korrespondanseparter: readonly (FakeObject & { readonly type: string })[];
  readonly dokumenter: readonly FakeDocument[];
  readonly skjermingMetadata: readonly string[];
}

export interface FakeNoark5Server {
  /** The API root: the one URL a client is given. */
  readonly baseUrl: string;
  /** The token endpoint, for a client configured with it rather than discovering it. */
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  saksmapper(): FakeSaksmappe[];
  journalposter(): FakeJournalpost[];
  klasser(): (FakeObject & { readonly klassifikasjonssystem: string })[];
  readonly requests: readonly RecordedRequest[];
  /** Requests to URLs the fake never sent in a link or Location (root, discovery and token endpoint excepted). */
  unadvertisedRequests(): RecordedRequest[];
  tokensIssued(): number;
  /** Invalidates every token issued so far, as a revocation or a key rotation would. */
  revokeTokens(): void;
  /** Forgets every chunked upload in progress, as a restarted server or an expired session would. */
  forgetUploadSessions(): void;
  /** Answers the next `count` completed chunked uploads as stored, and keeps no file (a broken server). */
  loseCompletedUploads(count: number): void;
  /** Answers the next `count` completed chunked uploads as stored, and keeps only half the file (a broken server). */
  shortenCompletedUploads(count: number): void;
  /** Chunked uploads in progress. */
  uploadSessions(): number;
  failNext(count: number, failure: FakeFailure, match?: FakeRequestMatch): void;
  failShare(share: number, failure: FakeFailure, match?: FakeRequestMatch): void;
  clearFailures(): void;
  close(): Promise<void>;
}

const MEDIA_TYPE = "application/vnd.noark5+json";
const API = "https://rel.arkivverket.no/noark5/v5/api";
const NIKITA_REL = "https://nikita.arkivlab.no/noark5/v5";
const LIST_TEMPLATE = "{?$filter&$orderby&$top&$skip}";
const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** The default of `bulkgrense` (post-1.1, HEAD 06-konsepter_og_prinsipper.rst:176–179). */
const DEFAULT_BULKGRENSE = 157_286_400;

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
  | "dokumentobjekt"
  | "skjermingmetadata";

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
  file?: StoredFile;
  /** An arkivdel this client may not create saksmapper in. */
  readOnly?: boolean;
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
  skipped: number;
  readonly share: number | undefined;
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
  const errorStyle = options.errorBodies ?? "feil";
  const screening = options.screening ?? "v1.1";
  const login = options.login ?? {};
  const metadataFields: FakeMetadataField[] = (
    options.businessMetadataFields ?? ["vnd-flyt-v1:eksternid", "vnd-flyt-v1:fullfoert"]
  ).map((field) =>
    typeof field === "string"
      ? { navn: field, type: field.endsWith("fullfoert") ? "boolean" : "string" }
      : field,
  );
  const metadataOn = new Set(options.businessMetadataOn ?? ["saksmappe", "journalpost"]);
  const codeLists = { ...DEFAULT_CODE_LISTS, ...(options.codeLists ?? {}) };
  const bulkgrense = options.bulkgrense === undefined ? DEFAULT_BULKGRENSE : options.bulkgrense;
  const clientId = `flyt-${randomBytes(3).toString("hex")}`;
  const clientSecret = randomBytes(12).toString("base64url");
  const rootMount = randomBytes(4).toString("hex");
  const mount = randomBytes(4).toString("hex");

  const entities = new Map<string, Entity>();
  const tokens = createTokenEndpoint({
    login,
    clientId,
    clientSecret,
    ttlSeconds: options.tokenTtlSeconds ?? 3600,
  });
  const uploads = createUploads({
    chunkProtocol: options.chunkProtocol ?? "v1.1",
    bulkgrense: bulkgrense ?? DEFAULT_BULKGRENSE,
    unknownSessionStatus: options.unknownSessionStatus ?? 400,
    ...(options.chunkQuirks ? { quirks: options.chunkQuirks } : {}),
  });
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
  const rootPath = `/${rootMount}/api/`;
  const discoveryPath = `${rootPath}.well-known/openid-configuration`;
  const tokenPath = `/${rootMount}/oauth/token`;

  const problem = (status: number, message: string, headers: Record<string, string> = {}): Reply => ({
    status,
    headers,
    body: errorBody(errorStyle, status, message),
  });

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

  function remove(entity: Entity): void {
    for (const child of [...entity.children]) remove(child);
    entities.delete(entity.systemID);
    const siblings = entity.parent?.children;
    if (siblings) siblings.splice(siblings.indexOf(entity), 1);
    uploads.forgetTarget(entity);
  }

  // The arkiv the fake starts with.
  const arkiv = add("arkiv", undefined, { tittel: "Flyt testarkiv", arkivstatus: { kode: "O" } });
  for (const arkivdel of options.arkivdeler ?? [
    { tittel: "SAK", klassifikasjonssystemer: ["GBNR", "ORGNR", "FNR"] },
    { tittel: "PERSONAL" },
  ]) {
    const created = add("arkivdel", arkiv, { tittel: arkivdel.tittel, arkivdelstatus: { kode: "A" } });
    if (arkivdel.writable === false) created.readOnly = true;
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
        // "Ressurser bør kun gjøres tilgjengelig i API når pålogget bruker har tilgang" (06-konsepter_og_prinsipper.rst:138–141).
        if (!entity.readOnly) result[`${API}/sakarkiv/ny-saksmappe/`] = link(`${self}/ny-saksmappe`);
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
        // A saksmappe lists its journal posts as registreringer only: Saksmappe and Mappe offer
        // arkivstruktur/registrering/, not sakarkiv/journalpost/ (07-tjenester_og_informasjonsmodell.rst: Mappe
        // 3345–3374, Saksmappe 7339–7345).
        result[`${API}/arkivstruktur/registrering/`] = list(`${self}/journalpost`);
        result[`${API}/sakarkiv/ny-journalpost/`] = link(`${self}/ny-journalpost`);
        result[`${API}/arkivstruktur/part/`] = list(`${self}/part`);
        result[`${API}/arkivstruktur/ny-partperson/`] = link(`${self}/ny-partperson`);
        result[`${API}/arkivstruktur/ny-partenhet/`] = link(`${self}/ny-partenhet`);
        screeningMetadataLinks(entity, result);
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
        screeningMetadataLinks(entity, result);
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
      case "skjermingmetadata":
        result[`${NIKITA_REL}/skjermingmetadata/`] = link(self);
        break;
    }
    return result;
  }

  /**
   * The reference server's relations for an object's skjermingMetadata, offered once the object is screened
   * (FileHateoasHandler.java:383–390, RecordHateoasHandler.java:439–447).
   */
  function screeningMetadataLinks(entity: Entity, result: Record<string, { href: string }>): void {
    if (screening !== "nikita-2021" || !entity.fields.skjerming) return;
    const self = selfPath(entity);
    result[`${NIKITA_REL}/skjermingmetadata/`] = { href: href(`${self}/skjermingmetadata`) };
    result[`${NIKITA_REL}/ny-skjermingmetadata/`] = { href: href(`${self}/ny-skjermingmetadata`) };
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

  function pageReply(path: string, hits: unknown[], query: URLSearchParams): Reply {
    const skip = Number(query.get("$skip") ?? "0");
    const top = query.has("$top") ? Number(query.get("$top")) : Number.POSITIVE_INFINITY;
    if (!Number.isInteger(skip) || skip < 0 || Number.isNaN(top))
      throw new HttpProblem(400, "ugyldig $top/$skip");
    const wanted = hits.slice(skip, skip + top);
    const page = wanted.slice(0, pageSize);
    const body: Record<string, unknown> = { count: hits.length };
    // An empty list is 200 with count 0 and no "results" member (06-konsepter_og_prinsipper.rst:507–520).
    if (page.length > 0) body.results = page;
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

  function listReply(path: string, candidates: Entity[], query: URLSearchParams): Reply {
    const filter = query.get("$filter");
    const node = filter ? parseFilter(filter) : undefined;
    if (node) refuseUnknownFilterFields(node);
    const hits = node ? candidates.filter((entity) => matches(entity, node)) : candidates;
    return pageReply(path, hits.map(view), query);
  }

  // --- creating objects ----------------------------------------------------------------------------------

  /**
   * Business-specific metadata: names the catalogue knows, on objects that take it (see
   * `businessMetadataOn`); the reference server's refusal of a field its reader does not know is 400 with the
   * field named (CaseFileDeserializer.java:132–143, RegistryEntryDeserializer.java:175–182).
   */
  function checkMetadata(fields: Record<string, unknown>, type: EntityType): void {
    const metadata = fields.virksomhetsspesifikkeMetadata;
    if (metadata === undefined || metadata === null) return;
    if ((type === "saksmappe" || type === "journalpost") && !metadataOn.has(type)) {
      throw new HttpProblem(
        400,
        `The ${type} object you tried to create is malformed. The following fields are not recognised as ${type} fields [virksomhetsspesifikkeMetadata].`,
      );
    }
    if (typeof metadata !== "object" || Array.isArray(metadata)) {
      throw new HttpProblem(400, "virksomhetsspesifikkeMetadata må være et objekt");
    }
    for (const name of Object.keys(metadata)) {
      const field = metadataFields.find((known) => known.navn === name);
      if (!field) throw new HttpProblem(400, `ukjent virksomhetsspesifikt metadatafelt ${name}`);
      // A field outdated before now may not be set (07-tjenester_og_informasjonsmodell.rst:6315–6321).
      if (field.utdatert !== undefined && Date.parse(field.utdatert) <= now().getTime()) {
        throw new HttpProblem(400, `virksomhetsspesifikt metadatafelt ${name} er utdatert`);
      }
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

  function template(operation: string): Record<string, unknown> {
    // An object that takes business-specific metadata shows the field in its template, null when empty
    // (06-konsepter_og_prinsipper.rst:1814–1828); one that does not, does not.
    const metadata = (type: "saksmappe" | "journalpost") =>
      metadataOn.has(type) ? { virksomhetsspesifikkeMetadata: null } : {};
    switch (operation) {
      case "ny-saksmappe":
        return {
          tittel: "angi tittel på saksmappe",
          saksstatus: { kode: "B", kodenavn: "Under behandling" },
          dokumentmedium: { kode: "E", kodenavn: "Elektronisk arkiv" },
          saksansvarlig: "Flyt integrasjon",
          ...metadata("saksmappe"),
        };
      case "ny-journalpost":
        return {
          tittel: "angi tittel på journalpost",
          journalstatus: { kode: "J", kodenavn: "Journalført" },
          dokumentmedium: { kode: "E", kodenavn: "Elektronisk arkiv" },
          ...metadata("journalpost"),
        };
      case "ny-dokumentbeskrivelse":
        return {
          dokumenttype: { kode: "B", kodenavn: "Brev" },
          dokumentstatus: { kode: "F", kodenavn: "Dokumentet er ferdigstilt" },
        };
      case "ny-dokumentobjekt":
        return { versjonsnummer: 1, variantformat: { kode: "A", kodenavn: "Arkivformat" } };
      default:
        return {};
    }
  }

  function yearOf(): number {
    return now().getUTCFullYear();
  }

  function nextIn(counter: Map<number, number>, year: number): number {
    const next = (counter.get(year) ?? 0) + 1;
    counter.set(year, next);
    return next;
  }

  /** What every create and update is checked for, whatever the object. */
  function checkBody(body: Record<string, unknown>): void {
    refuseDatesWithoutZone(body);
  }

  function createSaksmappe(container: Entity, body: Record<string, unknown>): Entity {
    const fields = clientFields(body);
    requireTitle(fields, "saksmappe");
    checkBody(fields);
    refuseMappetype(fields);
    refuseScreening(fields.skjerming, screening);
    checkMetadata(fields, "saksmappe");
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
      saksdato: now().toISOString(),
    });
    entity.arkivdel = arkivdel;
    if (container.type === "klasse") entity.klasse = container;
    return entity;
  }

  function createJournalpost(saksmappe: Entity, body: Record<string, unknown>): Entity {
    const fields = clientFields(body);
    requireTitle(fields, "journalpost");
    checkBody(fields);
    refuseScreening(fields.skjerming, screening);
    checkMetadata(fields, "journalpost");
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
      journaldato: now().toISOString(),
    });
  }

  function createChild(parent: Entity, operation: string, body: Record<string, unknown>): Entity {
    const fields = clientFields(body);
    checkBody(fields);
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
        refuseScreening(fields.skjerming, screening);
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
      case "ny-skjermingmetadata": {
        // The reference server's relation: one M502 code per POST (noark5-tester runtest:1413–1422).
        const code = kode(fields);
        const known = codeLists.skjermingmetadata ?? [];
        if (!code || !known.some((entry) => entry.kode === code)) {
          throw new HttpProblem(400, `ugyldig skjermingMetadata «${code}»`);
        }
        return add("skjermingmetadata", parent, { kode: code, kodenavn: fields.kodenavn ?? code });
      }
      default:
        throw new HttpProblem(404, `ukjent ressurs ${operation}`);
    }
  }

  // --- routing -------------------------------------------------------------------------------------------

  interface Route {
    readonly operation: FakeOperation;
    /** Whether the work changes what the archive holds (for `afterWrite` failures). */
    readonly writes: boolean;
    readonly handle: () => Reply;
  }

  /** The root: login mechanisms for anyone; with a token, the rest as well (04-teknologi.rst:27–32). */
  function rootLinks(withToken: boolean): Reply {
    const linksOut: Record<string, { href: string }> = {};
    if (!login.withoutOidcLink) linksOut[LOGIN_OIDC] = { href: href(discoveryPath) };
    linksOut[LOGIN_OAUTH2] = { href: href(tokenPath) };
    if (withToken) {
      linksOut[`${API}/arkivstruktur/`] = { href: href(`/${mount}/arkivstruktur`) };
      linksOut[`${API}/sakarkiv/`] = { href: href(`/${mount}/sakarkiv`) };
      linksOut[`${API}/metadata/`] = { href: href(`/${mount}/metadata`) };
      if (options.adminSystem !== false) {
        linksOut[`${API}/admin/system/`] = { href: href(`/${mount}/admin/system`) };
      }
    }
    return { status: 200, body: { _links: linksOut } };
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

  /**
   * `admin/system` (06-konsepter_og_prinsipper.rst:171–203 at versjon-1.1; `bulkgrense` is post-1.1, HEAD
   * 06…rst:176–179).
   */
  function systemReply(): Reply {
    return {
      status: 200,
      body: {
        ...(bulkgrense === null ? {} : { bulkgrense }),
        leverandoer: "Flyt",
        produkt: "falsk Noark 5-kjerne",
        versjon: "1",
        versjonsdato: "2026-01-01",
        protokollversjon: options.protokollversjon ?? "1.1",
        _links: { self: { href: href(`/${mount}/admin/system`) } },
      },
    };
  }

  /** `metadata/`: a relation per code list (07…rst «codelist» classes) and the business metadata catalogue. */
  function metadataLinks(): Reply {
    const list = (path: string) => ({ href: `${href(path)}${LIST_TEMPLATE}`, templated: true });
    const linksOut: Record<string, unknown> = { self: { href: href(`/${mount}/metadata`) } };
    for (const name of Object.keys(codeLists)) {
      linksOut[`${API}/metadata/${name}/`] = list(`/${mount}/metadata/${name}`);
    }
    linksOut[`${API}/metadata/virksomhetsspesifikkeMetadata/`] = list(
      `/${mount}/metadata/virksomhetsspesifikkeMetadata`,
    );
    return { status: 200, body: { _links: linksOut } };
  }

  function codeListReply(path: string, name: string, query: URLSearchParams): Reply {
    if (name === "virksomhetsspesifikkeMetadata") {
      return pageReply(
        path,
        metadataFields.map((field) => ({ systemID: field.navn, ...field })),
        query,
      );
    }
    const values = codeLists[name];
    if (!values) throw new HttpProblem(404, `ingen kodeliste ${name}`);
    return pageReply(path, [...values], query);
  }

  function jsonBody(request: IncomingMessage, raw: Buffer, patch = false): Record<string, unknown> {
    const contentType = (request.headers["content-type"] ?? "").split(";")[0]?.trim();
    // PATCH is RFC 7396 JSON Merge Patch (06-konsepter_og_prinsipper.rst:824–832).
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

  /** ETag optimistic concurrency: a stale If-Match is 409 (06-konsepter_og_prinsipper.rst:725–745). */
  function checkPrecondition(request: IncomingMessage, entity: Entity): void {
    const ifMatch = request.headers["if-match"];
    if (ifMatch !== undefined && ifMatch !== etagOf(entity)) {
      throw new HttpProblem(409, "objektet er endret av andre siden det ble hentet");
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

    if (path === rootPath || path === rootPath.slice(0, -1)) return read("root", () => rootLinks(true));
    const segments = path.split("/").filter(Boolean);
    if (segments[0] !== mount) throw new HttpProblem(404, `ingen ressurs ${path}`);
    const [, first, second, third] = segments;

    if (segments.length === 2 && (first === "arkivstruktur" || first === "sakarkiv") && method === "GET") {
      return read("entry", () => entryLinks(first));
    }
    if (first === "admin" && second === "system" && segments.length === 3 && method === "GET") {
      if (options.adminSystem === false) throw new HttpProblem(404, `ingen ressurs ${path}`);
      return read("admin", systemReply);
    }
    if (first === "metadata" && method === "GET") {
      if (segments.length === 2) return read("metadata", metadataLinks);
      if (segments.length === 3 && second) return read("metadata", () => codeListReply(path, second, query));
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
          checkPrecondition(request, entity);
          const patch = clientFields(jsonBody(request, raw, true));
          checkBody(patch);
          const patched = mergePatch(entity.fields, patch);
          checkMetadata(patched, entity.type);
          entity.fields = patched;
          entity.version += 1;
          return entityReply(entity);
        });
      }
      if (method === "DELETE" && entity.type === "dokumentobjekt") {
        // Delete on the self relation, 204 (06-konsepter_og_prinsipper.rst:1247–1266); how a client clears
        // the leftovers of a failed upload (06…rst:1478–1483).
        return write("delete", () => {
          checkPrecondition(request, entity);
          remove(entity);
          return { status: 204 };
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
      "saksmappe/skjermingmetadata": () => childrenOf(entity, "skjermingmetadata"),
      "journalpost/dokumentbeskrivelse": () => childrenOf(entity, "dokumentbeskrivelse"),
      "journalpost/korrespondansepart": () =>
        childrenOf(entity, "korrespondansepartperson", "korrespondansepartenhet", "korrespondansepartintern"),
      "journalpost/skjermingmetadata": () => childrenOf(entity, "skjermingmetadata"),
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
      "saksmappe/ny-skjermingmetadata": "ny-skjermingmetadata",
      "journalpost/ny-korrespondansepartperson": "ny-korrespondansepart",
      "journalpost/ny-korrespondansepartenhet": "ny-korrespondansepart",
      "journalpost/ny-korrespondansepartintern": "ny-korrespondansepart",
      "journalpost/ny-dokumentbeskrivelse": "ny-dokumentbeskrivelse",
      "journalpost/ny-skjermingmetadata": "ny-skjermingmetadata",
      "dokumentbeskrivelse/ny-dokumentobjekt": "ny-dokumentobjekt",
    };
    const creation = creators[`${entity.type}/${sub}`];
    if (
      creation &&
      (entity.readOnly || (creation === "ny-skjermingmetadata" && screening !== "nikita-2021"))
    ) {
      throw new HttpProblem(403, `ingen tilgang til ${sub} her`);
    }
    if (creation && method === "GET") {
      return read("template", () => ({ status: 200, body: { ...template(sub), _links: {} } }));
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
      if (method === "POST") {
        const session = request.headers["x-upload-content-length"] !== undefined;
        return write(session ? "upload-session" : "upload", () => {
          const outcome = uploads.post(entity, request, raw);
          if (outcome.kind === "stored") return entityReply(entity, 201);
          // 200 OK with the session URI in Location (06…rst:1486–1496).
          return {
            status: 200,
            headers: { location: `${href(`${selfPath(entity)}/referanseFil`)}?filsesjon=${outcome.ref}` },
          };
        });
      }
      if (method === "PUT") {
        return write("upload-chunk", () => {
          const outcome = uploads.put(entity, query.get("filsesjon"), request, raw);
          if (outcome.kind === "stored")
            return outcome.bare ? { status: 200, headers: {} } : entityReply(entity, 201);
          return {
            status: 200,
            headers: {
              location: `${href(`${selfPath(entity)}/referanseFil`)}?filsesjon=${outcome.ref}`,
              range: outcome.range,
            },
          };
        });
      }
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

  // --- failures ------------------------------------------------------------------------------------------

  function ruleFor(operation: FakeOperation, method: string): FakeFailure | undefined {
    for (const rule of rules) {
      const operations = rule.match.operation;
      const operationMatches =
        operations === undefined ||
        (typeof operations === "string" ? operations === operation : operations.includes(operation));
      if (!operationMatches) continue;
      if (rule.match.method !== undefined && rule.match.method !== method) continue;
      if (rule.skipped < (rule.match.skip ?? 0)) {
        rule.skipped += 1;
        continue;
      }
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

  /** What answers without a token: the root (its login part), discovery and the token endpoint. */
  function open(
    request: IncomingMessage,
    path: string,
    raw: Buffer,
  ): { operation: FakeOperation; reply: () => Reply } | undefined {
    if (path === tokenPath) return { operation: "token", reply: () => tokens.reply(request, raw) };
    if (path === discoveryPath && request.method === "GET") {
      const issuer = `${origin}/${rootMount}`;
      return {
        operation: "discovery",
        reply: () => ({
          status: 200,
          headers: { "content-type": "application/json" },
          body: discoveryDocument(issuer, href(tokenPath), login),
        }),
      };
    }
    if (
      (path === rootPath || path === rootPath.slice(0, -1)) &&
      !tokens.authorized(request) &&
      !login.rootNeedsToken
    ) {
      return { operation: "root", reply: () => rootLinks(false) };
    }
    return undefined;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", origin);
    const method = request.method ?? "GET";
    let bytes = 0;
    const record = (operation: FakeOperation | "unknown", status: number | "no answer") =>
      requests.push({
        method,
        path: url.pathname,
        query: url.search,
        operation,
        status,
        bytes,
        headers: {
          authorization: request.headers.authorization,
          accept: request.headers.accept,
          contentType: request.headers["content-type"],
          contentDisposition: request.headers["content-disposition"],
          contentRange: request.headers["content-range"],
          xFileName: request.headers["x-file-name"] as string | undefined,
          xUploadContentLength: request.headers["x-upload-content-length"] as string | undefined,
          xUploadContentType: request.headers["x-upload-content-type"] as string | undefined,
          ifMatch: request.headers["if-match"],
          etag: request.headers.etag as string | undefined,
        },
      });

    let operation: FakeOperation | "unknown" = "unknown";
    try {
      const raw = await readBody(request);
      bytes = raw.length;
      const unauthenticated = open(request, url.pathname, raw);
      if (unauthenticated) {
        operation = unauthenticated.operation;
        const failure = ruleFor(operation, method);
        if (failure) return respondWithFailure(failure, unauthenticated.reply, false);
        const reply = unauthenticated.reply();
        record(operation, reply.status);
        return send(response, reply);
      }
      if (!tokens.authorized(request)) {
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

  const screeningCodes = (entity: Entity) =>
    childrenOf(entity, "skjermingmetadata").map((child) => String(child.fields.kode));

  return {
    baseUrl: `${origin}${rootPath}`,
    tokenUrl: `${origin}${tokenPath}`,
    clientId,
    clientSecret,
    saksmapper() {
      return ofType("saksmappe").map((mappe) => ({
        ...objectOf(mappe),
        mappeID: String(mappe.fields.mappeID),
        arkivdel: String(mappe.arkivdel?.fields.tittel),
        klasseID: mappe.klasse ? String(mappe.klasse.fields.klasseID) : undefined,
        parter: childrenOf(mappe, "partperson", "partenhet").map(objectOf),
        skjermingMetadata: screeningCodes(mappe),
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
        skjermingMetadata: screeningCodes(post),
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
          request.operation !== "token" &&
          request.operation !== "root" &&
          request.operation !== "discovery" &&
          !advertised.has(request.path),
      );
    },
    tokensIssued: () => tokens.issued(),
    revokeTokens() {
      tokens.revoke();
    },
    forgetUploadSessions() {
      uploads.forgetAll();
    },
    loseCompletedUploads(count) {
      uploads.loseCompleted(count);
    },
    shortenCompletedUploads(count) {
      uploads.shortenCompleted(count);
    },
    uploadSessions: () => uploads.open,
    failNext(count, failure, match = {}) {
      rules.push({ failure, match, remaining: count, skipped: 0, share: undefined });
    },
    failShare(share, failure, match = {}) {
      rules.push({ failure, match, remaining: Number.POSITIVE_INFINITY, skipped: 0, share });
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
