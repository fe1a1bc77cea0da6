import type { ArchiveCompleted, ArchiveFailed } from "@flyt/schemas";
import type { ArchivedCase, ArchivedJournalPost, ArchiveFileRef, SentWrite } from "../drivers/archive-driver";

/** The outcome of archiving a submission as published (less the event's meta). */
export type ArchiveAnswer =
  | { readonly topic: "completed"; readonly value: Omit<ArchiveCompleted, "meta"> }
  | { readonly topic: "failed"; readonly value: Omit<ArchiveFailed, "meta"> };

/** Where one submission's archiving stands: what is done in the archive, and what was tried without an answer. */
export interface Progress {
  readonly submissionId: string;
  /** The delivery holding the submission's lease. */
  readonly owner: string;
  /** The version this delivery read and last saved: a save over another delivery's newer one is refused. */
  version: number;
  readonly tenantId: string;
  readonly destinationId: string;
  /** The submission's run this progress's outcome belongs to. */
  readonly run: number;
  case?: ArchivedCase;
  caseCreated: boolean;
  /** A create was sent without a known result: look the case up by external id before creating again. */
  caseCreateAttempted: boolean;
  /** Flyt file id → the archive's reference. */
  files: Record<string, ArchiveFileRef>;
  /** By journal post index, once added. */
  journalPosts: (ArchivedJournalPost | null)[];
  /** Indexes of journal posts whose add was sent without a known result. */
  journalPostsAttempted: number[];
  /**
   * Writes the archive took and completes later, by what they write (`case`, `journalPost/<index>`): the
   * status URL to follow before anything is written again.
   */
  pendingWrites: Record<string, string>;
  /**
   * Writes sent without a known result yet, by the same keys: when they were sent and the driver's marker,
   * recorded before they went out, so a driver that cannot look a write up by external id can recognise it. A
   * journal post's send is recorded when its driver says the request is going out (`WriteSending`); until then
   * its record has `sends: 0`, an attempt that sent nothing.
   */
  sentWrites: Record<string, SentWrite>;
  attempts: number;
  /** The first attempt of this run: its retry budget counts from here (unless `budgetFrom`). */
  readonly firstAttemptAt: Date;
  /** When the submission's first run started; a later run does not move it. */
  readonly firstRunAt: Date;
  /**
   * When the run's retry budget started, if not at its first attempt: journal posts that waited for a case being
   * made start it at their last wait (waiting spends none of it).
   */
  budgetFrom?: Date;
  lastError: string | null;
  answer?: ArchiveAnswer;
}
