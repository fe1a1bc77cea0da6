import type { Journalpost } from "@flyt/schemas";
import type { SentWrite, WrittenByOthers } from "../archive-driver";
import { archiveInstant, osloCalendarDay } from "../oslo-dates";
import type { JournalpostResource } from "./fint-resources";

/**
 * How FINT arkiv's lost writes are recognised (FINT keeps no external id): by what was sent, within the time it
 * can have been made in, and never among what the adapter's ledger records as another submission's. What cannot
 * be told apart is for an archivist, never a guess.
 */

/** When a write sent earlier can have been made: from its first send until FINT let go of its last (ms). */
export interface SendWindow {
  readonly notBefore: number;
  readonly notAfter: number;
}

/**
 * From its first send (less the archive's clock skew) until FINT's status window after its last send (plus the
 * skew): FINT passes a write on within its status window, or never.
 */
export function sendWindow(sent: SentWrite, statusWindowMs: number, skewMs: number): SendWindow {
  return {
    notBefore: sent.firstSentAt.getTime() - skewMs,
    notAfter: sent.lastSentAt.getTime() + statusWindowMs + skewMs,
  };
}

/**
 * Whether the archive's creation time of a candidate falls in the window; undefined when it gave none (or none
 * readable). A time without an offset is the archive's local time, Norway's.
 */
export function madeWithin(createdAt: string | undefined, window: SendWindow): boolean | undefined {
  const at = archiveInstant(createdAt);
  if (Number.isNaN(at)) return undefined;
  return at >= window.notBefore && at <= window.notAfter;
}

/** The candidates whose numbers the ledger does not record as another submission's. */
export async function notOthers<T>(
  candidates: readonly T[],
  numberOf: (candidate: T) => string,
  writtenByOthers: WrittenByOthers | undefined,
): Promise<T[]> {
  if (candidates.length === 0 || !writtenByOthers) return [...candidates];
  const others = await writtenByOthers(candidates.map(numberOf));
  return candidates.filter((candidate) => !others.has(numberOf(candidate)));
}

/**
 * The journal posts of a case that may be the add sent earlier: numbered above `marker` (the case's highest
 * number before it was sent) when there is one, not made outside the send window, with exactly its title and,
 * where the archive answers them, its document date (the day in Norway: adapters answer local midnight in UTC),
 * type and documents' titles. `sameType` tells whether the archive's journalposttype link names the type sent.
 */
export function journalPostsLikeSent(
  posts: readonly JournalpostResource[],
  post: Journalpost,
  options: {
    readonly marker: number | undefined;
    readonly window: SendWindow;
    readonly sameType: (answered: string | undefined) => boolean;
  },
): JournalpostResource[] {
  const documentTitles = post.dokumenter.map((dokument) => dokument.tittel).sort();
  return posts.filter((candidate) => {
    if (options.marker !== undefined && (candidate.journalPostnummer ?? 0) <= options.marker) return false;
    // Undated without a marker stays a candidate: the driver cannot tell it apart, and says so.
    if (madeWithin(candidate.opprettetDato, options.window) === false) return false;
    if (candidate.tittel !== post.tittel) return false;
    const answeredDate = osloCalendarDay(candidate.dokumentetsDato);
    if (post.dokumentdato !== null && answeredDate !== undefined && answeredDate !== post.dokumentdato) {
      return false;
    }
    if (!options.sameType(candidate._links?.journalposttype?.[0]?.href)) return false;
    const theirs = (candidate.dokumentbeskrivelse ?? []).map((dokument) => dokument.tittel).sort();
    return theirs.length === 0 || sameList(theirs, documentTitles);
  });
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item, index) => item === b[index]);
