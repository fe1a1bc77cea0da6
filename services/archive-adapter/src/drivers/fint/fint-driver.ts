import type { Arkivsak, FileReference, Journalpost } from "@flyt/schemas";
import { isCaseNumber } from "@flyt/schemas";
import type {
  ArchiveDriver,
  ArchivedCase,
  ArchivedJournalPost,
  ArchiveFileRef,
  EarlierWrite,
  FinishedWrite,
  SentWrite,
  WriteAccepted,
  WriteSending,
} from "../archive-driver";
import {
  ArchiveRefusedError,
  ArchiveUnavailableError,
  UnrecognisedWriteError,
  WriteInProgressError,
} from "../archive-errors";
import type { CodeToCheck, DriverCheck } from "../destination-check";
import { caseSearch, comparison, isSearchable, klasseValue, primaryKlasse } from "./case-search";
import { lastSegment, type Relation } from "./code-lists";
import { attachmentDisposition } from "./content-disposition";
import { refusedSearchMessage } from "./failure-classification";
import { checkFintDestination } from "./fint-check";
import { FintCodes } from "./fint-codes";
import {
  createFintHttp,
  expectStatus,
  type FintAnswer,
  type FintRequest,
  resolveLocation,
} from "./fint-http";
import { defaultFileFormats, type FintAdapter, type FintConsumer, fintDefaults } from "./fint-options";
import type { FintCollection, SakResource } from "./fint-resources";
import {
  addedJournalPost,
  type DocumentCodes,
  highestJournalPostNumber,
  toArchivedJournalPost,
  toJournalpostResource,
} from "./journalpost-mapping";
import { journalPostsLikeSent, madeWithin, notOthers, sendWindow } from "./recognition";
import { toArchivedCase, toSakResource } from "./sak-mapping";
import { awaitCompletion, type PollSettings, WriteStatusGoneError } from "./status-polling";
import { createTokenCache, type OAuthOptions } from "./token-cache";

