import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  archiveCodes,
  type FakeAdapter,
  type FakeCode,
  type FakeListName,
  listPaths,
} from "./fake-fint/archive-codes";
import { type Comparison, parseFilter } from "./fake-fint/odata-grammar";

/**
 * A fake FINT arkiv API on real HTTP (port 0), for the fint driver's tests. It refuses what the real FINT
 * consumers and archive adapters refuse, as read in their sources (each behaviour below names its source;
 * repositories are FINTLabs/<name>). It is written apart from the driver, so the two check each other.
 *
 * Modes: `consumer` classic (fint-consumer-arkiv-noark) or core (fint-core-consumer); `adapter` P360
 * (fint-p360-rpc-arkiv-adapter) or ELEMENTS (fint-sikri-arkiv-adapter).
 *
 * - `POST /oauth/token`: the password and client credentials grants, client by Basic or form fields; every
 *   `/arkiv/**` request needs a valid bearer token, else 401.
 * - Code lists (`GET /arkiv/kodeverk/<list>`, `/arkiv/noark/<list>`, `/systemid/<id>`, `/last-updated`) with the
 *   archive's own ids and the merged Noark duplicates (see fake-fint/archive-codes.ts).
 * - Writes (`POST /arkiv/noark/sak`, `PUT /arkiv/noark/sak/mappeid/{ar}/{nr}`, `POST /arkiv/noark/dokumentfil`)
 *   answer 202 with a status URL, which answers 202 while processing, then the outcome as the consumer's
 *   `StatusCache` answers it, or 410 once expired.
 * - Reads: `GET /arkiv/noark/sak/mappeid/{ar}/{nr}` and `/systemid/{id}`, and `POST /arkiv/noark/sak/$query`
 *   with FINT's filter grammar (fake-fint/odata-grammar.ts) and each adapter's search vocabulary.
 *
 * Failures are injected per request (`inject`); what it holds is exposed for assertions.
 */

export interface FakeFintOptions {
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly username?: string;
  readonly password?: string;
  /** The grants its token endpoint accepts (default both). */
  readonly grants?: readonly ("password" | "client_credentials")[];
  readonly tokenLifetimeSeconds?: number;
  /** The consumer in front (default classic). */
  readonly consumer?: "classic" | "core";
  /** The archive behind (default ELEMENTS). */
  readonly adapter?: FakeAdapter;
  /** How many times a write's status URL answers 202 before it completes (default 1). */
  readonly pollsUntilComplete?: number;
  /**
   * What a completed status answers in the classic consumer: 201 when `fint.consumer.status.created` is set,
   * 303 otherwise (fint-consumer-arkiv-noark `StatusCache`, `ConsumerProps`); default 201. The core consumer
   * answers 201 only (fint-core-consumer `ResourceController`).
   */
  readonly completedStatus?: 201 | 303;
  /**
   * How long a write's status is kept (default 30 min: fint-consumer-arkiv-noark `StatusCache`
   * `expireAfterWrite=30m`; fint-core-consumer `EventCacheProperties`); afterwards its status URL answers 410.
   */
  readonly statusExpiresAfterMs?: number;
  /**
   * A FAKE OPTION (default true): refuse a dokumentobjekt without a `filformat` link. Both adapters take the
   * file type from it (fint-p360-rpc-arkiv-adapter `DokumentbeskrivelseFactory`, fint-sikri-arkiv-adapter
   * `DokumentobjektFactory`); whether the archives refuse a document without it is UNVERIFIED.
   */
  readonly requireFilformat?: boolean;
  /**
   * A FAKE OPTION: what the archive fills in for a case sent without a case officer or unit (ids in its lists).
   * Both fields are optional in FINT; whether a county's archive fills them with a default (its own, or the
   * adapter's case defaults) is UNVERIFIED, and depends on its set-up.
   */
  readonly caseDefaults?: { readonly saksansvarlig?: string; readonly administrativEnhet?: string };
  readonly now?: () => Date;
  readonly random?: () => number;
}

/** What an injected failure does to a request it matches. */
export type InjectedAnswer =
  /** Answers this at once, before doing anything: 5xx, 429 with `Retry-After`, 4xx with validation text. */
  | {
      readonly kind: "status";
      readonly status: number;
      readonly body?: unknown;
      readonly headers?: Readonly<Record<string, string>>;
    }
  /** Answers as usual, this much later. */
  | { readonly kind: "delay"; readonly ms: number }
  /** Never answers; with `afterProcessing` it does the work first (a write that happened, unknown to the caller). */
  | { readonly kind: "hang"; readonly afterProcessing?: boolean }
  /** A write is done and accepted, but its status URL answers 202 forever. */
  | { readonly kind: "status-never-completes" }
  /**
   * A write is accepted and done this much later, as FINT's consumer gets to it: until then its status URL
   * answers 202 and nothing it makes can be found.
   */
  | { readonly kind: "processing"; readonly ms: number }
  /**
   * A write is accepted, and its status URL answers this error (FINT's failed or rejected event); not done, unless
   * `afterWriting`: the archive made it and the adapter failed afterwards. Public 360's adapter writes first and
   * then reads what it wrote back to answer it (fint-p360-rpc-arkiv-adapter `UpdateSakHandler.createCase`:
   * `caseService.createCase`, then `sakService.getCasesForQuery("mappeid/" + caseNumber)`; `updateCase` the same
   * after `createDocumentsForCase`), and a `CaseNotFound` or `GetDocumentException` there is answered REJECTED,
   * any other exception ERROR: a failure answered for a write that happened.
   */
  | {
      readonly kind: "status-error";
      readonly status: number;
      readonly message: string;
      readonly afterWriting?: boolean;
    }
  /** A write is accepted, and its status URL answers 409 with what the archive holds (a CONFLICT event); not done. */
  | { readonly kind: "status-conflict" };

export interface InjectedFailure {
  readonly method?: string;
  /** A path prefix, or a pattern for the path. */
  readonly path?: string | RegExp;
  /** How many matching requests it takes (default 1); ignored when `share` is given. */
  readonly times?: number;
  /** How many matching requests it lets through first (default none). */
  readonly skip?: number;
  /** Instead of a count: this share (0–1) of matching requests, until cleared. */
  readonly share?: number;
  readonly answer: InjectedAnswer;
}

