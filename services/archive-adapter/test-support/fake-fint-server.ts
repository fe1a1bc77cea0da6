import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A fake FINT arkiv API on real HTTP (port 0), for the fint driver's tests: it follows FINT's protocol as its
 * consumer (fint-consumer-arkiv-noark) implements it, and numbers cases like an archive behind it.
 *
 * - `POST /oauth/token`: the password and client credentials grants, client authenticated by Basic or form
 *   fields; every `/arkiv/**` request needs a valid, unexpired bearer token, else 401.
 * - Writes (`POST /arkiv/noark/sak`, `PUT /arkiv/noark/sak/mappeid/{year}/{seq}`, `POST
 *   /arkiv/noark/dokumentfil` with raw bytes) answer 202 with a status URL (`.../status/{id}`), which answers
 *   202 while "processing", then 201 (or 303) with the Location of the created resource, or the archive's
 *   verdict as FINT's event response (400 with validation problems, 404, 500), or 410 once forgotten.
 * - Reads: `GET /arkiv/noark/sak/mappeid/{year}/{seq}` and `/systemid/{id}`, and `POST
 *   /arkiv/noark/sak/$query` with a filter (`tittel eq '...' and klassifikasjon/primar/verdi eq '...'`,
 *   `noekkelord/any(k:k eq '...')`), answering a FINT collection (`_embedded._entries`).
 * - Case numbers `YYYY/n` per year, journal posts numbered `1, 2, ...` per case (`YYYY/n-m`).
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
  /** How many times a write's status URL answers 202 before it completes (default 1). */
  readonly pollsUntilComplete?: number;
  /** What a completed status answers: FINT answers 201 when configured to, 303 otherwise (default 201). */
  readonly completedStatus?: 201 | 303;
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
  /** A write is accepted, and its status URL answers this error (FINT's failed or rejected event). */
  | { readonly kind: "status-error"; readonly status: number; readonly message: string };

export interface InjectedFailure {
  readonly method?: string;
  /** A path prefix, or a pattern for the path. */
  readonly path?: string | RegExp;
  /** How many matching requests it takes (default 1); ignored when `share` is given. */
  readonly times?: number;
  /** Instead of a count: this share (0–1) of matching requests, until cleared. */
  readonly share?: number;
  readonly answer: InjectedAnswer;
}

export interface StoredCase {
  readonly caseNumber: string;
  readonly systemId: string;
  /** The SakResource as the archive holds it, journal posts included. */
  readonly resource: Readonly<Record<string, unknown>>;
}

export interface StoredJournalPost {
  readonly caseNumber: string;
  /** `2026/123-4`. */
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
  /** Undefined while unanswered (or never answered). */
  status: number | undefined;
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
  /** An error FINT's consumer answers itself, at once (an unreadable body), rather than through the status URL. */
  readonly synchronous?: boolean;
}

/** A write's progress, as its status URL reports it. */
interface PendingWrite {
  readonly collection: "sak" | "dokumentfil";
  pollsLeft: number;
  readonly neverCompletes: boolean;
  /** Undefined while the archive is still processing the write. */
  outcome: Answer | undefined;
}

interface FailureRule extends InjectedFailure {
  remaining: number;
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

  const tokens = new Map<string, { readonly expiresAtMs: number }>();
  const issuedGrants: string[] = [];
  const failures: FailureRule[] = [];
  const requestLog: LoggedRequest[] = [];
  const pendingWrites = new Map<string, PendingWrite>();
  const cases = new Map<string, { caseNumber: string; systemId: string; resource: Json }>();
  const files = new Map<string, StoredFile>();
  const caseSequenceByYear = new Map<number, number>();
  const journalSequenceByYear = new Map<number, number>();
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
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://fake").pathname);
    const body = await readBody(request);
    const logged: LoggedRequest = { method, path, at: now(), status: undefined };
    requestLog.push(logged);

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

    const caseByNumber = /^\/arkiv\/noark\/sak\/mappeid\/(\d{4})\/(\d+)$/.exec(path);
    const caseBySystemId = /^\/arkiv\/noark\/sak\/systemid\/([^/]+)$/.exec(path);
    const status = /^\/arkiv\/noark\/(sak|dokumentfil)\/status\/([^/]+)$/.exec(path);

