import { PermanentError, TransientError } from "@flyt/errors";
import type { ArchiveCompleted, SubmissionValidated } from "@flyt/schemas";
import { CASE_NUMBER } from "@flyt/schemas";
import type {
  ArchiveDriver,
  ArchivedCase,
  EarlierWrite,
  FinishedWrite,
  SentWrite,
} from "../drivers/archive-driver";
import { ArchiveRefusedError } from "../drivers/archive-errors";
import type { Progress } from "./progress";

export interface ArchivingDependencies {
  /** When a write is sent, as recorded with it. */
  readonly now: () => Date;
  /** Called once it is known where the submission goes, before its first write (it no longer waits for a case). */
  readonly archiving: () => Promise<void>;
  readonly driver: ArchiveDriver;
  /** Saves progress after each archive write. */
  readonly save: (progress: Progress) => Promise<void>;
  /** A stored file's content (the file store: only the submission's source application's own files). */
  readonly fileContent: (
    owner: { readonly tenantId: string; readonly sourceApplicationId: string },
    fileId: string,
  ) => Promise<Buffer>;
  /** Search-or-new claims (see the store): one submission searches or creates per destination and criteria. */
  readonly searches: {
    claim(
      destinationId: string,
      criteria: string,
      submissionId: string,
    ): Promise<{ holder: string; case?: ArchivedCase }>;
    /** Records the case a claim's holder settled on (nothing when `submissionId` does not hold it, or it is settled). */
    settle(
      destinationId: string,
      criteria: string,
      submissionId: string,
      archivedCase: ArchivedCase,
    ): Promise<void>;
  };
  /** What became of an earlier case submission of the same source application and destination. */
  readonly caseOfSubmission: (owner: CaseOwner, submissionId: string) => Promise<CaseOfSubmission>;
  /** Which cases the submission's source application created or was filed into through Flyt. */
  readonly ownCases: {
    /** Whether the case with this number is one of them. */
    hasCaseNumber(owner: CaseOwner, caseNumber: string): Promise<boolean>;
    /** Those among these case numbers. */
    among(owner: CaseOwner, caseNumbers: readonly string[]): Promise<ReadonlySet<string>>;
  };
  /**
   * What the ledger records as written by other submissions in the same archive: cases they created, journal
   * posts they added. A driver that recognises its earlier writes by content never takes one of these.
   */
  readonly writtenByOthers: {
    cases(
      owner: CaseOwner,
      submissionId: string,
      caseNumbers: readonly string[],
    ): Promise<ReadonlySet<string>>;
    journalPosts(
      owner: CaseOwner,
      submissionId: string,
      caseNumber: string,
      numbers: readonly string[],
    ): Promise<ReadonlySet<string>>;
  };
}

/**
 * A case submission's case, archived in full; "waiting" until it is, `failed` (with its outcome) when it never will
 * be; or the case number an operator resolved it with (archived by other means).
 */
export type CaseOfSubmission =
  | ArchivedCase
  | "waiting"
  | { readonly failed: CaseFailure }
  | { readonly resolvedAs: string };

/** How a case submission failed, as it was published. */
export interface CaseFailure {
  readonly code: string;
  readonly message: string;
  readonly retriable: boolean;
}

/** Whose cases: a source application's, in one county's archive destination. */
export interface CaseOwner {
  readonly tenantId: string;
  readonly sourceApplicationId: string;
  readonly destinationId: string;
}

/**
 * Journal posts to a case submission whose case does not exist yet: they wait for it (WAITING_FOR_CASE), for as
 * long as `caseSubmissionId` (the case submission, or the submission finding or creating a search-or-new case) is
 * being archived.
 */
export class WaitingForCaseError extends TransientError {
  constructor(
    message: string,
    readonly caseSubmissionId: string,
  ) {
    super(message);
  }
}

/** Search-or-new found several cases: which one is meant is for an archivist to say. */
export class SeveralCasesFoundError extends PermanentError {}

