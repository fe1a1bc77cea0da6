import type { Semaphore } from "@flyt/kafka";
import type { ArchiveDriver, ArchivedCase } from "../drivers/archive-driver";
import type { CircuitBreaker } from "./circuit-breaker";

/**
 * A driver whose calls go through its archive's concurrency limit and circuit breaker: a slow or failing archive
 * uses up only its own slots, never another archive's.
 */
export function guardedDriver(
  driver: ArchiveDriver,
  limit: Semaphore,
  breaker: CircuitBreaker,
): ArchiveDriver {
  const guard =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A) =>
      limit.run(() => breaker.run(() => call(...args)));
  const { arkivdelOf, inSections, check, finishCaseCreate, finishJournalPost } = driver;
  return {
    caseByExternalId: guard((externalId, earlier) => driver.caseByExternalId(externalId, earlier)),
    caseByNumber: guard((caseNumber) => driver.caseByNumber(caseNumber)),
    ...(arkivdelOf
      ? { arkivdelOf: guard((archivedCase: ArchivedCase) => arkivdelOf.call(driver, archivedCase)) }
      : {}),
    ...(inSections
      ? {
          inSections: guard((archivedCase: Parameters<typeof inSections>[0], sections: readonly string[]) =>
            inSections.call(driver, archivedCase, sections),
          ),
        }
      : {}),
    searchCases: guard((criteria) => driver.searchCases(criteria)),
    createCase: guard((arkivsak, externalId, accepted) => driver.createCase(arkivsak, externalId, accepted)),
    uploadFile: guard((file, content) => driver.uploadFile(file, content)),
    journalPostByExternalId: guard((archivedCase, externalId, earlier) =>
      driver.journalPostByExternalId(archivedCase, externalId, earlier),
    ),
    addJournalPost: guard((archivedCase, post, files, externalId, accepted, sending) =>
      driver.addJournalPost(archivedCase, post, files, externalId, accepted, sending),
    ),
    // A connection check waits for a slot but not for the circuit: it is asked to tell how the archive is now.
    ...(check ? { check: (codes) => limit.run(() => check.call(driver, codes)) } : {}),
    ...(finishCaseCreate
      ? { finishCaseCreate: guard((statusUrl: string) => finishCaseCreate.call(driver, statusUrl)) }
      : {}),
    ...(finishJournalPost
      ? {
          finishJournalPost: guard(
            (
              archivedCase: ArchivedCase,
              statusUrl: string,
              externalId: string,
              earlier?: Parameters<typeof finishJournalPost>[3],
            ) => finishJournalPost.call(driver, archivedCase, statusUrl, externalId, earlier),
          ),
        }
      : {}),
  };
}
