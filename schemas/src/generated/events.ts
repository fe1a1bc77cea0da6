// Generated from schemas/avro/*.avsc by schemas/scripts/generate-types.ts. Do not edit.

/** A postal address. */
export interface Adresse {
  /** Address lines, in order. */
  readonly adresselinje: readonly string[];
  /** Postal code. */
  readonly postnummer: string | null;
  /** Postal town. */
  readonly poststed: string | null;
}

/** The archive took the submission: its case and journal posts exist there. Keyed by case key. */
export interface ArchiveCompleted {
  /** Identity and tracing of this event. */
  readonly meta: EventMeta;
  /** The submission this event is about. */
  readonly submission: SubmissionRef;
  /** The archive that took it. */
  readonly destination: ArchiveDestination;
  /** Case number (saksnummer), e.g. `2026/123`. */
  readonly caseNumber: string;
  /** The archive's own id of the case (system id), for later writes. */
  readonly archiveCaseId: string;
  /** True when this submission created the case; false when it was found or given. */
  readonly caseCreated: boolean;
  /** Journal post numbers in submission order, e.g. `2026/123-1`. */
  readonly journalPostNumbers: readonly string[];
  /** Archive attempts it took, including the successful one. */
  readonly attempts: number;
}

/** Where a submission is archived. */
export interface ArchiveDestination {
  /** Id of the archive destination, e.g. `vestland-elements`; routes the message to that archive's adapters. */
  readonly id: string;
  /** How the adapter talks to the archive. */
  readonly driver: ArchiveDriver;
}

/** Protocol of the archive. */
export type ArchiveDriver = "FINT" | "NOARK5" | "SIMULATOR";
export const archiveDriverValues = ["FINT", "NOARK5", "SIMULATOR"] as const;

/** The archive did not take the submission. Keyed by case key. */
export interface ArchiveFailed {
  /** Identity and tracing of this event. */
  readonly meta: EventMeta;
  /** The submission this event is about. */
  readonly submission: SubmissionRef;
  /** The archive that was written to. */
  readonly destination: ArchiveDestination;
  /** Stable failure code, e.g. `archive-unavailable`, `archive-rejected`. */
  readonly code: string;
  /** The archive's own message, kept for the archivist. */
  readonly message: string;
  /** True when the failure was transient (5xx, 429, timeout) and the retry budget ran out; false when the archive refused the content (4xx with validation text). */
  readonly retriable: boolean;
  /** Archive attempts made. */
  readonly attempts: number;
  /** The case number, when the case was created before the failure. */
  readonly caseNumber: string | null;
  /** Journal posts archived before the failure. */
  readonly journalPostNumbers: readonly string[];
}

/** The archive adapter took up a validated submission: it is being written, or (journal posts) waits for its case to be archived first. Keyed by case key. */
export interface ArchiveProgressed {
  /** Identity and tracing of this event. */
  readonly meta: EventMeta;
  /** The submission this event is about. */
  readonly submission: SubmissionRef;
  /** The archive it is written to. */
  readonly destination: ArchiveDestination;
  /** Where the submission stands at the adapter. */
  readonly stage: ArchiveStage;
}

/** `ARCHIVING`: the adapter is writing it to the archive; `WAITING_FOR_CASE`: journal posts wait until the case they belong to is archived. */
export type ArchiveStage = "ARCHIVING" | "WAITING_FOR_CASE";
export const archiveStageValues = ["ARCHIVING", "WAITING_FOR_CASE"] as const;