export interface StoredCase {
  readonly caseNumber: string;
  readonly systemId: string;
  /** The SakResource as the archive answers it, journal posts included. */
  readonly resource: Readonly<Record<string, unknown>>;
}

export interface StoredJournalPost {
  readonly caseNumber: string;
  /** `2026/123-4`, `26/00123-4`. */
  readonly number: string;
  readonly resource: Readonly<Record<string, unknown>>;
}

export interface StoredFile {
  readonly systemId: string;
  readonly href: string;
  readonly filename: string | undefined;
  readonly contentType: string;
  readonly content: Buffer;
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly at: Date;
  /** The body as text, for JSON and filters (not files). */
  readonly body: string | undefined;
  /** Undefined while unanswered (or never answered). */
  status: number | undefined;
}

/** A case an archivist made in the archive, outside Flyt. */
export interface SeededCase {
  readonly tittel: string;
  /** The arkivdel's system id in the fake's list. */
  readonly arkivdel?: string;
  /** The primary classification's value. */
  readonly klasse?: string;
  /** The case officer's id in the archive (its arkivressurs system id, Public 360: the contact's recno). */
  readonly saksansvarlig?: string;
  readonly createdAt?: Date;
}

export interface FakeFintServer {
  /** Where the API is, e.g. `http://127.0.0.1:41234`. */
  readonly baseUrl: string;
  readonly tokenUrl: string;
  readonly credentials: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly username: string;
    readonly password: string;
  };
  inject(failure: InjectedFailure): void;
  clearFailures(): void;
  /** Makes every token issued so far invalid, as when the identity provider rotates its keys. */
  revokeTokens(): void;
  /** A code list's entries as served. */
  codes(list: FakeListName): readonly FakeCode[];
  /** Adds an entry to a code list (a duplicate, a code added later). */
  addCode(list: FakeListName, code: FakeCode): void;
  /** The self link of a code list entry. */
  codeHref(list: FakeListName, systemId: string): string;
  /** Adds a case as an archivist would, outside Flyt. */
  seedCase(seed: SeededCase): StoredCase;
  cases(): StoredCase[];
  journalPosts(): StoredJournalPost[];
  files(): StoredFile[];
  /** Writes taken and not done yet (see the `processing` failure). */
  stillProcessing(): number;
  requests(): readonly LoggedRequest[];
  /** Tokens issued, by grant. */
  tokensIssued(): readonly string[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

interface Answer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** How the archive's adapter ended a write: FINT's event response status. */
type Outcome =
  | { readonly kind: "accepted"; readonly location: string; readonly body: Json }
  | {
      readonly kind: "rejected";
      readonly statusCode: string;
      readonly message: string;
      readonly problems?: unknown;
    }
  | { readonly kind: "error"; readonly message: string }
  | { readonly kind: "conflict"; readonly body: Json }
  /** A body the consumer cannot read: answered at once, never a status URL. */
  | { readonly kind: "unreadable" };

/** A write's progress, as its status URL reports it. */
interface PendingWrite {
  readonly collection: "sak" | "dokumentfil";
  readonly acceptedAtMs: number;
  pollsLeft: number;
  readonly neverCompletes: boolean;
  /** Undefined while the archive is still processing the write. */
  outcome: Outcome | undefined;
}

interface FailureRule extends InjectedFailure {
  remaining: number;
  skipped: number;
}

interface HeldCase {
  readonly caseNumber: string;
  readonly systemId: string;
  readonly resource: Json;
  /** The primary classification's value as written (Public 360 does not answer it as klasseId). */
  readonly primaryValue: string | undefined;
}

const HAL_JSON = "application/hal+json;charset=UTF-8";

export async function startFakeFintServer(options: FakeFintOptions = {}): Promise<FakeFintServer> {
  const credentials = {
    clientId: options.clientId ?? "flyt-test-client",
    clientSecret: options.clientSecret ?? "flyt-test-secret",
    username: options.username ?? "flyt-adapter@fint.test",
    password: options.password ?? "flyt-password",
  };
  const grants = new Set(options.grants ?? ["password", "client_credentials"]);
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const pollsUntilComplete = options.pollsUntilComplete ?? 1;
  const consumer = options.consumer ?? "classic";
  const adapter = options.adapter ?? "ELEMENTS";
  const statusExpiresAfterMs = options.statusExpiresAfterMs ?? 30 * 60_000;
  const requireFilformat = options.requireFilformat ?? true;
  if (consumer === "core" && options.completedStatus === 303) {
    throw new Error("the core consumer answers a finished write with 201 only");
  }

  const tokens = new Map<string, { readonly expiresAtMs: number }>();
  const issuedGrants: string[] = [];
  const failures: FailureRule[] = [];
  const requestLog: LoggedRequest[] = [];
  const pendingWrites = new Map<string, PendingWrite>();
  const cases = new Map<string, HeldCase>();
  const files = new Map<string, StoredFile>();
  const lists = archiveCodes(adapter);
  const caseSequenceByYear = new Map<number, number>();
  let nextSystemId = 1000;
  let baseUrl = "";

  // ---- requests ------------------------------------------------------------------------------------------

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, undefined, { status: 500, body: { message: String(error) } });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? "GET";
    const rawPath = new URL(request.url ?? "/", "http://fake").pathname;
    const path = decodeURIComponent(rawPath);
    const body = await readBody(request);
    const textual = !path.startsWith("/arkiv/noark/dokumentfil") || method === "GET";
    const logged: LoggedRequest = {
      method,
      path,
      at: now(),
      body: textual && body.length > 0 ? body.toString("utf8") : undefined,
      status: undefined,
    };
    requestLog.push(logged);

    // Servlet containers refuse an encoded slash in a path by default (Tomcat's ALLOW_ENCODED_SLASH); whether
    // FINT's gateway in front changes that is UNVERIFIED. FINT's own links carry the raw slash.
    if (/%2f/i.test(rawPath))
      return send(response, logged, { status: 400, body: { message: "Bad Request" } });

    const failure = takeFailure(method, path);
    const injected = failure?.answer;
    if (injected?.kind === "status") {
      return send(response, logged, {
        status: injected.status,
        body: injected.body,
        ...(injected.headers === undefined ? {} : { headers: injected.headers }),
      });
    }
    if (injected?.kind === "hang" && !injected.afterProcessing) return; // never answered
    if (injected?.kind === "delay") await new Promise((resolve) => setTimeout(resolve, injected.ms));

    const answer = route(method, path, request, body, injected);
    if (injected?.kind === "hang") return; // done, and never answered
    send(response, logged, answer);
  }

  function route(
    method: string,
    path: string,
    request: IncomingMessage,
    body: Buffer,
    injected: InjectedAnswer | undefined,
  ): Answer {
    if (path === "/oauth/token") {
      return method === "POST" ? issueToken(request, body) : { status: 405 };
    }
    if (!path.startsWith("/arkiv/")) return notFound(path);
    if (!isAuthorized(request)) {
      return {
        status: 401,
        headers: { "www-authenticate": 'Bearer error="invalid_token"' },
        body: { error: "invalid_token", error_description: "missing, unknown or expired bearer token" },
      };
    }

    // fint-consumer-arkiv-noark `SakCustomController`: `/mappeid/{ar}/{sekvensnummer}`, any digits.
    const caseByNumber = /^\/arkiv\/noark\/sak\/mappeid\/(\d+)\/(\d+)$/.exec(path);
    const caseBySystemId = /^\/arkiv\/noark\/sak\/systemid\/([^/]+)$/.exec(path);
    const status = /^\/arkiv\/noark\/(sak|dokumentfil)\/status\/([^/]+)$/.exec(path);

    if (method === "POST" && path === "/arkiv/noark/sak") {
      return accept(
        "sak",
        () => createCase(body),
        injected,
        () => parseJsonObject(body),
      );
    }
    if (method === "POST" && path === "/arkiv/noark/sak/$query") return query(body.toString("utf8"), path);
    if (method === "POST" && path === "/arkiv/noark/dokumentfil") {
      const contentType = request.headers["content-type"];
      const disposition = request.headers["content-disposition"];
      // FINT's consumer requires both headers: without them Spring answers 400 at once.
      if (!contentType || !disposition) {
        return {
          status: 400,
          body: { message: "Missing request header Content-Type or Content-Disposition" },
        };
      }
      return accept("dokumentfil", () => storeFile(contentType, disposition, body), injected);
    }
    if (method === "PUT" && caseByNumber) {
      const caseNumber = `${caseByNumber[1]}/${caseByNumber[2]}`;
      return accept(
        "sak",
        () => addJournalPosts(caseNumber, body),
        injected,
        () => cases.get(caseNumber)?.resource,
      );
    }
    if (method === "GET" && caseByNumber)
      return caseAnswer(cases.get(`${caseByNumber[1]}/${caseByNumber[2]}`));
    if (method === "GET" && caseBySystemId) {
      return caseAnswer([...cases.values()].find((held) => held.systemId === caseBySystemId[1]));
    }
    if (method === "GET" && status?.[1] && status[2]) return statusAnswer(status[1], status[2]);
    if (method === "GET") return codeListAnswer(path);
    return notFound(path);
  }

  function send(response: ServerResponse, logged: LoggedRequest | undefined, answer: Answer): void {
    if (logged) logged.status = answer.status;
    const headers: Record<string, string> = { ...answer.headers };
    let payload: string | undefined;
    if (answer.body !== undefined) {
      payload = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
      headers["content-type"] ??= typeof answer.body === "string" ? "text/plain;charset=UTF-8" : HAL_JSON;
    }
    response.writeHead(answer.status, headers);
    response.end(payload);
  }

  // ---- failure injection ---------------------------------------------------------------------------------

  function takeFailure(method: string, path: string): FailureRule | undefined {
    for (const rule of failures) {
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (typeof rule.path === "string" && !path.startsWith(rule.path)) continue;
      if (rule.path instanceof RegExp && !rule.path.test(path)) continue;
      if (rule.skipped < (rule.skip ?? 0)) {
        rule.skipped += 1;
        continue;
      }
      if (rule.share !== undefined) {
        if (random() < rule.share) return rule;
        continue;
      }
      rule.remaining -= 1;
      if (rule.remaining <= 0) failures.splice(failures.indexOf(rule), 1);
      return rule;
    }
    return undefined;
  }

  // ---- OAuth ---------------------------------------------------------------------------------------------

  function issueToken(request: IncomingMessage, body: Buffer): Answer {
    const form = new URLSearchParams(body.toString("utf8"));
    const client = clientOf(request, form);
    if (client.id !== credentials.clientId || client.secret !== credentials.clientSecret) {
      return {
        status: 401,
        headers: { "www-authenticate": 'Basic realm="fint"' },
        body: { error: "invalid_client" },
      };
    }
    const grant = form.get("grant_type") ?? "";
    if (grant !== "password" && grant !== "client_credentials") {
      return { status: 400, body: { error: "unsupported_grant_type" } };
    }
    if (!grants.has(grant)) return { status: 400, body: { error: "unauthorized_client" } };
    if (
      grant === "password" &&
      (form.get("username") !== credentials.username || form.get("password") !== credentials.password)
    ) {
      return { status: 400, body: { error: "invalid_grant", error_description: "bad username or password" } };
    }
    const lifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
    const token = randomBytes(24).toString("base64url");
    tokens.set(token, { expiresAtMs: now().getTime() + lifetimeSeconds * 1000 });
    issuedGrants.push(grant);
    return {
      status: 200,
      headers: { "cache-control": "no-store" },
      body: {
        access_token: token,
        token_type: "bearer",
        expires_in: lifetimeSeconds,
        scope: form.get("scope") ?? "",
      },
    };
  }

  function clientOf(
    request: IncomingMessage,
    form: URLSearchParams,
  ): { id: string | undefined; secret: string | undefined } {
    const header = request.headers.authorization ?? "";
    if (header.toLowerCase().startsWith("basic ")) {
      const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon < 0) return { id: undefined, secret: undefined };
      // RFC 6749 §2.3.1: both halves are form-encoded before they are joined.
      return {
        id: decodeURIComponent(decoded.slice(0, colon).replaceAll("+", " ")),
        secret: decodeURIComponent(decoded.slice(colon + 1).replaceAll("+", " ")),
      };
    }
    return { id: form.get("client_id") ?? undefined, secret: form.get("client_secret") ?? undefined };
  }

  function isAuthorized(request: IncomingMessage): boolean {
    const match = /^Bearer (.+)$/i.exec(request.headers.authorization ?? "");
    const token = match?.[1] && tokens.get(match[1]);
    return Boolean(token && now().getTime() < token.expiresAtMs);
  }

  // ---- code lists ----------------------------------------------------------------------------------------

  function codeHref(list: FakeListName, systemId: string): string {
    return `${baseUrl}/${listPaths[list]}/systemid/${encodeURIComponent(systemId)}`;
  }

  function codeResource(list: FakeListName, code: FakeCode): Json {
    return {
      systemId: { identifikatorverdi: code.systemId },
      ...(code.kode === undefined ? {} : { kode: code.kode }),
      ...(code.tittel === undefined ? {} : { tittel: code.tittel }),
      ...(code.navn === undefined ? {} : { navn: code.navn }),
      _links: {
        self: [{ href: codeHref(list, code.systemId) }],
        ...(code.brukernavn
          ? {
              personalressurs: [
                { href: `${baseUrl}/administrasjon/personal/personalressurs/brukernavn/${code.brukernavn}` },
              ],
            }
          : {}),
      },
    };
  }

  /**
   * `GET /<list>`, `/<list>/systemid/<id>`, `/<list>/last-updated` (novari `AbstractCollectionResources`, FINT's
   * Flyt gateway `FintArchiveResourceClient`). Public 360 has no arkivressurs: 404 (an empty 200 from a
   * consumer whose cache stays empty would be as likely; UNVERIFIED).
   */
  function codeListAnswer(path: string): Answer {
    for (const [list, listPath] of Object.entries(listPaths) as [FakeListName, string][]) {
      if (!path.startsWith(`/${listPath}`)) continue;
      if (list === "arkivressurs" && adapter === "P360") return notFound(path);
      const rest = path.slice(listPath.length + 1);
      const entries = lists[list];
      if (rest === "" || rest === "/") {
        return {
          status: 200,
          body: {
            _embedded: { _entries: entries.map((code) => codeResource(list, code)) },
            _links: { self: [{ href: `${baseUrl}/${listPath}` }] },
            total_items: entries.length,
            size: entries.length,
            offset: 0,
          },
        };
      }
      if (rest === "/last-updated") return { status: 200, body: { lastUpdated: String(now().getTime()) } };
      const byId = /^\/systemid\/([^/]+)$/.exec(rest);
      const found = byId && entries.find((code) => code.systemId === byId[1]);
      if (found) return { status: 200, body: codeResource(list, found) };
    }
    return notFound(path);
  }

  // ---- asynchronous writes -------------------------------------------------------------------------------

  /**
   * Answers a write as FINT does: 202 and a status URL, whatever the archive will make of it
   * (fint-consumer-arkiv-noark `SakController.postSak`, `putSakByMappeId`); only a body the consumer cannot read
   * is answered at once. An injected status error or conflict stands for the archive refusing the write, which
   * then does not happen.
   */
  function accept(
    collection: "sak" | "dokumentfil",
    perform: () => Outcome,
    injected?: InjectedAnswer,
    conflicting?: () => Json | undefined,
  ): Answer {
    const id = randomBytes(12).toString("hex");
    const location = `${baseUrl}/arkiv/noark/${collection}/status/${id}`;
    const acceptedAtMs = now().getTime();
    if (injected?.kind === "processing") {
      const pending: PendingWrite = {
        collection,
        acceptedAtMs,
        pollsLeft: 0,
        neverCompletes: false,
        outcome: undefined,
      };
      pendingWrites.set(id, pending);
      setTimeout(() => {
        pending.outcome = perform();
      }, injected.ms).unref();
      return { status: 202, headers: { location } };
    }
    if (injected?.kind === "status-error" && injected.afterWriting) perform();
    const outcome: Outcome =
      injected?.kind === "status-error"
        ? injected.status >= 500
          ? { kind: "error", message: injected.message }
          : {
              kind: "rejected",
              statusCode: injected.status === 404 ? "NOT_FOUND" : "BAD_REQUEST",
              message: injected.message,
            }
        : injected?.kind === "status-conflict"
          ? // CONFLICT answers the resource as the archive holds it (`StatusCache`: the event's data).
            { kind: "conflict", body: conflicting?.() ?? {} }
          : perform();
    if (outcome.kind === "unreadable") {
      return { status: 400, body: { message: "JSON parse error: not a resource" } };
    }
    pendingWrites.set(id, {
      collection,
      acceptedAtMs,
      pollsLeft: pollsUntilComplete,
      neverCompletes: injected?.kind === "status-never-completes",
      outcome,
    });
    return { status: 202, headers: { location } };
  }

  /**
   * A write's status as the consumer answers it. Classic (`StatusCache.handleStatusRequest`): unknown or
   * expired 410, pending 202, ACCEPTED 201 or 303 with the Location, ERROR 500 with the event response,
   * CONFLICT 409 with the resource, REJECTED the status its `statusCode` names (else 400). Core
   * (`ResourceController`, `RequestStatusService`): the same, but 201 only and REJECTED always 400.
   */
  function statusAnswer(collection: string, id: string): Answer {
    const pending = pendingWrites.get(id);
    if (!pending || pending.collection !== collection) return { status: 410 };
    if (now().getTime() - pending.acceptedAtMs > statusExpiresAfterMs) {
      pendingWrites.delete(id);
      return { status: 410 };
    }
    if (pending.neverCompletes || pending.pollsLeft > 0 || !pending.outcome) {
      pending.pollsLeft -= 1;
      return { status: 202 };
    }
    const outcome = pending.outcome;
    switch (outcome.kind) {
      case "accepted":
        return {
          status: consumer === "core" ? 201 : (options.completedStatus ?? 201),
          headers: { location: outcome.location },
          body: outcome.body,
        };
      case "error":
        return { status: 500, body: eventResponse("ERROR", "INTERNAL_SERVER_ERROR", outcome.message) };
      case "conflict":
        return { status: 409, body: outcome.body };
      case "rejected":
        return {
          status: consumer === "core" ? 400 : outcome.statusCode === "NOT_FOUND" ? 404 : 400,
          body: eventResponse("REJECTED", outcome.statusCode, outcome.message, outcome.problems),
        };
      default:
        return { status: 400 };
    }
  }

  /** FINT's event response (FINTmodels/fint-event-model `EventResponse`, `Problem`). */
  function eventResponse(
    responseStatus: string,
    statusCode: string,
    message: string,
    problems?: unknown,
  ): Json {
    return { responseStatus, statusCode, message, problems: problems ?? null };
  }

  const rejected = (message: string, problems?: { field: string; message: string }[]): Outcome => ({
    kind: "rejected",
    statusCode: "BAD_REQUEST",
    message,
    ...(problems ? { problems } : {}),
  });

  // ---- what the archive's adapter checks -----------------------------------------------------------------

  /** Relations whose links point into a list, with the list. */
  const linkLists: Readonly<Record<string, FakeListName>> = {
    arkivdel: "arkivdel",
    administrativEnhet: "administrativenhet",
    journalenhet: "administrativenhet",
    saksansvarlig: "arkivressurs",
    saksbehandler: "arkivressurs",
    klassifikasjonssystem: "klassifikasjonssystem",
    saksmappetype: "saksmappetype",
    saksstatus: "saksstatus",
    tilgangsgruppe: "tilgangsgruppe",
    tilgangsrestriksjon: "tilgangsrestriksjon",
    skjermingshjemmel: "skjermingshjemmel",
    partRolle: "partrolle",
    korrespondanseparttype: "korrespondanseparttype",
    journalposttype: "journalposttype",
    journalstatus: "journalstatus",
    tilknyttetRegistreringSom: "tilknyttetregistreringsom",
    dokumentstatus: "dokumentstatus",
    dokumenttype: "dokumenttype",
    variantFormat: "variantformat",
    filformat: "format",
  };

  /**
   * Relations the adapters parse as integers: `Integer::valueOf` / `parseInt` (fint-p360-rpc-arkiv-adapter
   * `NoarkFactory.createCaseArgs` 226–248, `JournalpostFactory.toP360` 255–315; fint-sikri-arkiv-adapter
   * `NoarkFactory` 194–198, `JournalpostFactory` 162–164). Elements looks case officers up by number or by
   * initials (`ArkivressursService.lookupUserId`). A NumberFormatException is an IllegalArgumentException, which
   * `EventHandlerService` turns into REJECTED `BAD_REQUEST` with the exception's message.
   */
  const numericRelations: readonly string[] =
    adapter === "P360" ? ["administrativEnhet", "saksansvarlig", "saksbehandler"] : ["administrativEnhet"];

  /**
   * What the adapter finds wrong with the links of a resource: a number it cannot parse first (as the adapter
   * fails on it before anything else), then links whose last segment, the only part the adapters read
   * (`P360Utils`, Sikri `FintUtils.getIdFromLink`), names no entry of the list. How the archives answer an unknown
   * code is UNVERIFIED: here REJECTED `BAD_REQUEST`, naming the relation and the id.
   */
  function linkProblems(resource: Json | undefined, at: string): string[] {
    const links = (resource?._links ?? {}) as Record<string, { href?: unknown }[] | undefined>;
    const problems: string[] = [];
    for (const [relation, list] of Object.entries(linkLists)) {
      const href = links[relation]?.[0]?.href;
      if (typeof href !== "string") continue;
      const segment = decodeURIComponent(href.replace(/\/+$/, "").split("/").pop() ?? "");
      if (numericRelations.includes(relation) && !/^\d+$/.test(segment)) {
        throw new NumberFormat(segment);
      }
      if (list === "arkivressurs" && adapter === "P360") continue; // a contact person's recno; no list
      const known = lists[list].some(
        (code) => code.systemId === segment || (list === "arkivressurs" && code.brukernavn === segment),
      );
      if (!known) problems.push(`${at}${relation}: unknown ${list} ${segment}`);
    }
    return problems;
  }

  class NumberFormat extends Error {
    constructor(segment: string) {
      super(`For input string: "${segment}"`);
    }
  }

  function writeProblems(check: () => string[]): Outcome | undefined {
    try {
      const problems = check();
      return problems.length === 0 ? undefined : rejected(problems.join("; "));
    } catch (error) {
      if (error instanceof NumberFormat) return rejected(error.message);
      throw error;
    }
  }

  // ---- cases ---------------------------------------------------------------------------------------------

  function createCase(body: Buffer): Outcome {
    const sak = parseJsonObject(body);
    if (!sak) return { kind: "unreadable" };
    const problems: { field: string; message: string }[] = [];
    if (typeof sak.tittel !== "string" || sak.tittel.trim() === "") {
      problems.push({ field: "tittel", message: "Tittel mangler" });
    }
    if (!firstHref(sak, "arkivdel")) problems.push({ field: "arkivdel", message: "Arkivdel mangler" });
    if (problems.length > 0) return rejected("Validering feilet", problems);
    const wrong = writeProblems(() => [
      ...linkProblems(sak, ""),
      ...arrayOf(sak.klasse).flatMap((klasse, index) => linkProblems(klasse, `klasse[${index}].`)),
      ...arrayOf(sak.part).flatMap((part, index) => linkProblems(part, `part[${index}].`)),
      ...linkProblems(sak.skjerming as Json | undefined, "skjerming."),
    ]);
    if (wrong) return wrong;
    const held = holdCase(sak);
    return { kind: "accepted", location: caseHref(held.caseNumber), body: held.resource };
  }

  /** Numbers and stores a case as the archive answers it afterwards. */
  function holdCase(sak: Json, createdAt: Date = now()): HeldCase {
    const year = createdAt.getUTCFullYear();
    const sequence = (caseSequenceByYear.get(year) ?? 0) + 1;
    caseSequenceByYear.set(year, sequence);
    // Public 360 numbers `yy/nnnnn` (fint-information-model-java `tilskuddfartoy.json` "19/00094"); Elements
    // `yyyy/n` (fint-sikri-arkiv-adapter `NOARKUtils.getMappeId`).
    const caseNumber =
      adapter === "P360"
        ? `${String(year % 100).padStart(2, "0")}/${String(sequence).padStart(5, "0")}`
        : `${year}/${sequence}`;
    const systemId = String(nextSystemId++);
    const klasser = arrayOf(sak.klasse);
    const primary = klasser.find((klasse) => klasse.rekkefolge === 1) ?? klasser[0];
    // Keywords are dropped on write by both adapters (fint-p360-rpc-arkiv-adapter `NoarkFactory.createCaseArgs`
    // never reads them; fint-sikri-arkiv-adapter `NoarkService` leaves them a TODO). Public 360 answers its
    // archive codes as keywords and leaves klasseId unset, the code in tittel (`NoarkFactory` 108–112,
    // `KlasseFactory`).
    const { noekkelord: _dropped, ...kept } = sak;
    const links = { ...(sak._links as Json | undefined) };
    for (const [relation, list] of [
      ["saksansvarlig", "arkivressurs"],
      ["administrativEnhet", "administrativenhet"],
    ] as const) {
      const fallback = options.caseDefaults?.[relation];
      if (fallback !== undefined && !firstHref(sak, relation))
        links[relation] = [{ href: codeHref(list, fallback) }];
    }
    const resource: Json = {
      ...kept,
      ...(adapter === "P360"
        ? {
            noekkelord: klasser.flatMap((klasse) => [
              lists.klassifikasjonssystem.find(
                (system) => system.systemId === linkedId(klasse, "klassifikasjonssystem"),
              )?.tittel ?? "",
              String(klasse.klasseId ?? ""),
            ]),
            klasse: klasser.map(({ klasseId, tittel: _title, ...rest }) => ({ ...rest, tittel: klasseId })),
          }
        : {}),
      mappeId: { identifikatorverdi: caseNumber },
      systemId: { identifikatorverdi: systemId },
      saksaar: String(year),
      sakssekvensnummer: String(sequence),
      saksdato: createdAt.toISOString(),
      opprettetDato: `${createdAt.toISOString().slice(0, 19)}Z`,
      journalpost: [],
      _links: {
        ...links,
        self: [{ href: caseHref(caseNumber) }, { href: `${baseUrl}/arkiv/noark/sak/systemid/${systemId}` }],
      },
    };
    const held = {
      caseNumber,
      systemId,
      resource,
      primaryValue: typeof primary?.klasseId === "string" ? primary.klasseId : undefined,
    };
    cases.set(caseNumber, held);
    return held;
  }

  function addJournalPosts(caseNumber: string, body: Buffer): Outcome {
    const update = parseJsonObject(body);
    const posts = update?.journalpost;
    if (!Array.isArray(posts) || posts.length === 0) return { kind: "unreadable" };
    const held = cases.get(caseNumber);
    // fint-p360-rpc-arkiv-adapter `CaseNotFound("Zero cases found")` → REJECTED NOT_FOUND.
    if (!held) return { kind: "rejected", statusCode: "NOT_FOUND", message: "Zero cases found" };

    const problems = (posts as Json[]).flatMap((post, index) => journalPostProblems(post, index));
    if (problems.length > 0) return rejected("Validering feilet", problems);
    const wrong = writeProblems(() =>
      (posts as Json[]).flatMap((post, index) => journalPostLinkProblems(post, index)),
    );
    if (wrong) return wrong;

    const existing = held.resource.journalpost as Json[];
    const year = now().getUTCFullYear();
    for (const post of posts as Json[]) {
      const postNumber = existing.reduce((max, p) => Math.max(max, Number(p.journalPostnummer)), 0) + 1;
      // Keywords are not kept: Public 360 answers them empty (`JournalpostFactory` 113).
      const { nokkelord: _dropped, ...kept } = post;
      existing.push({
        ...kept,
        ...(adapter === "P360"
          ? { _links: { ...(post._links as Json), journalposttype: typeByCode(post) } }
          : {}),
        nokkelord: [],
        journalAr: String(year),
        journalPostnummer: postNumber,
        journalSekvensnummer: postNumber,
        registreringsId: `${caseNumber}-${postNumber}`,
        journalDato: now().toISOString(),
        opprettetDato: `${now().toISOString().slice(0, 19)}Z`,
      });
    }
    return { kind: "accepted", location: caseHref(caseNumber), body: held.resource };
  }

  /**
   * Public 360's read side answers a journal post's type by its code (…/journalposttype/systemid/I), whatever
   * entry of its list the write linked (…/110).
   */
  function typeByCode(post: Json): { href: string }[] {
    const linked = linkedId(post, "journalposttype");
    const code = lists.journalposttype.find((entry) => entry.systemId === linked)?.kode ?? linked ?? "";
    return [{ href: codeHref("journalposttype", code) }];
  }

  function journalPostProblems(post: Json, index: number): { field: string; message: string }[] {
    const problems: { field: string; message: string }[] = [];
    const at = `journalpost[${index}]`;
    if (typeof post.tittel !== "string" || post.tittel.trim() === "") {
      problems.push({ field: `${at}.tittel`, message: "Tittel mangler" });
    }
    if (!firstHref(post, "journalposttype")) {
      problems.push({ field: `${at}.journalposttype`, message: "Journalposttype mangler" });
    }
    arrayOf(post.dokumentbeskrivelse).forEach((description, d) => {
      arrayOf(description.dokumentobjekt).forEach((object, o) => {
        const field = `${at}.dokumentbeskrivelse[${d}].dokumentobjekt[${o}]`;
        const href = firstHref(object, "referanseDokumentfil");
        if (!href || ![...files.values()].some((file) => file.href === href)) {
          problems.push({
            field: `${field}.referanseDokumentfil`,
            message: `Dokumentfil finnes ikke: ${href ?? "(mangler)"}`,
          });
        }
        if (requireFilformat && !firstHref(object, "filformat")) {
          problems.push({ field: `${field}.filformat`, message: "Filformat mangler" });
        }
      });
    });
    return problems;
  }

  function journalPostLinkProblems(post: Json, index: number): string[] {
    const at = `journalpost[${index}].`;
    return [
      ...linkProblems(post, at),
      ...linkProblems(post.skjerming as Json | undefined, `${at}skjerming.`),
      ...arrayOf(post.korrespondansepart).flatMap((part, p) =>
        linkProblems(part, `${at}korrespondansepart[${p}].`),
      ),
      ...arrayOf(post.dokumentbeskrivelse).flatMap((description, d) => [
        ...linkProblems(description, `${at}dokumentbeskrivelse[${d}].`),
        ...arrayOf(description.dokumentobjekt).flatMap((object, o) =>
          linkProblems(object, `${at}dokumentbeskrivelse[${d}].dokumentobjekt[${o}].`),
        ),
      ]),
    ];
  }

  function caseAnswer(held: HeldCase | undefined): Answer {
    return held
      ? { status: 200, body: held.resource }
      : { status: 404, body: eventResponse("REJECTED", "NOT_FOUND", "Zero cases found") };
  }

  function caseHref(caseNumber: string): string {
    return `${baseUrl}/arkiv/noark/sak/mappeid/${caseNumber}`;
  }

  // ---- search --------------------------------------------------------------------------------------------

  /**
   * `POST /arkiv/noark/sak/$query`. A filter outside the grammar: the classic consumer's `validate` fails and
   * its IllegalArgumentException reaches Spring's default error handling, 500 (`SakController` 172–173; the
   * exact body is Spring Boot's, UNVERIFIED); the core consumer answers 400 "Invalid OData filter"
   * (`FintCache.kt` 196–198). Otherwise the classic consumer passes it to the adapter (`GET_SAK` with
   * `$filter=`). The core consumer would evaluate it on its own cache (fint-antlr `ODataEvaluator`), where a link
   * never equals a string and adapter properties such as `klassifikasjon/primar/verdi` do not exist; FINT's own
   * Flyt gateway sends adapter filters, so sak searches are taken to reach the adapter in both modes
   * (UNVERIFIED which consumer serves them in production).
   */
  function query(filter: string, path: string): Answer {
    const parsed = parseFilter(filter);
    if ("error" in parsed) {
      if (consumer === "core") {
        return {
          status: 400,
          body: {
            type: "about:blank",
            title: "Bad Request",
            status: 400,
            detail: "Invalid OData filter",
            instance: path,
          },
        };
      }
      // SakController throws IllegalArgumentException("OData Filter is not valid"), which FintControllerAdvice
      // leaves to Spring Boot 1.5's default error body (fint-buildscripts v1.6.0: 1.5.18), exception and message.
      return {
        status: 500,
        body: {
          timestamp: now().getTime(),
          status: 500,
          error: "Internal Server Error",
          exception: "java.lang.IllegalArgumentException",
          message: "OData Filter is not valid",
          path,
        },
      };
    }
    // Both adapters read only the comparisons of the parse tree, whatever joins them and whatever lambdas are
    // there (fint-p360-rpc-arkiv-adapter `ODataFilterUtils.parseQuery`, fint-sikri-arkiv-adapter
    // `CaseService.getSikriFilterExpression`): every comparison must hold.
    const comparisons = parsed.terms.filter(isComparison);
    for (const comparison of comparisons) {
      const refusal = adapterRefusal(comparison);
      if (refusal) {
        // An IllegalODataFilter is a RuntimeException: ERROR, answered 500 with the event response (Public 360
        // puts the stack trace in the message, `EventHandlerService` 76–80; the classic consumer's
        // `EventResponses.handle`).
        return { status: 500, body: eventResponse("ERROR", "INTERNAL_SERVER_ERROR", refusal) };
      }
    }
    const matches = [...cases.values()].filter((held) => comparisons.every((c) => adapterMatches(held, c)));
    if (matches.length === 0 && adapter === "ELEMENTS") {
      // fint-sikri-arkiv-adapter `GetSakHandler` 64–68: REJECTED NOT_FOUND → 404.
      return {
        status: 404,
        body: eventResponse("REJECTED", "NOT_FOUND", `No case found for query: $filter=${filter}`),
      };
    }
    // Public 360 answers nothing found as ACCEPTED with no data: an empty collection (`SakController` 188–189).
    return collection(matches.map((held) => held.resource));
  }

  const isComparison = (term: { kind: string }): term is Comparison => term.kind === "comparison";

  /** Public 360's properties (`ODataFilterUtils` 21–22) and Elements' (`CaseService` 42–57), eq only. */
  const p360Properties = [
    "mappeid",
    "tittel",
    "systemid",
    "arkivdel",
    "klassifikasjon/primar/verdi",
    "klassifikasjon/primar/ordning",
    "kontaktid",
    "saksstatus",
    "saksmappetype",
  ];
  const elementsProperties = [
    "saksaar",
    "sakssekvensnummer",
    "saksdato",
    "oppdatert",
    "arkivdel",
    "administrativenhet",
    "tilgangskode",
    "saksmappetype",
    "tittel",
    "systemid",
    "mappeid",
    "klassifikasjon/primar/ordning",
    "klassifikasjon/primar/verdi",
    "klassifikasjon/sekundar/ordning",
    "klassifikasjon/sekundar/verdi",
  ];

  function adapterRefusal(comparison: Comparison): string | undefined {
    const supported = adapter === "P360" ? p360Properties : elementsProperties;
    const exception =
      adapter === "P360"
        ? "no.novari.fint.p360.data.exception.IllegalODataFilter"
        : "no.novari.fint.sikri.data.exception.IllegalOdataFilter";
    if (comparison.operator !== "eq") {
      return `${exception}: OData operator ${comparison.operator} is not supported. Currently only support for 'eq' operator.\n\tat fake`;
    }
    if (!supported.includes(comparison.property)) {
      return `${exception}: OData property ${comparison.property} is not supported\n\tat fake`;
    }
    return undefined;
  }

  /** How the archive compares a property; code properties compare the link's last segment, the archive's id. */
  function adapterMatches(held: HeldCase, comparison: Comparison): boolean {
    const sak = held.resource;
    const { value } = comparison;
    const klasse = (order: number) => {
      const klasser = arrayOf(sak.klasse);
      return klasser.find((k) => k.rekkefolge === order) ?? (order === 1 ? klasser[0] : undefined);
    };
    switch (comparison.property) {
      case "mappeid":
        return held.caseNumber === value;
      case "systemid":
        return held.systemId === value;
      case "tittel":
        // Whether Public 360's Title search is exact, and whether it searches the public or the unofficial
        // title, is UNVERIFIED: exact on tittel here.
        return sak.tittel === value;
      case "saksaar":
        return sak.saksaar === value;
      case "sakssekvensnummer":
        return sak.sakssekvensnummer === value;
      case "arkivdel":
      case "saksmappetype":
      case "saksstatus":
        return linkedId(sak, comparison.property) === value;
      case "administrativenhet":
        return linkedId(sak, "administrativEnhet") === value;
      case "tilgangskode":
        return linkedId(sak.skjerming as Json | undefined, "tilgangsrestriksjon") === value;
      case "klassifikasjon/primar/verdi":
        return held.primaryValue === value;
      case "klassifikasjon/primar/ordning":
        // Accepted but never passed on by Public 360 (`ODataFilterUtils.getCasesArgs`): ignored there.
        return adapter === "P360" || linkedId(klasse(1), "klassifikasjonssystem") === value;
      case "klassifikasjon/sekundar/verdi":
        return klasse(2)?.klasseId === value;
      case "klassifikasjon/sekundar/ordning":
        return linkedId(klasse(2), "klassifikasjonssystem") === value;
      default:
        return false;
    }
  }

  function collection(entries: readonly Json[]): Answer {
    return {
      status: 200,
      body: {
        _embedded: { _entries: entries },
        _links: { self: [{ href: `${baseUrl}/arkiv/noark/sak` }] },
        total_items: entries.length,
        offset: 0,
        size: entries.length,
      },
    };
  }

  // ---- files ---------------------------------------------------------------------------------------------

  function storeFile(contentType: string, disposition: string, content: Buffer): Outcome {
    const systemId = String(nextSystemId++);
    const href = `${baseUrl}/arkiv/noark/dokumentfil/systemid/${systemId}`;
    const filename = dispositionFilename(disposition);
    files.set(systemId, { systemId, href, filename, contentType, content });
    return {
      kind: "accepted",
      location: href,
      body: { systemId: { identifikatorverdi: systemId }, filnavn: filename, format: contentType },
    };
  }

  // ---- lifecycle -----------------------------------------------------------------------------------------

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    tokenUrl: `${baseUrl}/oauth/token`,
    credentials,
    inject(failure) {
      failures.push({ ...failure, remaining: failure.times ?? 1, skipped: 0 });
    },
    clearFailures() {
      failures.length = 0;
    },
    revokeTokens() {
      tokens.clear();
    },
    codes: (list) => lists[list],
    addCode(list, code) {
      lists[list].push(code);
    },
    codeHref,
    seedCase(seed) {
      const held = holdCase(
        {
          tittel: seed.tittel,
          klasse:
            seed.klasse === undefined ? [] : [{ klasseId: seed.klasse, tittel: seed.klasse, rekkefolge: 1 }],
          _links: {
            ...(seed.arkivdel ? { arkivdel: [{ href: codeHref("arkivdel", seed.arkivdel) }] } : {}),
            ...(seed.saksansvarlig
              ? { saksansvarlig: [{ href: codeHref("arkivressurs", seed.saksansvarlig) }] }
              : {}),
          },
        },
        seed.createdAt,
      );
      return { caseNumber: held.caseNumber, systemId: held.systemId, resource: held.resource };
    },
    cases: () =>
      [...cases.values()].map(({ caseNumber, systemId, resource }) => ({ caseNumber, systemId, resource })),
    journalPosts: () =>
      [...cases.values()].flatMap(({ caseNumber, resource }) =>
        (resource.journalpost as Json[]).map((post) => ({
          caseNumber,
          number: `${caseNumber}-${post.journalPostnummer}`,
          resource: post,
        })),
      ),
    files: () => [...files.values()],
    stillProcessing: () => [...pendingWrites.values()].filter((pending) => !pending.outcome).length,
    requests: () => requestLog,
    tokensIssued: () => issuedGrants,
    async close() {
      // Hung requests keep their connections open: they are cut, or close would wait for them forever.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function parseJsonObject(body: Buffer): Json | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Json)
      : undefined;
  } catch {
    return undefined;
  }
}