/**
 * A case number (`BY_ID`) the archive does not have, or one the submission may not reach: the same error, so a
 * source system cannot tell another source application's case from no case at all.
 */
export class UnknownCaseError extends PermanentError {
  constructor(caseNumber: string) {
    super(`there is no case ${caseNumber} that this integration may add journal posts to`);
  }
}

/**
 * Journal posts to a case submission that failed: there is no case to add them to. They fail with its reason, and
 * are worth an operator's retry when it is (once the case submission is archived).
 */
export class CaseNotArchivedError extends PermanentError {
  constructor(
    caseSubmissionId: string,
    readonly caseFailure: CaseFailure,
  ) {
    super(
      `case submission ${caseSubmissionId} failed (${caseFailure.code}: ${caseFailure.message}): no case to add to`,
    );
  }
}

/**
 * Archives one validated submission, resuming from its progress: finds or creates the case, uploads the files,
 * adds the journal posts in order, saving after each write. A write the archive took and completes later is
 * followed to its end rather than sent again, and one whose answer was lost (timeout, crash) is looked for by
 * its external id (or, in an archive that keeps none, as it was recorded before it was sent) before it is
 * tried again, so a retry never creates a case or a journal post twice. Throws the driver's errors (and those
 * above) for the caller to classify.
 */
export async function archiveSubmission(
  request: SubmissionValidated,
  progress: Progress,
  deps: ArchivingDependencies,
): Promise<Omit<ArchiveCompleted, "meta" | "attempts">> {
  if (progress.case) await deps.archiving();
  const archivedCase = progress.case ?? (await resolveCase(request, progress, deps));
  if (!progress.case) {
    progress.case = archivedCase;
    await deps.save(progress);
  }
  // Also on a resumed run: a holder that stopped between saving its case and settling settles now.
  if (request.caseMode === "BY_SEARCH_OR_NEW") {
    await deps.searches.settle(
      request.destination.id,
      searchClaimKey(request),
      request.submission.id,
      archivedCase,
    );
  }

  for (const post of request.journalPosts) {
    for (const { file } of post.dokumenter) {
      if (progress.files[file.fileId]) continue;
      const content = await deps.fileContent(ownerOf(request), file.fileId);
      if (content.length !== file.sizeBytes) {
        throw new PermanentError(`file ${file.fileId} is not in the file store as it was received`);
      }
      // A file uploaded twice (the answer lost) is an unused copy in the archive, not a second record.
      progress.files[file.fileId] = await deps.driver.uploadFile(file, content);
      await deps.save(progress);
    }
  }

  const files = new Map(Object.entries(progress.files));
  for (const [index, post] of request.journalPosts.entries()) {
    if (progress.journalPosts[index]) continue;
    const externalId = `${request.submission.id}/${index}`;
    const key = `journalPost/${index}`;
    const attempted = progress.journalPostsAttempted.includes(index);
    const earlier = async () => ({
      post,
      ...(await earlierWrite(progress, key, attempted, deps)),
      writtenByOthers: async (numbers: readonly string[]) => {
        const others = await deps.writtenByOthers.journalPosts(
          ownerOf(request),
          request.submission.id,
          archivedCase.caseNumber,
          numbers,
        );
        // Nor is it one of this submission's other journal posts, however alike they are.
        const ours = new Set(
          progress.journalPosts.flatMap((done, i) => (done && i !== index ? [done.number] : [])),
        );
        return new Set([...others, ...numbers.filter((number) => ours.has(number))]);
      },
    });
    const pending = progress.pendingWrites[key];
    const finished =
      pending && deps.driver.finishJournalPost
        ? await madeBy(
            progress,
            key,
            await deps.driver.finishJournalPost(archivedCase, pending, externalId, await earlier()),
            deps,
          )
        : undefined;
    const found =
      finished ??
      (mayHaveWritten(progress, attempted)
        ? await deps.driver.journalPostByExternalId(archivedCase, externalId, await earlier())
        : undefined);
    if (!found) {
      progress.journalPostsAttempted = [...new Set([...progress.journalPostsAttempted, index])];
      forgetPending(progress, key);
      recordAttempt(progress, key, deps.now());
      await deps.save(progress);
    }
    progress.journalPosts[index] =
      found ??
      (await deps.driver
        .addJournalPost(
          archivedCase,
          post,
          files,
          externalId,
          (statusUrl) => remember(progress, key, statusUrl, deps),
          (marker) => recordSent(progress, key, marker, deps),
        )
        .catch((error: unknown) =>
          unlessMadeAnyway(error, progress, key, deps, async () =>
            deps.driver.journalPostByExternalId(archivedCase, externalId, await earlier()),
          ),
        ));
    forgetPending(progress, key);
    forgetSent(progress, key);
    await deps.save(progress);
  }

  return {
    submission: request.submission,
    destination: request.destination,
    caseNumber: archivedCase.caseNumber,
    archiveCaseId: archivedCase.systemId,
    caseCreated: progress.caseCreated,
    journalPostNumbers: progress.journalPosts.map((post) => post?.number ?? ""),
  };
}