/** A case file (Noark 5 saksmappe). Fields left out are filled from the integration's configured defaults. */
export interface Arkivsak {
  /** Title of the case. */
  readonly tittel: string;
  /** Title for public registers, with screened words removed. */
  readonly offentligTittel: string | null;
  /** Case officer responsible for the case. */
  readonly saksansvarlig: string | null;
  /** Administrative unit responsible for the case. */
  readonly administrativEnhet: string | null;
  /** Archive section, e.g. `SAK`. */
  readonly arkivdel: string | null;
  /** Registry unit. */
  readonly journalenhet: string | null;
  /** Case folder type. */
  readonly saksmappetype: string | null;
  /** Case status code. */
  readonly saksstatus: string | null;
  /** Access group in the archive. */
  readonly tilgangsgruppe: string | null;
  /** Classifications, primary first. */
  readonly klassering: readonly Klassering[];
  /** Parties to the case. */
  readonly part: readonly Part[];
  /** Screening of the case. */
  readonly skjerming: Skjerming | null;
}

/** `PING`: send a signed test event now; `RESEND`: send one delivery again (same webhook-id, a new schedule); `REPLAY`: send again every delivery of this endpoint parked since `since`. */
export type CallbackAction = "PING" | "RESEND" | "REPLAY";
export const callbackActionValues = ["PING", "RESEND", "REPLAY"] as const;

/** A source system or an operator asked the callback dispatcher for something: a signed test event (ping), one delivery sent again (resend), or every parked delivery since a time sent again (replay). Keyed by `<tenant>/<source application>`, so one owner's requests stay in order. */
export interface CallbackRequested {
  /** Identity and tracing of this event. */
  readonly meta: EventMeta;
  /** The county (tenant) whose callback endpoint this is about. */
  readonly tenant: string;
  /** The source application whose callback endpoint this is about. */
  readonly sourceApplication: string;
  /** What is asked. */
  readonly action: CallbackAction;
  /** `PING`: the id the test delivery gets (answered to the caller); `RESEND`: the delivery to send again; `REPLAY`: null. */
  readonly deliveryId: string | null;
  /** `REPLAY`: deliveries parked at or after this time; otherwise null. */
  readonly since: Date | null;
  /** Who asked: the source system's or the operator's OAuth client id. */
  readonly requestedBy: string;
}

/** Which existing cases the submission may be filed into, as its integration allows: a county's other cases stay out of a source application's reach. */
export interface CaseAccess {
  /** How far the submission may reach. */
  readonly scope: CaseAccessScope;
  /** For `ARCHIVE_SECTIONS`: the archive sections (arkivdel) whose cases it may reach. */
  readonly arkivdeler: readonly string[];
}

/** `OWN_CASES`: only cases the submission's source application created or was filed into through Flyt; `ARCHIVE_SECTIONS`: any case in the archive sections `arkivdeler`. */
export type CaseAccessScope = "OWN_CASES" | "ARCHIVE_SECTIONS";
export const caseAccessScopeValues = ["OWN_CASES", "ARCHIVE_SECTIONS"] as const;

/** `NEW`: create a case; `BY_ID`: add to the case in `caseRef`; `BY_SEARCH_OR_NEW`: search by `searchCriteria`, add to the one hit or create. */
export type CaseMode = "NEW" | "BY_ID" | "BY_SEARCH_OR_NEW";
export const caseModeValues = ["NEW", "BY_ID", "BY_SEARCH_OR_NEW"] as const;

/** A message a consumer could not handle, with why. Written by the shared consumer runner to its service's dead-letter topic; the original bytes are kept so the message can be inspected and replayed. */
export interface DeadLetter {
  /** Topic the message was consumed from. */
  readonly originalTopic: string;
  /** Its partition. */
  readonly originalPartition: number;
  /** Its offset. */
  readonly originalOffset: number;
  /** The consumer group that gave up on it, e.g. `flyt.validation`. */
  readonly consumerGroup: string;
  /** The message key, as sent. */
  readonly key: Buffer | null;
  /** The message value, as sent (Confluent wire format for Avro values). */
  readonly value: Buffer | null;
  /** The message headers, as UTF-8 text. */
  readonly headers: Record<string, string>;
  /** Why the runner gave up. */
  readonly reason: DeadLetterReason;
  /** Class of the last error, e.g. `ArchiveUnavailableError`. */
  readonly errorName: string;
  /** Message of the last error. */
  readonly errorMessage: string;
  /** Handler attempts made, 0 when the value could not be decoded. */
  readonly attempts: number;
  /** When the first attempt failed. */
  readonly firstFailedAt: Date;
  /** When the runner gave up. */
  readonly deadLetteredAt: Date;
}

