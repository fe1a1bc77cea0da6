import type { Arkivsak, FileReference, Journalpost } from "@flyt/schemas";
import type { CodeToCheck, DriverCheck } from "./destination-check";

/**
 * A case in the archive: its system id (for later writes), its case number (`2026/123`) and, where the driver
 * can tell, its archive section (arkivdel, by the code Flyt uses for it). Nothing of its content: Flyt keeps
 * no more of another's case than it needs to file into it.
 */
export interface ArchivedCase {
  readonly systemId: string;
  readonly caseNumber: string;
  readonly arkivdel?: string;
}

/** A journal post in the archive: its number (`2026/123-4`). */
export interface ArchivedJournalPost {
  readonly systemId: string;
  readonly number: string;
}

/** A document's file as the journal post that uses it refers to it in the archive. */
export type ArchiveFileRef = string;

/**
 * Told when the archive has taken a write that it completes later (FINT's 202 and status URL), before waiting
 * for it: where to ask how it went. Kept with the progress, so that nothing repeats a write still in the works.
 */
export type WriteAccepted = (statusUrl: string) => Promise<void>;

/**
 * Told just before a write goes out, with what the driver needs kept to recognise the write later (FINT: the
 * case's highest journal post number then). The adapter records the send here, saved with the progress before the
 * write is sent: an attempt that failed before it was told sent nothing.
 */
export type WriteSending = (marker: string) => Promise<void>;

/**
 * A write sent earlier whose result is not known, as the adapter recorded it before sending: when, how often,
 * and the driver's marker (see WriteSending). For drivers that cannot store an external id in the archive
 * (FINT), this and what was sent are all there is to recognise the write by.
 */
export interface SentWrite {
  /** When it was first sent: nothing it made can be older. */
  readonly firstSentAt: Date;
  /** When it was last sent: how long the archive may still be working on it is counted from here. */
  readonly lastSentAt: Date;
  readonly sends: number;
  readonly marker?: string;
  /**
   * The archive answered the last send as failed (FINT's ERROR, REJECTED or CONFLICT at its status URL): it
   * no longer has it in hand, so there is nothing to wait for. It may still have written it, so it is looked for
   * before anything is sent again all the same.
   */
  readonly answeredFailed?: boolean;
}

/**
 * Of these case numbers (or journal post numbers), those the adapter's ledger records as written by another
 * submission: never recognised as this submission's own earlier write.
 */
export type WrittenByOthers = (numbers: readonly string[]) => Promise<ReadonlySet<string>>;

/**
 * A write sent earlier, as the adapter hands it to a driver to recognise: what and when it was sent, and the
 * numbers that are certainly not it.
 */
export interface EarlierWrite {
  readonly sent?: SentWrite;
  readonly writtenByOthers?: WrittenByOthers;
}

/**
 * How a write the archive took earlier ended: what it made; "failed" when the archive answered that it failed
 * (ERROR, REJECTED, CONFLICT), "unknown" when it no longer knows (410). Neither proves that nothing was written:
 * an adapter may fail a write after the archive made it, so both are looked for before the write is sent again.
 */
export type FinishedWrite<T> = T | "failed" | "unknown";

/**
 * One archive system, as the adapter writes to it. Every method is one logical archive operation; a driver
 * hides its protocol (asynchronous writes polled to completion, HATEOAS discovery, ...) and classifies failures:
 * `ArchiveUnavailableError` when trying again later may succeed, `ArchiveRefusedError` when it will not.
 *
 * External ids make writes safe to repeat: a case is created with the submission's id, a journal post with the
 * submission's id and its index, and after an uncertain failure (timeout, crash) the adapter asks for them
 * before writing again. A driver whose archive keeps no external id (FINT) recognises its write instead by what
 * was sent and when (`earlier`), never taking what the ledger records as another submission's, and may answer
 * that it cannot tell yet (unavailable) or at all (a permanent error): it never guesses.
 */
export interface ArchiveDriver {
  /** The case created with this external id, if any. */
  caseByExternalId(
    externalId: string,
    earlier?: EarlierWrite & { readonly arkivsak: Arkivsak },
  ): Promise<ArchivedCase | undefined>;
  /** The case with this number, if any. */
  caseByNumber(caseNumber: string): Promise<ArchivedCase | undefined>;
  /**
   * The archive section (arkivdel, by the code Flyt uses) of a case read without it: for drivers whose cases do
   * not carry it, asked only when an integration's reach is whole sections.
   */
  arkivdelOf?(archivedCase: ArchivedCase): Promise<string | undefined>;
  /**
   * Whether a case whose `arkivdel` is known is in one of these sections as Flyt's configuration names them, for
   * drivers whose archive names a section otherwise (FINT: by the archive's system id, `60005` for `SAK`).
   * Without it the two are compared as they are.
   */
  inSections?(
    archivedCase: ArchivedCase & { readonly arkivdel: string },
    sections: readonly string[],
  ): Promise<boolean>;
  /** Cases whose fields equal every criterion (`arkivdel`, `tittel`, `klassering.ordningsverdi`, ...). */
  searchCases(criteria: Readonly<Record<string, string>>): Promise<ArchivedCase[]>;
  createCase(arkivsak: Arkivsak, externalId: string, accepted?: WriteAccepted): Promise<ArchivedCase>;
  /** Stores a file's content; the returned reference goes into the journal post that uses it. */
  uploadFile(file: FileReference, content: Buffer): Promise<ArchiveFileRef>;
  /** The journal post of this case created with this external id, if any. */
  journalPostByExternalId(
    archivedCase: ArchivedCase,
    externalId: string,
    earlier?: EarlierWrite & { readonly post: Journalpost },
  ): Promise<ArchivedJournalPost | undefined>;
  /** Adds a journal post with its documents, whose files are already uploaded (`files` by Flyt file id). */
  addJournalPost(
    archivedCase: ArchivedCase,
    post: Journalpost,
    files: ReadonlyMap<string, ArchiveFileRef>,
    externalId: string,
    accepted?: WriteAccepted,
    sending?: WriteSending,
  ): Promise<ArchivedJournalPost>;
  /**
   * One cheap read that resolves when the archive answers (a refusal is an answer too): while a destination's
   * circuit is open, it tells when the archive is back. Drivers without one are tried again by a real call.
   */
  probe?(): Promise<void>;
  /**
   * The connection check: reach the archive, authenticate, read its code lists, and look up every configured
   * code (see destination-check). Reads only; never writes to the archive.
   */
  check?(codes: readonly CodeToCheck[]): Promise<DriverCheck>;
  /**
   * Follows a case create the archive took earlier (its status URL) to its end (see FinishedWrite). For drivers
   * whose writes complete later.
   */
  finishCaseCreate?(statusUrl: string): Promise<FinishedWrite<ArchivedCase>>;
  /** The same for a journal post added earlier. */
  finishJournalPost?(
    archivedCase: ArchivedCase,
    statusUrl: string,
    externalId: string,
    earlier?: EarlierWrite & { readonly post: Journalpost },
  ): Promise<FinishedWrite<ArchivedJournalPost>>;
}