async function resolveCase(
  request: SubmissionValidated,
  progress: Progress,
  deps: ArchivingDependencies,
): Promise<ArchivedCase> {
  const { submission } = request;
  const owner = ownerOf(request);
  switch (request.caseMode) {
    case "BY_ID": {
      const caseRef = request.caseRef ?? "";
      if (CASE_NUMBER.test(caseRef)) {
        const found = await caseWithinReach(request, caseRef, deps);
        await deps.archiving();
        return found;
      }
      const found = await deps.caseOfSubmission(owner, caseRef);
      if (found === "waiting")
        throw new WaitingForCaseError(`case submission ${caseRef} is not archived yet`, caseRef);
      if ("failed" in found) throw new CaseNotArchivedError(caseRef, found.failed);
      if ("resolvedAs" in found) {
        const resolved = await deps.driver.caseByNumber(found.resolvedAs);
        if (!resolved) throw new UnknownCaseError(found.resolvedAs);
        await deps.archiving();
        return resolved;
      }
      await deps.archiving();
      return found;
    }
    case "BY_SEARCH_OR_NEW": {
      const criteria = searchClaimKey(request);
      const claim = await deps.searches.claim(request.destination.id, criteria, submission.id);
      // While the first submission with these criteria has not found or created its case, the others wait:
      // searching now, they would all find nothing and each create one. Afterwards they search as usual.
      const holder = claim.holder === submission.id;
      if (!holder && !claim.case) {
        throw new WaitingForCaseError(
          "another submission with these search criteria is finding or creating the case",
          claim.holder,
        );
      }
      await deps.archiving();
      // The holder settles its claim once its case is saved with its progress (below): a waiter let through by
      // the settled claim then finds the case among its source application's own.
      return searchOrCreate(request, progress, deps);
    }
    case "NEW":
      await deps.archiving();
      return createCase(request, progress, deps);
  }
}

const ownerOf = (request: SubmissionValidated): CaseOwner => ({
  tenantId: request.submission.tenant,
  sourceApplicationId: request.submission.sourceApplication,
  destinationId: request.destination.id,
});

/**
 * The case a case number names, if the submission may reach it (its integration's case access), checked before
 * anything is written; otherwise, and when there is no such case, the same UnknownCaseError.
 */