/** `UNDECODABLE`: the value could not be decoded through the registry; `PERMANENT_ERROR`: the handler said retrying cannot help; `RETRIES_EXHAUSTED`: a retriable error outlasted the retry policy. */
export type DeadLetterReason = "UNDECODABLE" | "PERMANENT_ERROR" | "RETRIES_EXHAUSTED";
export const deadLetterReasonValues = ["UNDECODABLE", "PERMANENT_ERROR", "RETRIES_EXHAUSTED"] as const;

/** Someone (an operator through the admin API, the platform team through the admin CLI) asked for a connection check of an archive destination: the archive adapter serving its archive system reaches the archive, authenticates, reads its code lists and looks up every code the destination's integrations are configured with, and records the report in the registry. Keyed by the destination id. */
export interface DestinationCheckRequested {
  /** Identity and tracing of this event. */
  readonly meta: EventMeta;
  /** The check's id, answered to the one who asked: the report is recorded under it. */
  readonly checkId: string;
  /** The county (tenant) whose destination it is. */
  readonly tenant: string;
  /** The destination to check; the adapter deployment serving its driver runs the check. */
  readonly destination: ArchiveDestination;
  /** Who asked: an admin client's id or a person's user id. */
  readonly requestedBy: string;
}

/** A document of a journal post (Noark 5 dokumentbeskrivelse) with its file. */
export interface Dokument {
  /** Title of the document. */
  readonly tittel: string;
  /** The document's role in the journal post. */
  readonly tilknyttetRegistreringSom: TilknyttetRegistreringSom;
  /** The stored file. */
  readonly file: FileReference;
}

/** Identity and tracing of this event. */
export interface EventMeta {
  /** Unique id of this event; consumers apply an event at most once by this id. */
  readonly eventId: string;
  /** When the producer observed what this event reports. */
  readonly occurredAt: Date;
  /** Ties together every event and log line caused by one source-system request. */
  readonly correlationId: string;
  /** The service that published this event, e.g. `gateway`. */
  readonly producer: string;
}

/** A document's file in Flyt's file store; the content itself never travels through Kafka. */
export interface FileReference {
  /** Id of the stored file. */
  readonly fileId: string;
  /** File name as the source system gave it (sanitised, UTF-8 preserved), e.g. `søknad_æøå.pdf`. */
  readonly filename: string;
  /** Declared media type, e.g. `application/pdf`. */
  readonly mimeType: string;
  /** Size of the stored content in bytes. */
  readonly sizeBytes: number;
  /** Lower-case hex SHA-256 of the stored content. */
  readonly sha256: string;
}

/** A registry entry in a case (Noark 5 journalpost). */
export interface Journalpost {
  /** Title of the journal post. */
  readonly tittel: string;
  /** Title for public registers, with screened words removed. */
  readonly offentligTittel: string | null;
  /** Kind of journal post. */
  readonly journalposttype: Journalposttype;
  /** Date of the document (a calendar date, no time of day). */
  readonly dokumentdato: string | null;
  /** Journal status code; from the integration's defaults when absent. */
  readonly journalstatus: string | null;
  /** Case officer for this journal post. */
  readonly saksbehandler: string | null;
  /** Administrative unit for this journal post. */
  readonly administrativEnhet: string | null;
  /** Registry unit. */
  readonly journalenhet: string | null;
  /** Screening of this journal post. */
  readonly skjerming: Skjerming | null;
  /** Senders and recipients. */
  readonly korrespondansepart: readonly Korrespondansepart[];
  /** Documents, with exactly one main document (`H`). */
  readonly dokumenter: readonly Dokument[];
}

/** `I` incoming, `U` outgoing, `N` internal followed up, `X` internal not followed up. */
export type Journalposttype = "I" | "U" | "N" | "X";
export const journalposttypeValues = ["I", "U", "N", "X"] as const;

