/**
 * How long an endpoint asked to be left alone, from its `Retry-After` header (RFC 9110 §10.2.3): delay-seconds
 * or an HTTP-date. Undefined when absent or unreadable; never negative.
 */
export function retryAfterMs(header: string | undefined, now: Date): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1_000;
  // An HTTP-date names its day and zone (`Wed, 21 Oct 2026 07:28:00 GMT`); anything else is not one.
  if (!/^[A-Za-z]{3},\s.*GMT$/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
