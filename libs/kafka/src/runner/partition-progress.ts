/**
 * Which offset of one partition may be committed: only past messages that are all handled. Messages are
 * tracked in the order they were fetched (offset order) and may complete in any order.
 */
export class PartitionProgress {
  /** Offsets fetched and not yet committed past, oldest first (from #head on), with whether each is handled. */
  #window: { offset: number; done: boolean }[] = [];
  #head = 0;
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
    while (this.#window[this.#head]?.done) {
      const head = this.#window[this.#head] as { offset: number };
      this.#head += 1;
      this.#index.delete(head.offset);
      this.#next = head.offset + 1;
    }
    // Drop the handled prefix now and then, rather than shifting the array on every completion.
    if (this.#head > 1_024 && this.#head * 2 > this.#window.length) {
      this.#window = this.#window.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Messages fetched and not yet handled. */
  get inFlight(): number {
    return this.#window.length - this.#head;
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
