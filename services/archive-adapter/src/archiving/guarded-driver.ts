import type { Semaphore } from "@flyt/kafka";
import type { ArchiveDriver, ArchivedCase } from "../drivers/archive-driver";
import type { CodeToCheck } from "../drivers/destination-check";
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
  const { arkivdelOf, check, finishCaseCreate, finishJournalPost } = driver;
  return {
    caseByExternalId: guard((externalId) => driver.caseByExternalId(externalId)),
    caseByNumber: guard((caseNumber) => driver.caseByNumber(caseNumber)),
    ...(arkivdelOf
      ? { arkivdelOf: guard((archivedCase: ArchivedCase) => arkivdelOf.call(driver, archivedCase)) }
      : {}),
    // A connection check asks exactly whether the archive answers: not held back by an open circuit.
    ...(check
      ? { check: (codes: readonly CodeToCheck[]) => limit.run(() => check.call(driver, codes)) }
      : {}),
    searchCases: guard((criteria) => driver.searchCases(criteria)),
    createCase: guard((arkivsak, externalId, accepted) => driver.createCase(arkivsak, externalId, accepted)),
    uploadFile: guard((file, content) => driver.uploadFile(file, content)),
    journalPostByExternalId: guard((archivedCase, externalId) =>
      driver.journalPostByExternalId(archivedCase, externalId),
    ),
    addJournalPost: guard((archivedCase, post, files, externalId, accepted) =>
      driver.addJournalPost(archivedCase, post, files, externalId, accepted),
    ),
    ...(finishCaseCreate
      ? { finishCaseCreate: guard((statusUrl: string) => finishCaseCreate.call(driver, statusUrl)) }
      : {}),
    ...(finishJournalPost
      ? {
          finishJournalPost: guard((archivedCase: ArchivedCase, statusUrl: string, externalId: string) =>
            finishJournalPost.call(driver, archivedCase, statusUrl, externalId),
          ),
        }
      : {}),
  };
}