    if (method === "POST" && path === "/arkiv/noark/sak") {
      return accept("sak", () => createCase(body), injected);
    }
    if (method === "POST" && path === "/arkiv/noark/sak/$query") return query(body);
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
      return accept("sak", () => addJournalPosts(`${caseByNumber[1]}/${caseByNumber[2]}`, body), injected);
    }
    if (method === "GET" && caseByNumber) {
      return caseAnswer(findCase(`${caseByNumber[1]}/${caseByNumber[2]}`));
    }
    if (method === "GET" && caseBySystemId) {
      return caseAnswer([...cases.values()].find((stored) => stored.systemId === caseBySystemId[1]));
    }
    if (method === "GET" && status?.[1] && status[2]) return statusAnswer(status[1], status[2]);
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

  // ---- asynchronous writes -------------------------------------------------------------------------------

  /**
   * Answers a write as FINT does: 202 and a status URL, whatever the archive will make of it; only a body
   * FINT's consumer cannot read is answered at once. An injected status error stands for the archive failing
   * the write, which then does not happen.
   */
  function accept(
    collection: "sak" | "dokumentfil",
    perform: () => Answer,
    injected?: InjectedAnswer,
  ): Answer {
    const id = randomBytes(12).toString("hex");
    if (injected?.kind === "processing") {
      const pending: PendingWrite = { collection, pollsLeft: 0, neverCompletes: false, outcome: undefined };
      pendingWrites.set(id, pending);
      setTimeout(() => {
        pending.outcome = perform();
      }, injected.ms).unref();
      return { status: 202, headers: { location: `${baseUrl}/arkiv/noark/${collection}/status/${id}` } };
    }
    const outcome =
      injected?.kind === "status-error"
        ? { status: injected.status, body: eventResponse(injected.status, injected.message, []) }
        : perform();
    if (outcome.synchronous) return outcome;
    pendingWrites.set(id, {
      collection,
      pollsLeft: pollsUntilComplete,
      neverCompletes: injected?.kind === "status-never-completes",
      outcome,
    });
    return { status: 202, headers: { location: `${baseUrl}/arkiv/noark/${collection}/status/${id}` } };
  }

  function statusAnswer(collection: string, id: string): Answer {
    const pending = pendingWrites.get(id);
    if (!pending || pending.collection !== collection) return { status: 410 };
    if (pending.neverCompletes || pending.pollsLeft > 0 || !pending.outcome) {
      pending.pollsLeft -= 1;
      return { status: 202 };
    }
    return pending.outcome;
  }

  /** The archive's verdict on a write, in the body FINT's consumer answers it with (an event response). */
  function eventResponse(
    status: number,
    message: string,
    problems: { field: string; message: string }[],
  ): Json {
    return {
      responseStatus: status >= 500 ? "ERROR" : "REJECTED",
      statusCode: status === 404 ? "NOT_FOUND" : status >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST",
      message,
      problems,
    };
  }

  function completed(location: string, body: unknown): Answer {
    return { status: options.completedStatus ?? 201, headers: { location }, body };
  }

  // ---- cases ---------------------------------------------------------------------------------------------

  function createCase(body: Buffer): Answer {
    const sak = parseJsonObject(body);
    if (!sak) return badBody();
    const problems: { field: string; message: string }[] = [];
    if (typeof sak.tittel !== "string" || sak.tittel.trim() === "") {
      problems.push({ field: "tittel", message: "Tittel mangler" });
    }
    if (!firstHref(sak, "arkivdel")) problems.push({ field: "arkivdel", message: "Arkivdel mangler" });
    if (problems.length > 0) return { status: 400, body: eventResponse(400, "Validering feilet", problems) };

    const year = now().getUTCFullYear();
    const sequence = (caseSequenceByYear.get(year) ?? 0) + 1;
    caseSequenceByYear.set(year, sequence);
    const caseNumber = `${year}/${sequence}`;
    const systemId = String(nextSystemId++);
    const resource: Json = {
      ...sak,
      mappeId: { identifikatorverdi: caseNumber },
      systemId: { identifikatorverdi: systemId },
      saksaar: String(year),
      sakssekvensnummer: String(sequence),
      saksdato: now().toISOString(),
      journalpost: [],
      _links: {
        ...(sak._links as Json | undefined),
        self: [{ href: caseHref(caseNumber) }, { href: `${baseUrl}/arkiv/noark/sak/systemid/${systemId}` }],
      },
    };
    cases.set(caseNumber, { caseNumber, systemId, resource });
    return completed(caseHref(caseNumber), resource);
  }

  function addJournalPosts(caseNumber: string, body: Buffer): Answer {
    const update = parseJsonObject(body);
    const posts = update?.journalpost;
    if (!Array.isArray(posts) || posts.length === 0) return badBody();
    const stored = findCase(caseNumber);
    if (!stored) return { status: 404, body: eventResponse(404, `Sak ${caseNumber} finnes ikke`, []) };

    const problems = posts.flatMap((post, index) => journalPostProblems(post as Json, index));
    if (problems.length > 0) return { status: 400, body: eventResponse(400, "Validering feilet", problems) };

    const existing = stored.resource.journalpost as Json[];
    const year = now().getUTCFullYear();
    for (const post of posts as Json[]) {
      const postNumber = existing.reduce((max, p) => Math.max(max, Number(p.journalPostnummer)), 0) + 1;
      const yearSequence = (journalSequenceByYear.get(year) ?? 0) + 1;
      journalSequenceByYear.set(year, yearSequence);
      existing.push({
        ...post,
        journalAr: String(year),
        journalPostnummer: postNumber,
        journalSekvensnummer: yearSequence,
        registreringsId: `${caseNumber}-${postNumber}`,
        journalDato: now().toISOString(),
      });
    }
    return completed(caseHref(caseNumber), stored.resource);
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
    const descriptions = Array.isArray(post.dokumentbeskrivelse) ? (post.dokumentbeskrivelse as Json[]) : [];
    descriptions.forEach((description, d) => {
      const objects = Array.isArray(description.dokumentobjekt) ? (description.dokumentobjekt as Json[]) : [];
      objects.forEach((object, o) => {
        const href = firstHref(object, "referanseDokumentfil");
        if (!href || ![...files.values()].some((file) => file.href === href)) {
          problems.push({
            field: `${at}.dokumentbeskrivelse[${d}].dokumentobjekt[${o}].referanseDokumentfil`,
            message: `Dokumentfil finnes ikke: ${href ?? "(mangler)"}`,
          });
        }
      });
    });
    return problems;
  }

  function caseAnswer(stored: { resource: Json } | undefined): Answer {
    return stored ? { status: 200, body: stored.resource } : { status: 404, body: { message: "Not found" } };
  }

  function findCase(caseNumber: string) {
    return cases.get(caseNumber);
  }

  function caseHref(caseNumber: string): string {
    return `${baseUrl}/arkiv/noark/sak/mappeid/${caseNumber}`;
  }

  function query(body: Buffer): Answer {
    const conditions = parseFilter(body.toString("utf8").trim());
    if (!conditions) return { status: 400, body: { message: "OData Filter is not valid" } };
    const matches = [...cases.values()]
      .map((stored) => stored.resource)
      .filter((sak) => conditions.every((c) => c(sak)));
    return {
      status: 200,
      body: {
        _embedded: { _entries: matches },
        _links: { self: [{ href: `${baseUrl}/arkiv/noark/sak` }] },
        total_items: matches.length,
        offset: 0,
        size: matches.length,
      },
    };
  }

  // ---- files ---------------------------------------------------------------------------------------------

  function storeFile(contentType: string, disposition: string, content: Buffer): Answer {
    const systemId = String(nextSystemId++);
    const href = `${baseUrl}/arkiv/noark/dokumentfil/systemid/${systemId}`;
    const filename = dispositionFilename(disposition);
    files.set(systemId, { systemId, href, filename, contentType, content });
    return completed(href, {
      systemId: { identifikatorverdi: systemId },
      filnavn: filename,
      format: contentType,
    });
  }

  // ---- lifecycle -----------------------------------------------------------------------------------------

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    tokenUrl: `${baseUrl}/oauth/token`,
    credentials,
    inject(failure) {
      failures.push({ ...failure, remaining: failure.times ?? 1 });
    },
    clearFailures() {
      failures.length = 0;
    },
    revokeTokens() {
      tokens.clear();
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

function badBody(): Answer {
  return { status: 400, body: { message: "JSON parse error: not a resource" }, synchronous: true };
}

function notFound(path: string): Answer {
  return { status: 404, body: { message: `No handler for ${path}` } };
}

function firstHref(resource: Json, relation: string): string | undefined {
  const links = resource._links as Record<string, { href?: unknown }[] | undefined> | undefined;
  const href = links?.[relation]?.[0]?.href;
  return typeof href === "string" && href.length > 0 ? href : undefined;
}

/** The code a link points to: the last segment of `.../systemid/{code}`. */
function linkedCode(resource: Json | undefined, relation: string): string | undefined {
  const href = resource && firstHref(resource, relation);
  return href === undefined ? undefined : decodeURIComponent(href.replace(/\/+$/, "").split("/").pop() ?? "");
}

// ---- the $query filter ---------------------------------------------------------------------------------------

type Condition = (sak: Json) => boolean;

/** Link relations a filter may name, by their lower-case filter name. */
const linkedFields: Readonly<Record<string, string>> = {
  arkivdel: "arkivdel",
  administrativenhet: "administrativEnhet",
  saksmappetype: "saksmappetype",
  saksstatus: "saksstatus",
  saksansvarlig: "saksansvarlig",
  journalenhet: "journalenhet",
  tilgangsgruppe: "tilgangsgruppe",
};

const klassifikasjonOrder: Readonly<Record<string, number>> = { primar: 1, sekundar: 2, tertiar: 3 };

const STRING_LITERAL = "'((?:[^']|'')*)'";
const COMPARISON = new RegExp(`^([A-Za-z]+(?:/[A-Za-z]+)*) eq ${STRING_LITERAL}$`);
const ANY = new RegExp(`^([A-Za-z]+)/any\\(([A-Za-z]+):([A-Za-z]+(?:/[A-Za-z]+)*) eq ${STRING_LITERAL}\\)$`);

/** The conditions of a filter joined by `and`, or undefined when it is not one FINT would take. */
function parseFilter(filter: string): Condition[] | undefined {
  if (filter === "") return [];
  const conditions: Condition[] = [];
  for (const segment of splitOutsideQuotes(filter, " and ")) {
    const comparison = COMPARISON.exec(segment);
    const any = ANY.exec(segment);
    const condition = comparison
      ? comparisonCondition(comparison[1] ?? "", unquote(comparison[2] ?? ""))
      : any
        ? anyCondition(any[1] ?? "", any[2] ?? "", any[3] ?? "", unquote(any[4] ?? ""))
        : undefined;
    if (!condition) return undefined;
    conditions.push(condition);
  }
  return conditions;
}

function comparisonCondition(property: string, value: string): Condition | undefined {
  const field = property.toLowerCase();
  if (field === "tittel") return (sak) => sak.tittel === value;
  if (field === "mappeid") return (sak) => (sak.mappeId as Json | undefined)?.identifikatorverdi === value;
  if (field === "tilgangskode")
    return (sak) => linkedCode(sak.skjerming as Json, "tilgangsrestriksjon") === value;
  const relation = linkedFields[field];
  if (relation) return (sak) => linkedCode(sak, relation) === value;
  const klassifikasjon = /^klassifikasjon\/(primar|sekundar|tertiar)\/(ordning|verdi)$/.exec(field);
  if (klassifikasjon) {
    const order = klassifikasjonOrder[klassifikasjon[1] ?? ""];
    return (sak) => {
      const klasse = (sak.klasse as Json[] | undefined)?.find((k) => k.rekkefolge === order);
      if (!klasse) return false;
      return klassifikasjon[2] === "verdi"
        ? klasse.klasseId === value
        : linkedCode(klasse, "klassifikasjonssystem") === value;
    };
  }
  return undefined;
}

/** `collection/any(x:x eq 'v')` over a list of values, or `collection/any(x:x/field eq 'v')` over objects. */
function anyCondition(
  collection: string,
  variable: string,
  property: string,
  value: string,
): Condition | undefined {
  const [head, ...rest] = property.split("/");
  if (head !== variable) return undefined;
  return (sak) => {
    const items = sak[collection];
    if (!Array.isArray(items)) return false;
    return items.some((item: unknown) => {
      const leaf = rest.reduce<unknown>((current, key) => (current as Json | undefined)?.[key], item);
      return leaf === value;
    });
  };
}

function unquote(literal: string): string {
  return literal.replaceAll("''", "'");
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const segments: string[] = [];
  let start = 0;
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    if (text[index] === "'") quoted = !quoted;
    else if (!quoted && text.startsWith(separator, index)) {
      segments.push(text.slice(start, index));
      start = index + separator.length;
      index = start - 1;
    }
  }
  segments.push(text.slice(start));
  return segments.map((segment) => segment.trim());
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