export interface FintDriverOptions {
  /** The FINT environment, e.g. `https://api.felleskomponent.no`; paths such as `/arkiv/noark/sak` go after it. */
  readonly baseUrl: string;
  readonly oauth: OAuthOptions;
  /** For each single request (a write's status polls each have their own). */
  readonly requestTimeoutMs: number;
  readonly poll: PollSettings;
  /** The consumer behind `/arkiv/noark` (see FintConsumer); classic unless said. */
  readonly consumer?: FintConsumer;
  /** The archive's adapter; unknown when not said, and then only what both adapters take is sent. */
  readonly adapter?: FintAdapter;
  /** How long FINT keeps a write's status: a lost write is not sent again before this has passed since. */
  readonly statusWindowMs?: number;
  /** How far the archive's clock may be behind when it stamps a case's `opprettetDato`. */
  readonly createdSkewMs?: number;
  /** How long code lists are kept before they are read again. */
  readonly codeListRefreshMs?: number;
  /** The variant format and document status of what Flyt sends (codes, system ids or links of their lists). */
  readonly variantFormat?: string;
  readonly dokumentstatus?: string;
  /** File formats by MIME type, over the Noark defaults (`defaultFileFormats`). */
  readonly fileFormats?: Readonly<Record<string, string>>;
  readonly fetch?: typeof fetch;
  /** The clock for token lifetimes, Retry-After dates and code lists (milliseconds since the epoch). */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * The ArchiveDriver for a county's archive behind FINT arkiv. Every write is asynchronous there: it answers
 * 202 with a status URL, which is polled until 201 (or 303) with the Location of what was created, which is then
 * read. Reads and searches answer at once. Codes are written as links to the archive's own code list entries,
 * read from FINT and kept a while. FINT keeps no external id, so a write whose answer was lost is recognised by
 * what was sent and when (see `caseByExternalId`, `journalPostByExternalId`).
 */
export function createFintDriver(options: FintDriverOptions): ArchiveDriver {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const consumer = options.consumer ?? fintDefaults.consumer;
  const { adapter } = options;
  const statusWindowMs = options.statusWindowMs ?? fintDefaults.statusWindowMs;
  const createdSkewMs = options.createdSkewMs ?? fintDefaults.createdSkewMs;
  const tokens = createTokenCache({
    oauth: options.oauth,
    fetch: fetchImpl,
    now,
    requestTimeoutMs: options.requestTimeoutMs,
  });
  const http = createFintHttp({ fetch: fetchImpl, tokens, requestTimeoutMs: options.requestTimeoutMs });

  const codes = new FintCodes({
    baseUrl,
    adapter,
    now,
    refreshMs: options.codeListRefreshMs ?? fintDefaults.codeListRefreshMs,
    read: async (url, description) => {
      const answer = await http.send({ method: "GET", url, write: false, description });
      if (answer.status === 404) return { status: 404, json: () => undefined };
      expectStatus(answer, [200], { write: false, description }, now());
      return { status: 200, json: () => parseJson(answer, description, { afterWrite: false }) };
    },
  });
  const fileFormats = normalisedFormats({ ...defaultFileFormats, ...options.fileFormats });
  const documents: DocumentCodes = {
    variantFormat: options.variantFormat ?? fintDefaults.variantFormat,
    dokumentstatus: options.dokumentstatus ?? fintDefaults.dokumentstatus,
    fileFormatOf: (mimeType) => fileFormats[essence(mimeType)],
  };

  // The case number stays as the archive wrote it, its slash raw: FINT routes `/mappeid/{ar}/{sekvensnummer}`
  // (fint-consumer-arkiv-noark `SakCustomController`), as its own Flyt gateway sends it.
  const sakByNumberUrl = (caseNumber: string) => `${baseUrl}/arkiv/noark/sak/mappeid/${caseNumber}`;

  /** Sends a write and follows it to the end: the URL of what it created (or changed). */
  async function write(request: FintRequest, accepted?: WriteAccepted): Promise<string> {
    const answer = expectStatus(await http.send(request), [202], request, now());
    const statusUrl = resolveLocation(answer, baseUrl, request);
    await accepted?.(statusUrl);
    const done = await awaitCompletion(statusUrl, request.description, options.poll, pollDeps(request));
    return resolveLocation(done, baseUrl, { ...request, write: true });
  }

  const pollDeps = (request: Pick<FintRequest, "description">) => ({
    get: (url: string) =>
      http.send({ method: "GET", url, write: false, description: `${request.description} status` }),
    now,
    sleep,
  });

  /**
   * What a write taken earlier made, read from its end: "failed" when the archive failed, refused or conflicted
   * it (which does not prove it made nothing: the adapter looks for it), "unknown" when FINT no longer knows its
   * status (410).
   */
  async function finish<T>(
    statusUrl: string,
    description: string,
    read: (location: string) => Promise<T>,
  ): Promise<FinishedWrite<T>> {
    let done: FintAnswer;
    try {
      done = await awaitCompletion(statusUrl, description, options.poll, pollDeps({ description }), {
        verdictAsAnswer: true,
      });
    } catch (error) {
      if (error instanceof WriteStatusGoneError) return "unknown";
      throw error;
    }
    if (done.status !== 201 && done.status !== 303) return "failed";
    return read(resolveLocation(done, baseUrl, { description, write: true }));
  }

  /** Reads what a write created. It exists by now, so any failure here leaves the caller uncertain. */
  async function readCreated(url: string, description: string): Promise<SakResource> {
    let answer: FintAnswer;
    try {
      answer = await http.send({ method: "GET", url, write: false, description });
    } catch (error) {
      throw new ArchiveUnavailableError(`${description}: the write was done, but reading it back failed`, {
        uncertain: true,
        cause: error,
      });
    }
    if (answer.status !== 200) {
      throw new ArchiveUnavailableError(`${description} answered ${answer.status} after the write was done`, {
        uncertain: true,
      });
    }
    return parseJson<SakResource>(answer, description, { afterWrite: true });
  }

  async function readCase(caseNumber: string): Promise<SakResource | undefined> {
    const description = `GET case ${caseNumber}`;
    const answer = await http.send({
      method: "GET",
      url: sakByNumberUrl(caseNumber),
      write: false,
      description,
    });
    if (answer.status === 404) return undefined;
    expectStatus(answer, [200], { write: false, description }, now());
    return parseJson<SakResource>(answer, description, { afterWrite: false });
  }

  async function querySaker(filter: string): Promise<SakResource[]> {
    const description = "POST /arkiv/noark/sak/$query";
    const answer = await http.send({
      method: "POST",
      url: `${baseUrl}/arkiv/noark/sak/$query`,
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: filter,
      write: false,
      description,
    });
    // Nothing found: 404 from Elements (fint-sikri-arkiv-adapter `GetSakHandler`), an empty 200 from Public
    // 360; FINT's own Flyt gateway reads 404 so too.
    if (answer.status === 404) return [];
    const refused = refusedSearchMessage(answer, consumer);
    if (refused !== undefined) {
      throw new ArchiveRefusedError(`the archive cannot take the search "${filter}": ${refused}`, {
        status: 500,
      });
    }
    expectStatus(answer, [200], { write: false, description }, now());
    const collection = parseJson<FintCollection<SakResource>>(answer, description, { afterWrite: false });
    return [...(collection._embedded?._entries ?? [])];
  }

  /**
   * Nothing like the write is in the archive (yet). Until FINT's status window has passed since it was last
   * sent, FINT may still hand it to the archive: wait (unavailable) rather than send it again. After that, or
   * once the archive answered its last send as failed (FINT no longer has it in hand), it may be sent again.
   */
  function notFoundYet(what: string, sent: SentWrite): undefined {
    if (sent.answeredFailed) return undefined;
    const readyAt = sent.lastSentAt.getTime() + statusWindowMs;
    const waitMs = readyAt - now();
    if (waitMs <= 0) return undefined;
    // The archive answered: waiting out FINT's window is no sign of an archive that is down.
    throw new WriteInProgressError(
      `${what} sent at ${sent.lastSentAt.toISOString()} is not in the archive; FINT may still be passing it on` +
        ` until ${new Date(readyAt).toISOString()}, so it is not sent again before`,
      { retryAfterMs: waitMs },
    );
  }

  /**
   * Whether a code link the archive answered names the entry a configured value names: the same link, the same
   * system id, or the same entry of its list. A relation the archive does not answer is not held against it, nor
   * one Flyt did not send: the archive may fill in its own default (a case officer, a unit).
   */
  async function sameCode(
    relation: Relation,
    answered: string | undefined,
    sent: string | null | undefined,
  ): Promise<boolean> {
    if (answered === undefined || !sent) return true;
    const sentHref = await codes.link(relation, sent);
    if (answered === sentHref || lastSegment(answered) === lastSegment(sentHref)) return true;
    const [ours, theirs] = await Promise.all([
      codes.resolve(relation, sent),
      codes.resolve(relation, lastSegment(answered) ?? answered),
    ]);
    return ours !== "not-offered" && theirs !== "not-offered" && !!ours.found && ours.found === theirs.found;
  }

  /**
   * The cases that may be a create sent earlier. Searched by its title (which FINT's grammar must be able to
   * hold: without it a search would come back with whatever the archive holds in the section, and the case might
   * not be among what it answers), arkivdel and primary class; then checked here: made within the send window,
   * with exactly its title, and the arkivdel, primary class, responsible and unit sent wherever the archive
   * answers them; never one the ledger records as another submission's.
   */
  async function casesLikeSent(
    arkivsak: Arkivsak,
    sent: SentWrite,
    earlier: EarlierWrite,
  ): Promise<SakResource[]> {
    if (!isSearchable(arkivsak.tittel)) {
      throw new UnrecognisedWriteError(
        `a case create sent at ${sent.lastSentAt.toISOString()} got no answer, and FINT arkiv cannot search by` +
          " the case's title (its search takes only letters, digits, space and - _ : / $ . { }), so Flyt cannot" +
          ` tell whether the archive made it. An archivist must look in arkivdel ${arkivsak.arkivdel ?? "(none)"}` +
          ` for a case with this submission's title made between ${windowText(sent)}: resolve the submission` +
          " with its case number if there is one, or retry it if there is none",
      );
    }
    const primary = arkivsak.klassering[0]?.ordningsverdi;
    const arkivdel = arkivsak.arkivdel && (await codes.systemId("arkivdel", arkivsak.arkivdel));
    const searched: [string, string | null | undefined][] = [
      ["tittel", arkivsak.tittel],
      ["arkivdel", arkivdel],
      ["klassifikasjon/primar/verdi", primary],
    ];
    const conditions = searched.flatMap(([property, value]) =>
      value && isSearchable(value) ? [comparison(property, value)] : [],
    );
    const window = sendWindow(sent, statusWindowMs, createdSkewMs);
    const hits = await querySaker(conditions.join(" and "));
    const alike = await Promise.all(
      hits.map(
        async (sak) =>
          madeWithin(sak.opprettetDato, window) === true &&
          sak.tittel === arkivsak.tittel &&
          (primary === undefined || klasseValue(primaryKlasse(sak)) === primary) &&
          (await sameCode("arkivdel", sak._links?.arkivdel?.[0]?.href, arkivsak.arkivdel)) &&
          (await sameCode("saksansvarlig", sak._links?.saksansvarlig?.[0]?.href, arkivsak.saksansvarlig)) &&
          (await sameCode(
            "administrativEnhet",
            sak._links?.administrativEnhet?.[0]?.href,
            arkivsak.administrativEnhet,
          )),
      ),
    );
    return notOthers(
      hits.filter((_sak, index) => alike[index]),
      (sak) => toArchivedCase(sak, { afterWrite: false }).caseNumber,
      earlier.writtenByOthers,
    );
  }

  /** The send window of a write, for an archivist to look in. */
  const windowText = (sent: SentWrite) => {
    const window = sendWindow(sent, statusWindowMs, createdSkewMs);
    return `${new Date(window.notBefore).toISOString()} and ${new Date(window.notAfter).toISOString()}`;
  };

  return {
    /**
     * The case a create sent earlier made, recognised by what was sent and when: FINT has no external id, and
     * neither archive adapter keeps keywords or any other marker (fint-p360-rpc-arkiv-adapter `NoarkFactory`,
     * fint-sikri-arkiv-adapter `NoarkService`). One case like it is the one; several are for an archivist to
     * tell apart; none may still come while FINT's status window lasts.
     */
    async caseByExternalId(_externalId, earlier): Promise<ArchivedCase | undefined> {
      // Nothing recorded as sent: no write of this driver to recognise.
      if (!earlier?.sent) return undefined;
      const matches = await casesLikeSent(earlier.arkivsak, earlier.sent, earlier);
      const [match] = matches;
      if (matches.length > 1) {
        throw new UnrecognisedWriteError(
          `${matches.length} cases in the archive look like the one this submission's case create may have made` +
            " (its answer was lost); an archivist must decide which is Flyt's, then resolve the submission",
        );
      }
      return match
        ? toArchivedCase(match, { afterWrite: false })
        : notFoundYet("a case create", earlier.sent);
    },

    async caseByNumber(caseNumber: string): Promise<ArchivedCase | undefined> {
      // Anything else is no case number (and must not become a path of its own).
      if (!isCaseNumber(caseNumber)) return undefined;
      const sak = await readCase(caseNumber);
      return sak && toArchivedCase(sak, { afterWrite: false });
    },

    /**
     * A case's arkivdel is the last segment of its link: the archive's system id for the section (Public 360:
     * `60005`; its read side may give its code there instead), while a configuration names it by code, system id
     * or link. The configured sections are resolved in the arkivdel list and compared by entry.
     */
    async inSections(archivedCase, sections): Promise<boolean> {
      if (sections.includes(archivedCase.arkivdel)) return true;
      const named = await codes.resolve("arkivdel", archivedCase.arkivdel);
      const caseEntry = named !== "not-offered" && named.found ? named.found : undefined;
      for (const section of sections) {
        const resolution = await codes.resolve("arkivdel", section);
        if (resolution === "not-offered" || !resolution.found) continue;
        if (resolution.found.systemId === archivedCase.arkivdel || resolution.found === caseEntry)
          return true;
      }
      return false;
    },

    async searchCases(criteria: Readonly<Record<string, string>>): Promise<ArchivedCase[]> {
      const search = await caseSearch(criteria, adapter, (relation, value, field) =>
        codes.systemId(relation, value, field),
      );
      const found = await querySaker(search.filter);
      return found.filter(search.keep).map((sak) => toArchivedCase(sak, { afterWrite: false }));
    },

    async createCase(
      arkivsak: Arkivsak,
      _externalId: string,
      accepted?: WriteAccepted,
    ): Promise<ArchivedCase> {
      const description = "POST /arkiv/noark/sak";
      const body = await toSakResource(arkivsak, codes);
      const created = await write(
        {
          method: "POST",
          url: `${baseUrl}/arkiv/noark/sak`,
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
          write: true,
          description,
        },
        accepted,
      );
      return toArchivedCase(await readCreated(created, "GET the created case"), { afterWrite: true });
    },

    finishCaseCreate(statusUrl: string): Promise<FinishedWrite<ArchivedCase>> {
      return finish(statusUrl, "POST /arkiv/noark/sak (taken earlier)", async (location) =>
        toArchivedCase(await readCreated(location, "GET the created case"), { afterWrite: true }),
      );
    },

    finishJournalPost(
      archivedCase,
      statusUrl,
      _externalId,
      earlier,
    ): Promise<FinishedWrite<ArchivedJournalPost>> {
      const description = `PUT journal post to case ${archivedCase.caseNumber} (taken earlier)`;
      return finish(statusUrl, description, async (location) =>
        addedJournalPost(
          await readCreated(location, `GET case ${archivedCase.caseNumber} with the new journal post`),
          archivedCase,
          earlier?.post,
          Number(earlier?.sent?.marker ?? 0),
        ),
      );
    },

    async uploadFile(file: FileReference, content: Buffer): Promise<ArchiveFileRef> {
      // The created dokumentfil's Location is what a journal post's document links to; it is not read back,
      // which would download the whole file again.
      return write({
        method: "POST",
        url: `${baseUrl}/arkiv/noark/dokumentfil`,
        headers: {
          "content-type": file.mimeType,
          "content-disposition": attachmentDisposition(file.filename),
        },
        body: content,
        write: true,
        description: "POST /arkiv/noark/dokumentfil",
      });
    },

    /**
     * The journal post an add sent earlier made: one numbered above the case's highest number before it was
     * sent (the marker), made within the send window, with exactly its title, date, type and documents, and not
     * recorded as another submission's. Without a marker (sent by an adapter from before markers, or cut off
     * before it went out) the window alone bounds it, and a look-alike the archive gives no date for cannot be
     * told apart. Several, or such a one, are for an archivist; none may still come while FINT's status window
     * lasts.
     */
    async journalPostByExternalId(
      archivedCase,
      _externalId,
      earlier,
    ): Promise<ArchivedJournalPost | undefined> {
      if (!earlier?.sent) return undefined;
      const { sent, post } = earlier;
      const marker = sent.marker === undefined ? undefined : Number(sent.marker);
      const sak = await readCase(archivedCase.caseNumber);
      const window = sendWindow(sent, statusWindowMs, createdSkewMs);
      const posts = sak?.journalpost ?? [];
      // Public 360 answers the type by its code (…/I) where Flyt linked its system id (…/110): compared by entry.
      const typeLinks = [...new Set(posts.flatMap((p) => p._links?.journalposttype?.[0]?.href ?? []))];
      const typeMatches = await Promise.all(
        typeLinks.map((href) => sameCode("journalposttype", href, post.journalposttype)),
      );
      const sameTypes = new Set(typeLinks.filter((_href, index) => typeMatches[index]));
      const alike = journalPostsLikeSent(posts, post, {
        marker: marker !== undefined && Number.isFinite(marker) ? marker : undefined,
        window,
        sameType: (answered) => answered === undefined || sameTypes.has(answered),
      });
      const matches = await notOthers(
        alike,
        (candidate) => toArchivedJournalPost(candidate, archivedCase).number,
        earlier.writtenByOthers,
      );
      const undated =
        marker === undefined && matches.some((m) => madeWithin(m.opprettetDato, window) === undefined);
      if (matches.length > 1 || undated) {
        throw new UnrecognisedWriteError(
          `a journal post sent to case ${archivedCase.caseNumber} at ${sent.lastSentAt.toISOString()} got no` +
            ` answer, and ${matches.length} of the case's journal posts look like it` +
            `${undated ? " (the archive gives no date to tell them by)" : ""}. An archivist must decide whether one` +
            " of them is this submission's: resolve the submission if so, or retry it if none is",
        );
      }
      const [match] = matches;
      return match ? toArchivedJournalPost(match, archivedCase) : notFoundYet("a journal post", sent);
    },

    async addJournalPost(
      archivedCase: ArchivedCase,
      post: Journalpost,
      files: ReadonlyMap<string, ArchiveFileRef>,
      _externalId: string,
      accepted?: WriteAccepted,
      sending?: WriteSending,
    ): Promise<ArchivedJournalPost> {
      const journalpost = await toJournalpostResource(post, files, codes, documents);
      // The case's highest number before the add, kept before it is sent: what the added post will exceed.
      const before = await readCase(archivedCase.caseNumber);
      if (!before) throw new ArchiveRefusedError(`case ${archivedCase.caseNumber} is not in the archive`);
      const marker = highestJournalPostNumber(before);
      await sending?.(String(marker));
      const updated = await write(
        {
          method: "PUT",
          url: sakByNumberUrl(archivedCase.caseNumber),
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ journalpost: [journalpost] }),
          write: true,
          description: `PUT journal post to case ${archivedCase.caseNumber}`,
        },
        accepted,
      );
      const sak = await readCreated(updated, `GET case ${archivedCase.caseNumber} with the new journal post`);
      return addedJournalPost(sak, archivedCase, post, marker);
    },

    check(toCheck: readonly CodeToCheck[]): Promise<DriverCheck> {
      return checkFintDestination({
        baseUrl,
        fetch: fetchImpl,
        requestTimeoutMs: options.requestTimeoutMs,
        tokens,
        codes,
        adapter,
        documents,
        codesToCheck: toCheck,
      });
    },
  };
}

/** A MIME type's essence (`type/subtype`, lower case, without parameters): how file formats are keyed. */
const essence = (mimeType: string) => mimeType.split(";")[0]?.trim().toLowerCase() ?? "";

const normalisedFormats = (formats: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(formats).map(([mime, format]) => [essence(mime), format]));

function parseJson<T>(answer: FintAnswer, description: string, options: { readonly afterWrite: boolean }): T {
  try {
    return JSON.parse(answer.body) as T;
  } catch (error) {
    throw new ArchiveUnavailableError(`${description} answered something other than JSON`, {
      uncertain: options.afterWrite,
      cause: error,
    });
  }
}
