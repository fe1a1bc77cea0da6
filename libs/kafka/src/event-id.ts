import { createHash } from "node:crypto";

/** A UUID derived from `seed` (SHA-256), shaped as an RFC 9562 version 8 (custom) UUID: the same seed, the same id. */
export function uuidV8(seed: string): string {
  const hash = createHash("sha256").update(seed).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x80;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The id of the event a consumer publishes in answer to another: the same every time the answer is published
 * again (delivery is at least once), so downstream consumers that apply an event once by id see one event.
 */
export function answerEventId(causeEventId: string, answer: string): string {
  return uuidV8(`${causeEventId}\u0000${answer}`);
}
