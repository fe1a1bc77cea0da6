import { ArchiveUnavailableError } from "../archive-errors";
import {
  type CodeEntry,
  type CodeListName,
  codeListPaths,
  isUrl,
  lastSegment,
  type Relation,
  type Resolution,
  relationLists,
  resolveIn,
  toCodeEntries,
  UnknownCodeError,
  unresolvedReason,
} from "./code-lists";
import type { FintAdapter } from "./fint-options";
import type { FintCollection } from "./fint-resources";

/** A code list as read, or "not-offered" when the archive answers 404 for it (Public 360 has no arkivressurs). */
export type CodeListAnswer = readonly CodeEntry[] | "not-offered";

export interface FintCodesOptions {
  readonly baseUrl: string;
  /** Reads a list (throws the classified error when it cannot). */
  readonly read: (url: string, description: string) => Promise<{ status: number; json: () => unknown }>;
  readonly adapter: FintAdapter | undefined;
  readonly now: () => number;
  /** A list older than this is read again on its next use. */
  readonly refreshMs: number;
}

/**
 * A list just read is not read again for a miss sooner than this: a wrong code does not hammer the archive. An
 * empty list is kept no longer than this either: it is most likely FINT still filling its cache.
 */
const MISS_REFRESH_MS = 10_000;

/**
 * Relations Public 360 reads as numbers: a link whose last segment is not one fails there with `For input
 * string` (fint-p360-rpc-arkiv-adapter `NoarkFactory.createCaseArgs`, `JournalpostFactory.toP360`).
 */
const numericInP360: ReadonlySet<Relation> = new Set([
  "administrativEnhet",
  "saksansvarlig",
  "saksbehandler",
]);

/**
 * The destination's code lists, read from FINT and kept for `refreshMs` (read again on the next use after that,
 * and at once when a value is not found in a list older than a few seconds), and the links and system ids of
 * configured values in them.
 */
export class FintCodes {
  readonly #lists = new Map<
    CodeListName,
    { readonly at: number; readonly answer: Promise<CodeListAnswer>; empty: boolean }
  >();

  constructor(private readonly options: FintCodesOptions) {}

