/** Where a message's retry wait belongs: its admission group (the archive it goes to, say) and its key. */
export interface WaitingMessage {
  readonly group: string | undefined;
  readonly key: string | null;
  /** When the attempt it waits after failed: a wake-up since then finds it awake. */
  readonly failedAt: number;
}

interface Sleeper {
  readonly message: WaitingMessage;
  readonly wake: () => void;
}

/** Wake-ups by key are remembered this long, for a message whose wait begins just after its wake-up. */
const KEY_MEMORY_MS = 60_000;

/**
 * Cuts retry waits short. A service that learns a message's failure is over — the archive it waits for is
 * back, the case it waits for is archived — wakes it now instead of letting it sit out its backoff. An
 * optimisation only: a wake-up that goes astray (another instance holds the message, the process restarted)
 * leaves the backoff as it was, and a woken message that fails again waits again.
 */
export class RetryWakeups {
  readonly #sleepers = new Set<Sleeper>();
  readonly #groupWokenAt = new Map<string, number>();
  readonly #keyWokenAt = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Wakes every message of the group waiting to be retried (in the order they began waiting). */
  wakeGroup(group: string): void {
    this.#groupWokenAt.set(group, this.#now());
    for (const sleeper of [...this.#sleepers]) {
      if (sleeper.message.group === group) sleeper.wake();
    }
  }

  /** Wakes the messages with this key waiting to be retried. */
  wakeKey(key: string): void {
    const now = this.#now();
    for (const [known, at] of this.#keyWokenAt) {
      if (now - at > KEY_MEMORY_MS) this.#keyWokenAt.delete(known);
    }
    this.#keyWokenAt.set(key, now);
    for (const sleeper of [...this.#sleepers]) {
      if (sleeper.message.key === key) sleeper.wake();
    }
  }

  /**
   * Waits `ms` for a message, or less when it is woken: true then, or when the time is up; false when `signal`
   * aborts first. A message woken since its attempt failed does not wait at all.
   */
  wait(ms: number, message: WaitingMessage, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (ms <= 0 || this.#wokenSince(message)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (awake: boolean) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        this.#sleepers.delete(sleeper);
        resolve(awake);
      };
      const onAbort = () => done(false);
      const sleeper: Sleeper = { message, wake: () => done(true) };
      const timer = setTimeout(() => done(true), ms);
      signal.addEventListener("abort", onAbort, { once: true });
      this.#sleepers.add(sleeper);
    });
  }

  #wokenSince({ group, key, failedAt }: WaitingMessage): boolean {
    const groupWoken = group === undefined ? undefined : this.#groupWokenAt.get(group);
    const keyWoken = key === null ? undefined : this.#keyWokenAt.get(key);
    return (groupWoken ?? -Infinity) >= failedAt || (keyWoken ?? -Infinity) >= failedAt;
  }
}
