import { Fifo } from "./fifo";

/**
 * Runs tasks one at a time per key, in the order they were enqueued, and different keys side by side.
 * How many tasks may do work at once is the caller's business (see Semaphore): a task that waits (a backoff)
 * should not hold a slot other keys could use.
 */
export class KeyedScheduler {
  readonly #chains = new Map<string, (() => Promise<void>)[]>();
  #running = 0;
  #idleWaiters: (() => void)[] = [];

  enqueue(key: string, task: () => Promise<void>): void {
    const chain = this.#chains.get(key);
    if (chain) {
      chain.push(task);
      return;
    }
    this.#chains.set(key, [task]);
    this.#running += 1;
    void this.#drain(key);
  }

  /** Keys with work queued or running. */
  get activeKeys(): number {
    return this.#chains.size;
  }

  /** Resolves when no task is queued or running. */
  idle(): Promise<void> {
    if (this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #drain(key: string): Promise<void> {
    const chain = this.#chains.get(key) as (() => Promise<void>)[];
    while (chain.length > 0) {
      const task = chain[0] as () => Promise<void>;
      // Tasks handle their own failures; one that still throws must not stop the key's later tasks.
      await task().catch(() => undefined);
      chain.shift();
    }
    this.#chains.delete(key);
    this.#running -= 1;
    if (this.#running === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}

/** At most `limit` holders at once; the rest wait in arrival order. */
export class Semaphore {
  #available: number;
  readonly #waiting = new Fifo<() => void>();

  constructor(limit: number) {
    this.#available = limit;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (!this.tryAcquire()) await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Takes a slot if one is free, without waiting: the hot path makes no promise for it. */
  tryAcquire(): boolean {
    if (this.#available === 0) return false;
    this.#available -= 1;
    return true;
  }

  acquire(): Promise<void> {
    return new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  /** Hands the slot to the next waiter, or frees it. */
  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#available += 1;
  }
}
