/** The most a failure reason holds, in characters: enough for an archive's validation text, not for its pages. */
export const FAILURE_REASON_MAX_LENGTH = 500;

/**
 * A failure as a source system is told it (archive.failed's message, which reaches its status and callback): the
 * first line that says something, within a bound. An archive's error body can be a page of HTML or a Java stack
 * trace, and an error's own text can carry one: neither is the source system's to read, and the archivist has the
 * archive's logs for the rest.
 */
export function failureReason(text: string): string {
  const line =
    text
      .split(/\r\n|\r|\n/)
      .map((candidate) => candidate.trim())
      .find((candidate) => candidate.length > 0) ?? "";
  const reason = line.replace(/\s+/g, " ");
  if (reason.length === 0) return "the archive gave no reason";
  return reason.length <= FAILURE_REASON_MAX_LENGTH
    ? reason
    : `${reason.slice(0, FAILURE_REASON_MAX_LENGTH - 1)}…`;
}