/** A classification of the case (Noark 5 klassering). */
export interface Klassering {
  /** Classification system, e.g. `GBNR` (gårds- og bruksnummer), `FNR`, `ORGNR`. */
  readonly ordningsprinsipp: string;
  /** Value within that system, e.g. `12/4`. */
  readonly ordningsverdi: string;
  /** Human-readable description of the value. */
  readonly beskrivelse: string | null;
}

/** Sender or recipient of a journal post. */
export interface Korrespondansepart {
  /** Kind of correspondent, e.g. `avsender`, `mottaker`, `kopimottaker`. */
  readonly korrespondanseparttype: string;
  /** Name of the correspondent. */
  readonly navn: string;
  /** Norwegian organisation number, for an organisation. */
  readonly organisasjonsnummer: string | null;
  /** Postal address. */
  readonly postadresse: Adresse | null;
  /** E-mail address. */
  readonly epost: string | null;
}

/** A party to the case. */
export interface Part {
  /** Name of the party. */
  readonly navn: string;
  /** The party's role, e.g. `GRUNNEIER`. */
  readonly rolle: string | null;
  /** Norwegian organisation number, when the party is an organisation. */
  readonly organisasjonsnummer: string | null;
}

/** `ARCHIVED`: archived by hand; `CANCELLED`: not to be archived. */
export type Resolution = "ARCHIVED" | "CANCELLED";
export const resolutionValues = ["ARCHIVED", "CANCELLED"] as const;

/** Screening of content from public access. */
export interface Skjerming {
  /** Access restriction code, e.g. `13`. */
  readonly tilgangsrestriksjon: string;
  /** Legal basis for the screening, e.g. `Offl. § 13`. */
  readonly skjermingshjemmel: string;
}

/** One step of the submission's history. */
export interface StatusChange {
  /** The status entered. */
  readonly status: SubmissionStatus;
  /** When it was entered. */
  readonly at: Date;
}

/** A submission reached a terminal status; the value is the final status resource. Published once per transition. Keyed by submission id. */
export interface SubmissionCompleted {
  /** Identity and tracing of this event. */
  readonly meta: EventMeta;
  /** The submission this event is about. */
  readonly submission: SubmissionRef;
  /** The terminal status: `ARCHIVED`, `REJECTED`, `FAILED` or `CANCELLED`. */
  readonly status: SubmissionStatus;
  /** Case number, when archived. */
  readonly caseNumber: string | null;
  /** Journal post numbers, when archived. */
  readonly journalPostNumbers: readonly string[];
  /** Why it was rejected or failed. */
  readonly errors: readonly ValidationError[];
  /** Every status the submission went through, oldest first. */
  readonly history: readonly StatusChange[];
  /** Version of the integration configuration that handled it. */
  readonly configurationVersion: number | null;
  /** When the submission was received. */
  readonly createdAt: Date;
  /** When it reached this status. */
  readonly updatedAt: Date;
}

/** A new case (with or without journal posts), or journal posts added to an existing case. */
export type SubmissionKind = "CASE" | "JOURNAL_POSTS";
export const submissionKindValues = ["CASE", "JOURNAL_POSTS"] as const;

/** A source system's submission, accepted by the gateway (202) and durably stored. Keyed by case key. */
export interface SubmissionReceived {
  /** Identity and tracing of this event. */
  readonly meta: EventMeta;
  /** The submission this event is about. */
  readonly submission: SubmissionRef;
  /** For journal posts: the archive case number (`2026/123`) or the id of an earlier case submission of the same tenant. */
  readonly caseRef: string | null;
  /** The case, for a case submission. */
  readonly case: Arkivsak | null;
  /** Journal posts: with a case, archived with it as one unit; without, added to `caseRef`. */
  readonly journalPosts: readonly Journalpost[];
  /** When the gateway accepted the submission. */
  readonly receivedAt: Date;
}

