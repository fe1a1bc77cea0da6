/**
 * Which offset of one partition may be committed: only past messages that are all handled. Messages are
 * tracked in the order they were fetched (offset order) and may complete in any order.
 */
export class PartitionProgress {
  /** Offsets fetched and not yet committed past, oldest first, with whether each is handled. */
  readonly #window: { offset: number; done: boolean }[] = [];
  readonly #index = new Map<number, { offset: number; done: boolean }>();
  #next: number | undefined;
  #committed: number | undefined;

  track(offset: string): void {
    const entry = { offset: Number(offset), done: false };
    this.#window.push(entry);
    this.#index.set(entry.offset, entry);
  }

  complete(offset: string): void {
    const entry = this.#index.get(Number(offset));
    if (!entry) return;
    entry.done = true;
    while (this.#window[0]?.done) {
      const head = this.#window.shift() as { offset: number };
      this.#index.delete(head.offset);
      this.#next = head.offset + 1;
    }
  }

  /** Messages fetched and not yet handled. */
  get inFlight(): number {
    return this.#window.length;
  }

  /** The offset to commit (the next one to read) if it moved since the last commit. */
  pendingCommit(): string | undefined {
    if (this.#next === undefined || this.#next === this.#committed) return undefined;
    return String(this.#next);
  }

  markCommitted(offset: string): void {
    this.#committed = Number(offset);
  }
}