function notFound(path: string): Answer {
  return { status: 404, body: { message: `No handler for ${path}` } };
}

const arrayOf = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

function firstHref(resource: Json | undefined, relation: string): string | undefined {
  const links = resource?._links as Record<string, { href?: unknown }[] | undefined> | undefined;
  const href = links?.[relation]?.[0]?.href;
  return typeof href === "string" && href.length > 0 ? href : undefined;
}

/** The id a link names as the adapters read it: its last path segment. */
function linkedId(resource: Json | undefined, relation: string): string | undefined {
  const href = firstHref(resource, relation);
  return href === undefined ? undefined : decodeURIComponent(href.replace(/\/+$/, "").split("/").pop() ?? "");
}

// ---- Content-Disposition ---------------------------------------------------------------------------------------

/**
 * The file name a `Content-Disposition` gives, `filename*` (RFC 8187, UTF-8) before `filename`, as FINT's
 * consumer reads it. Written apart from the driver's encoder, so the two check each other.
 */
function dispositionFilename(header: string): string | undefined {
  let plain: string | undefined;
  let extended: string | undefined;
  for (const parameter of splitOutsideDoubleQuotes(header).slice(1)) {
    const equals = parameter.indexOf("=");
    if (equals < 0) continue;
    const name = parameter.slice(0, equals).trim().toLowerCase();
    const value = parameter.slice(equals + 1).trim();
    if (name === "filename*") {
      const match = /^UTF-8'[^']*'(.*)$/i.exec(value);
      if (match) extended = decodeURIComponent(match[1] ?? "");
    } else if (name === "filename") {
      plain = value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, "$1") : value;
    }
  }
  return extended ?? plain;
}

function splitOutsideDoubleQuotes(header: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let index = 0; index < header.length; index += 1) {
    const char = header[index] ?? "";
    if (char === "\\" && quoted) {
      current += char + (header[index + 1] ?? "");
      index += 1;
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (char === ";" && !quoted) {
      parts.push(current.trim());
      current = "";
      continue;
    }
    current += char;
  }
  parts.push(current.trim());
  return parts;
}
