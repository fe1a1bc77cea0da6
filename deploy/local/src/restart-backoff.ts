/** How long to wait before restarting a process that died: doubling from `initialMs` up to `maxMs`. */
export interface RestartBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
  /** A process that stayed up this long before dying is restarted after `initialMs` again. */
  readonly stableMs: number;
}

export const SERVICE_RESTART_BACKOFF: RestartBackoff = { initialMs: 1_000, maxMs: 30_000, stableMs: 60_000 };

/**
 * The delay before the next restart, given the delay before the previous one (none yet: undefined) and how long
 * the process stayed up since: a process that keeps dying is restarted ever more slowly, one that ran well for a
 * while is taken for recovered.
 */
export function nextRestartDelay(
  backoff: RestartBackoff,
  previousDelayMs: number | undefined,
  upForMs: number,
): number {
  if (previousDelayMs === undefined || upForMs >= backoff.stableMs) return backoff.initialMs;
  return Math.min(backoff.maxMs, previousDelayMs * 2);
}