async function caseWithinReach(
  request: SubmissionValidated,
  caseNumber: string,
  deps: ArchivingDependencies,
): Promise<ArchivedCase> {
  const { caseAccess } = request;
  if (
    caseAccess.scope === "OWN_CASES" &&
    !(await deps.ownCases.hasCaseNumber(ownerOf(request), caseNumber))
  ) {
    throw new UnknownCaseError(caseNumber);
  }
  const found = await deps.driver.caseByNumber(caseNumber);
  if (!found) throw new UnknownCaseError(caseNumber);
  if (caseAccess.scope === "ARCHIVE_SECTIONS") {
    const section = found.arkivdel ?? (await deps.driver.arkivdelOf?.(found));
    // A case whose section the archive does not tell is out of reach: when in doubt, never write.
    const within =
      section !== undefined &&
      (await inSections(deps, { ...found, arkivdel: section }, caseAccess.arkivdeler));
    if (!within) throw new UnknownCaseError(caseNumber);
  }
  return found;
}

/**
 * The search hits the submission may be filed into: its source application's own cases, or those in the archive
 * sections its integration may reach. Hits outside are as if the archive had not answered them.
 */
async function hitsWithinReach(
  request: SubmissionValidated,
  hits: readonly ArchivedCase[],
  deps: ArchivingDependencies,
): Promise<ArchivedCase[]> {
  const { caseAccess } = request;
  if (caseAccess.scope === "ARCHIVE_SECTIONS") {
    // The search was fenced by its arkivdel criterion (validation requires one it may reach); a hit that names
    // another section is dropped.
    const fence = request.searchCriteria.arkivdel;
    const within = await Promise.all(
      hits.map((hit) =>
        hit.arkivdel === undefined
          ? caseAccess.arkivdeler.includes(fence ?? "")
          : inSections(deps, { ...hit, arkivdel: hit.arkivdel }, caseAccess.arkivdeler),
      ),
    );
    return hits.filter((_hit, index) => within[index]);
  }
  if (hits.length === 0) return [];
  const own = await deps.ownCases.among(
    ownerOf(request),
    hits.map((hit) => hit.caseNumber),
  );
  return hits.filter((hit) => own.has(hit.caseNumber));
}

/** Whether a case is in one of these sections, as its driver tells them apart. */
function inSections(
  deps: ArchivingDependencies,
  archivedCase: ArchivedCase & { readonly arkivdel: string },
  sections: readonly string[],
): Promise<boolean> | boolean {
  return deps.driver.inSections
    ? deps.driver.inSections(archivedCase, sections)
    : sections.includes(archivedCase.arkivdel);
}

/**
 * What one search-or-new claim covers: the criteria within what the submission may reach, so submissions that
 * cannot see each other's cases (another source application's own cases, another county) never wait on or share a
 * case through a claim.
 */
function searchClaimKey(request: SubmissionValidated): string {
  const { tenant, sourceApplication } = request.submission;
  // Integrations reaching whole sections share claims per county: the criteria hold the arkivdel searched.
  const reach =
    request.caseAccess.scope === "OWN_CASES" ? ["own", tenant, sourceApplication] : ["sections", tenant];
  const criteria = Object.entries(request.searchCriteria).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([reach, ...criteria]);
}

async function searchOrCreate(
  request: SubmissionValidated,
  progress: Progress,
  deps: ArchivingDependencies,
): Promise<ArchivedCase> {
  const pending = await finishPendingCase(progress, deps);
  if (pending) return created(progress, pending);
  // A case this submission created earlier (answer lost) would be among the hits: look it up first.
  const own = mayHaveWritten(progress, progress.caseCreateAttempted)
    ? await lookUpCreated(request, progress, deps)
    : undefined;
  if (own) return created(progress, own);
  const hits = await hitsWithinReach(request, await deps.driver.searchCases(request.searchCriteria), deps);
  if (hits.length > 1) {
    // Numbers only: what a source system is told about the archive never includes titles or other content.
    throw new SeveralCasesFoundError(
      `${hits.length} cases match the search criteria: ${hits.map((hit) => hit.caseNumber).join(", ")}`,
    );
  }
  return hits[0] ?? createCase(request, progress, deps);
}

