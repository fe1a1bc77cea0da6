/** The most a failure reason holds, in characters: enough for an archive's validation text, not for its pages. */
export const FAILURE_REASON_MAX_LENGTH = 500;

/** A fully qualified Java class name and its colon: lower-case package segments, then the class (`$` nested). */
const JAVA_CLASS_PREFIX = /^(?:[a-z_][\w$]*\.)+[A-Z][\w$]*: (?=\S)/;

/**
 * A failure as a source system is told it (archive.failed's message, which reaches its status and callback): the
 * first line that says something, within a bound. An archive's error body can be a page of HTML or a Java stack
 * trace, and an error's own text can carry one: neither is the source system's to read, and the archivist has the
 * archive's logs for the rest. So is a Java exception's class name before its message
 * (`java.lang.IllegalArgumentException: …`, as FINT's adapters and Spring answer): only the message is kept.
 */
export function failureReason(text: string): string {
  const line =
    text
      .split(/\r\n|\r|\n/)
      .map((candidate) => candidate.trim())
      .find((candidate) => candidate.length > 0) ?? "";
  let reason = line.replace(/\s+/g, " ");
  // Wrapped exceptions name each class in turn: `java.lang.RuntimeException: java.io.IOException: …`.
  for (let prefix = JAVA_CLASS_PREFIX.exec(reason); prefix; prefix = JAVA_CLASS_PREFIX.exec(reason)) {
    reason = reason.slice(prefix[0].length);
  }
  if (reason.length === 0) return "the archive gave no reason";
  return reason.length <= FAILURE_REASON_MAX_LENGTH
    ? reason
    : `${reason.slice(0, FAILURE_REASON_MAX_LENGTH - 1)}…`;
}