/** Which submission this event is about, and whose it is. */
export interface SubmissionRef {
  /** Flyt's submission id, e.g. `sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9C`. */
  readonly id: string;
  /** The county (tenant) that owns the submission, e.g. `vestland`. */
  readonly tenant: string;
  /** The source application that sent it, e.g. `egrunnerverv`. */
  readonly sourceApplication: string;
  /** The integration of that source application that handles it. */
  readonly integrationId: string;
  /** The source system's own id for the submission, unique per integration. */
  readonly sourceInstanceId: string;
  /** What was submitted. */
  readonly kind: SubmissionKind;
  /** Which run of the submission this is about: 1, and one more for each operator retry. Events of an earlier run never change a later run's status. */
  readonly run: number;
}

/** A submission that cannot be archived as sent: resubmitting the same will fail again. Keyed by case key. */
export interface SubmissionRejected {
  /** Identity and tracing of this event. */
  readonly meta: EventMeta;
  /** The submission this event is about. */
  readonly submission: SubmissionRef;
  /** Version of the integration configuration that rejected it, when one applied. */
  readonly configurationVersion: number | null;
  /** Every problem found, at once. */
  readonly errors: readonly ValidationError[];
}

/** An operator ended a failed or rejected submission by hand: archived (done in the archive by hand, with its case number) or cancelled. Keyed by case key. */
export interface SubmissionResolved {
  /** Identity and tracing of this event. */
  readonly meta: EventMeta;
  /** The submission this event is about. */
  readonly submission: SubmissionRef;
  /** The status the operator set. */
  readonly status: Resolution;
  /** The case number, when archived by hand. */
  readonly caseNumber: string | null;
  /** Journal post numbers, when archived by hand. */
  readonly journalPostNumbers: readonly string[];
  /** Who resolved it: the operator's user or client id. */
  readonly resolvedBy: string;
  /** Why, in the operator's words. */
  readonly reason: string | null;
}

/** Status of a submission, as the source-system API reports it. */
export type SubmissionStatus = "RECEIVED" | "VALIDATED" | "WAITING_FOR_CASE" | "ARCHIVING" | "ARCHIVED" | "REJECTED" | "FAILED" | "CANCELLED";
export const submissionStatusValues = ["RECEIVED", "VALIDATED", "WAITING_FOR_CASE", "ARCHIVING", "ARCHIVED", "REJECTED", "FAILED", "CANCELLED"] as const;

/** A submission that passed validation, normalised for its archive: defaults applied, codes converted. Keyed by case key. */
export interface SubmissionValidated {
  /** Identity and tracing of this event. */
  readonly meta: EventMeta;
  /** The submission this event is about. */
  readonly submission: SubmissionRef;
  /** Version of the integration configuration that validated it. */
  readonly configurationVersion: number;
  /** The archive it goes to. */
  readonly destination: ArchiveDestination;
  /** How the case is found or created. */
  readonly caseMode: CaseMode;
  /** For `BY_ID`: the case number or the case submission's id. */
  readonly caseRef: string | null;
  /** For `BY_SEARCH_OR_NEW`: archive fields and the values a matching case must have. */
  readonly searchCriteria: Record<string, string>;
  /** Which existing cases a search may find and journal posts may go to; before this field existed, only the source application's own. */
  readonly caseAccess: CaseAccess;
  /** The case, with defaults applied. */
  readonly case: Arkivsak | null;
  /** The journal posts, with defaults applied, in submission order. */
  readonly journalPosts: readonly Journalpost[];
}

/** `H`: main document (exactly one per journal post); `V`: attachment. */
export type TilknyttetRegistreringSom = "H" | "V";
export const tilknyttetRegistreringSomValues = ["H", "V"] as const;

/** One problem with a submission. */
export interface ValidationError {
  /** Stable identifier a source system can switch on, e.g. `missing-required-field`. */
  readonly code: string;
  /** JSON pointer into the submitted payload, e.g. `/case/arkivdel`. */
  readonly pointer: string;
  /** Explanation in plain English. */
  readonly detail: string;
}