async function createCase(
  request: SubmissionValidated,
  progress: Progress,
  deps: ArchivingDependencies,
): Promise<ArchivedCase> {
  const externalId = request.submission.id;
  const pending = await finishPendingCase(progress, deps);
  if (pending) return created(progress, pending);
  if (mayHaveWritten(progress, progress.caseCreateAttempted)) {
    const existing = await lookUpCreated(request, progress, deps);
    if (existing) return created(progress, existing);
  }
  if (!request.case) throw new PermanentError("a new case needs the case's metadata");
  // Once sent, a create is looked for before every later one: even a failure that says nothing happened may
  // follow an earlier uncertain create that the archive has not made visible yet.
  progress.caseCreateAttempted = true;
  recordSending(progress, PENDING_CASE, deps.now());
  await deps.save(progress);
  const archivedCase = await deps.driver
    .createCase(request.case, externalId, (statusUrl) => remember(progress, PENDING_CASE, statusUrl, deps))
    .catch((error: unknown) =>
      unlessMadeAnyway(error, progress, PENDING_CASE, deps, () => lookUpCreated(request, progress, deps)),
    );
  return created(progress, archivedCase);
}

/**
 * Whether a write may have been sent already: when this progress says so, and on any later run, since a run that
 * went to another archive in between left this archive's progress behind (what it wrote here is still here).
 */
const mayHaveWritten = (progress: Progress, attempted: boolean) => attempted || progress.run > 1;

const PENDING_CASE = "case";

/** The case this submission created earlier (its answer lost), looked up by its external id or as it was sent. */
async function lookUpCreated(request: SubmissionValidated, progress: Progress, deps: ArchivingDependencies) {
  const earlier = request.case
    ? {
        arkivsak: request.case,
        ...(await earlierWrite(progress, PENDING_CASE, progress.caseCreateAttempted, deps)),
        writtenByOthers: (numbers: readonly string[]) =>
          deps.writtenByOthers.cases(ownerOf(request), request.submission.id, numbers),
      }
    : undefined;
  return deps.driver.caseByExternalId(request.submission.id, earlier);
}

/**
 * A case create the archive took earlier and may still be working on (its answer never came): followed to its
 * end, never sent again meanwhile. Undefined when there was none, or it made nothing known (then the lookup
 * tells whether an earlier send did).
 */
async function finishPendingCase(progress: Progress, deps: ArchivingDependencies) {
  const statusUrl = progress.pendingWrites[PENDING_CASE];
  if (!statusUrl || !deps.driver.finishCaseCreate) return undefined;
  return madeBy(progress, PENDING_CASE, await deps.driver.finishCaseCreate(statusUrl), deps);
}

/**
 * What a write followed to its end made, if anything. Its status URL is done with either way. A write the archive
 * answered as failed may have been made all the same (an adapter can fail after the archive wrote), so its send
 * stays recorded and it is looked for before it is sent again; only the wait for it is over.
 */
async function madeBy<T>(
  progress: Progress,
  key: string,
  finished: FinishedWrite<T>,
  deps: ArchivingDependencies,
): Promise<T | undefined> {
  if (finished !== "failed" && finished !== "unknown") return finished;
  forgetPending(progress, key);
  const sent = progress.sentWrites[key] ?? legacySend(progress, deps.now());
  progress.sentWrites = {
    ...progress.sentWrites,
    [key]: finished === "failed" ? { ...sent, answeredFailed: true } : sent,
  };
  await deps.save(progress);
  return undefined;
}

/**
 * A write the archive refused after it had taken it may have been made all the same: it is looked for first
 * (nothing of it is on its way any more, so not waited for), and the refusal stands only when it is not there.
 */
async function unlessMadeAnyway<T>(
  error: unknown,
  progress: Progress,
  key: string,
  deps: ArchivingDependencies,
  lookUp: () => Promise<T | undefined>,
): Promise<T> {
  if (!(error instanceof ArchiveRefusedError) || !error.afterAccepted) throw error;
  forgetPending(progress, key);
  const sent = progress.sentWrites[key];
  if (sent) progress.sentWrites = { ...progress.sentWrites, [key]: { ...sent, answeredFailed: true } };
  await deps.save(progress);
  const made = await lookUp();
  if (made === undefined) throw error;
  return made;
}

