/**
 * What a chaos run records, as plain values: the checks are pure functions over these. Times are epoch
 * milliseconds of the machine the whole run shares (the services' `at` times included).
 */

/** The shapes of load a source system sends. */
export type Scenario =
  | "one-step"
  | "two-step-case"
  | "two-step-posts"
  | "search-or-new"
  | "rejected"
  | "repeat"
  | "concurrent-copies";

export const TERMINAL_STATUSES = ["ARCHIVED", "REJECTED", "FAILED", "CANCELLED"] as const;
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

export const isTerminal = (status: string): status is TerminalStatus =>
  (TERMINAL_STATUSES as readonly string[]).includes(status);

export interface HistoryStep {
  readonly status: string;
  readonly at: string;
}

/** A status resource as the gateway answers it (and, with `type`, as a callback carries it). */
export interface StatusResource {
  readonly id: string;
  readonly status: string;
  readonly caseNumber: string | null;
  readonly journalPostNumbers: readonly string[];
  readonly history: readonly HistoryStep[];
  readonly [member: string]: unknown;
}

/** A submission the gateway accepted (202): what was sent and what it must end as. */
export interface AcceptedSubmission {
  readonly id: string;
  readonly scenario: Scenario;
  readonly sourceApplication: string;
  readonly integrationId: string;
  readonly sourceInstanceId: string;
  readonly expectedStatus: TerminalStatus;
  /** Submissions that must end in one archive case (a search-or-new pair; a case and its journal posts). */
  readonly caseGroup?: string;
  /** When the 202 arrived. */
  readonly acceptedAt: number;
}

/** Several posts of one submission (repeats, concurrent copies): each 202 must name the same id. */
export interface CopyGroup {
  readonly key: string;
  /** The id of each answer that was a 202. */
  readonly acceptedIds: readonly string[];
  /** Every status code answered, in order. */
  readonly statuses: readonly number[];
}

/** One HTTP answer the load got from the gateway (0: no answer, the connection failed). */
export interface HttpAnswer {
  readonly at: number;
  readonly operation: string;
  readonly status: number;
  readonly retryAfter: boolean;
  /** How long the answer took (or the request until it failed). */
  readonly durationMs: number;
}

/** One poll of a submission's status resource, in the order the poller made them. */
export interface Poll {
  readonly id: string;
  readonly at: number;
  readonly history: readonly HistoryStep[];
}

/** One callback request the receiver took. */
export interface ReceivedCallback {
  readonly at: number;
  readonly webhookId: string;
  readonly signatureVerified: boolean;
  readonly body: StatusResource & { readonly type?: unknown };
}

/** A row the simulated archive holds: its external id is the writing submission's id (and post index). */
export interface ArchiveRecord {
  readonly kind: "case" | "journal-post";
  readonly externalId: string;
  readonly number: string;
}

/** A fault the run caused, from its start until the system was whole again (restarted, back up). */
export interface FaultWindow {
  readonly name: string;
  readonly startedAt: number;
  readonly endedAt: number;
}

/** A planned submission the gateway never took (202), with the last status it answered (0: no answer). */
export interface NotAccepted {
  readonly sourceInstanceId: string;
  readonly lastStatus: number;
}

export interface Observations {
  readonly accepted: readonly AcceptedSubmission[];
  readonly notAccepted: readonly NotAccepted[];
  readonly copyGroups: readonly CopyGroup[];
  readonly answers: readonly HttpAnswer[];
  readonly polls: readonly Poll[];
  /** Each accepted submission's status resource when the run ended, by id. */
  readonly finals: Readonly<Record<string, StatusResource>>;
  readonly callbacks: readonly ReceivedCallback[];
  readonly archive: readonly ArchiveRecord[];
  readonly faults: readonly FaultWindow[];
  /** When the load stopped and when the run stopped waiting for it to settle. */
  readonly loadEndedAt: number;
  readonly endedAt: number;
}