  /** A list's entries, from the cache while it is fresh. */
  list(name: CodeListName, options: { readonly fresh?: boolean } = {}): Promise<CodeListAnswer> {
    const cached = this.#lists.get(name);
    const now = this.options.now();
    const age = cached ? now - cached.at : Number.POSITIVE_INFINITY;
    const keepFor = options.fresh || cached?.empty ? MISS_REFRESH_MS : this.options.refreshMs;
    if (cached && age < keepFor) return cached.answer;
    const answer = this.#read(name);
    const entry = { at: now, answer, empty: false };
    this.#lists.set(name, entry);
    answer.then(
      (read) => {
        entry.empty = read !== "not-offered" && read.length === 0;
      },
      () => {},
    );
    // A failed read is not kept: the next use tries again.
    answer.catch(() => {
      if (this.#lists.get(name)?.answer === answer) this.#lists.delete(name);
    });
    return answer;
  }

  /**
   * What a configured value of a relation names in its list, read again once when it is not found (a code added
   * since). A link is found among the entries' self links. A list that answers with no entries at all says
   * nothing of the value: FINT answers so while its cache is still being filled from the archive (after a
   * consumer or adapter restart), so it is unavailable for now, not a code the archive lacks.
   */
  async resolve(relation: Relation, value: string): Promise<Resolution | "not-offered"> {
    const list = relationLists[relation];
    const first = await this.list(list);
    if (first === "not-offered") return first;
    const resolution = resolveIn(first, value);
    if (resolution.found) return resolution;
    const again = await this.list(list, { fresh: true });
    if (again === "not-offered") return again;
    if (again.length === 0) throw emptyListError(list);
    return resolveIn(again, value);
  }

  /**
   * The link to write for a configured value: the first self link of the one entry it names, or a link kept as
   * it is. Refused (permanently, naming field and value) when the archive does not know it or knows it twice.
   * Case officers in an archive without an arkivressurs list (Public 360) are linked by their numeric id.
   * A configured link is written without reading its list, unless `verify` (the connection check) asks.
   */
  async link(
    relation: Relation,
    value: string,
    field: string = relation,
    options: { readonly verify?: boolean } = {},
  ): Promise<string> {
    const list = relationLists[relation];
    if (isUrl(value) && !(options.verify && (await this.#offers(list)))) {
      return this.#numericChecked(relation, value, field, value);
    }
    const personByNumber =
      !isUrl(value) &&
      list === "arkivressurs" &&
      (this.options.adapter === "P360" || !(await this.#offers(list)));
    if (personByNumber) {
      if (!/^\d+$/.test(value)) {
        // Elements has a list of its people: empty, it is still being filled. Unknown adapter: it may be either.
        if (this.options.adapter !== "P360" && (await this.list(list)) !== "not-offered") {
          throw emptyListError(list);
        }
        throw new UnknownCodeError(
          `${field} "${value}" is not the numeric id of a person in the archive, and the archive offers no list of` +
            ` its people (/${codeListPaths.arkivressurs}) to look it up in: configure the person's id` +
            " (Public 360: the recno of the contact person)",
        );
      }
      return `${this.options.baseUrl}/${codeListPaths.arkivressurs}/systemid/${value}`;
    }
    const resolution = await this.resolve(relation, value);
    if (resolution === "not-offered") {
      throw new UnknownCodeError(
        `the archive offers no list /${codeListPaths[list]}, so ${field} "${value}" cannot be linked to it`,
      );
    }
    if (!resolution.found) throw new UnknownCodeError(unresolvedReason(field, value, list, resolution));
    return this.#numericChecked(relation, resolution.href, field, value);
  }

  /** The archive's system id for a configured value: what FINT's search compares (as FINT's Flyt gateway asks). */
  async systemId(relation: Relation, value: string, field: string = relation): Promise<string> {
    const list = relationLists[relation];
    const resolution = await this.resolve(relation, value);
    if (resolution === "not-offered") {
      throw new UnknownCodeError(`the archive offers no list /${codeListPaths[list]} to search ${field} by`);
    }
    if (!resolution.found) throw new UnknownCodeError(unresolvedReason(field, value, list, resolution));
    return resolution.found.systemId;
  }

  /** Whether the archive offers the list with something in it (a list no adapter fills stays empty). */
  async #offers(list: CodeListName): Promise<boolean> {
    const answer = await this.list(list);
    return answer !== "not-offered" && answer.length > 0;
  }

  #numericChecked(relation: Relation, href: string, field: string, value: string): string {
    if (
      this.options.adapter === "P360" &&
      numericInP360.has(relation) &&
      !/^\d+$/.test(lastSegment(href) ?? "")
    ) {
      throw new UnknownCodeError(
        `${field} "${value}" does not end in a number, and Public 360 takes ${field} only by its numeric id (recno)`,
      );
    }
    return href;
  }

  async #read(name: CodeListName): Promise<CodeListAnswer> {
    const path = codeListPaths[name];
    const answer = await this.options.read(`${this.options.baseUrl}/${path}`, `GET /${path}`);
    if (answer.status === 404) return "not-offered";
    const json = answer.json();
    if (json === null || typeof json !== "object") {
      throw new ArchiveUnavailableError(`GET /${path} answered something other than a FINT collection`);
    }
    return toCodeEntries(json as FintCollection<never>);
  }
}

/**
 * A code list FINT answered with no entries: while a consumer's cache is being filled from the archive (after a
 * restart of the consumer or the adapter) FINT answers an empty 200 (fint-consumer-arkiv-kodeverk's controllers
 * answer their cache as it is). Tried again later; a list that stays empty fails when the retry budget is spent.
 */
export function emptyListError(list: CodeListName): ArchiveUnavailableError {
  return new ArchiveUnavailableError(
    `the archive's /${codeListPaths[list]} has no entries (FINT may still be filling its cache from the archive); tried again later`,
  );
}