/** Saves where to follow a write the archive took, before waiting for it: a crash or timeout then resumes it. */
async function remember(progress: Progress, key: string, statusUrl: string, deps: ArchivingDependencies) {
  progress.pendingWrites = { ...progress.pendingWrites, [key]: statusUrl };
  await deps.save(progress);
}

/** Records that a write is about to be sent (saved with the attempt, before it goes out). */
function recordSending(progress: Progress, key: string, now: Date) {
  const previous = progress.sentWrites[key];
  const { answeredFailed: _answered, ...earlier } = previous ?? { firstSentAt: now, sends: 0 };
  progress.sentWrites = {
    ...progress.sentWrites,
    [key]: { ...earlier, lastSentAt: now, sends: earlier.sends + 1 },
  };
}

/**
 * A send made by an adapter from before sends were recorded (a rolling deploy): it went out no earlier than the
 * submission's first run started (in any run since) and may have gone out as late as now.
 */
const legacySend = (progress: Progress, now: Date): SentWrite => ({
  firstSentAt: progress.firstRunAt,
  lastSentAt: now,
  sends: 1,
});

/**
 * Records that a journal post's add is under way, before the driver is called; nothing of it has gone out yet
 * (`sends: 0`) until the driver says it is sending (`recordSent`). So a record without a send is an attempt that
 * failed before its request (a transient read), and nothing is looked for as sent.
 */
function recordAttempt(progress: Progress, key: string, now: Date) {
  if (progress.sentWrites[key]) return;
  progress.sentWrites = { ...progress.sentWrites, [key]: { firstSentAt: now, lastSentAt: now, sends: 0 } };
}

/**
 * Records a send just before it goes out, as the driver says (`WriteSending`), with its marker; saved before it
 * is sent. The first marker is kept: it bounds every send of the write, the earliest included.
 */
async function recordSent(progress: Progress, key: string, marker: string, deps: ArchivingDependencies) {
  recordSending(progress, key, deps.now());
  const sent = progress.sentWrites[key];
  if (sent && sent.marker === undefined) {
    progress.sentWrites = { ...progress.sentWrites, [key]: { ...sent, marker } };
  }
  await deps.save(progress);
}

/**
 * The recorded send of a write that may have gone out, for the driver to recognise it by; none for an attempt
 * that never sent anything. A write attempted without any record (by an adapter from before they were recorded)
 * gets one now, saved, so that it is recognised from the first run on rather than from now.
 */
async function earlierWrite(
  progress: Progress,
  key: string,
  attempted: boolean,
  deps: ArchivingDependencies,
): Promise<Pick<EarlierWrite, "sent">> {
  const recorded = progress.sentWrites[key];
  if (recorded) return recorded.sends > 0 ? { sent: recorded } : {};
  if (!attempted && !(key in progress.pendingWrites)) return {};
  const sent = legacySend(progress, deps.now());
  progress.sentWrites = { ...progress.sentWrites, [key]: sent };
  await deps.save(progress);
  return { sent };
}

function forgetPending(progress: Progress, key: string) {
  if (!(key in progress.pendingWrites)) return;
  const { [key]: _done, ...rest } = progress.pendingWrites;
  progress.pendingWrites = rest;
}

function forgetSent(progress: Progress, key: string) {
  if (!(key in progress.sentWrites)) return;
  const { [key]: _done, ...rest } = progress.sentWrites;
  progress.sentWrites = rest;
}

function created(progress: Progress, archivedCase: ArchivedCase): ArchivedCase {
  progress.caseCreated = true;
  forgetPending(progress, PENDING_CASE);
  forgetSent(progress, PENDING_CASE);
  return archivedCase;
}
