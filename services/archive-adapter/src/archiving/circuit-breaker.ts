import { ArchiveUnavailableError } from "../drivers/archive-errors";

export interface CircuitBreakerOptions {
  /** Consecutive unavailable answers that open the circuit. */
  readonly failureThreshold: number;
  /** How long an open circuit refuses calls before one trial call is let through. */
  readonly openMs: number;
  readonly now?: () => number;
}

/**
 * One archive's circuit: after `failureThreshold` unavailable answers in a row, calls fail at once for `openMs`
 * (an archive that is down is not hammered, and its cases wait in the retry topic instead of holding handlers),
 * then one trial call decides whether it closes again. Refusals (4xx) mean the archive is up: they do not count.
 */
export class CircuitBreaker {
  #failures = 0;
  #openedAt: number | undefined;
  #trialRunning = false;
  #lastFailure = "";
  readonly #now: () => number;

  constructor(
    private readonly name: string,
    private readonly options: CircuitBreakerOptions,
  ) {
    this.#now = options.now ?? Date.now;
  }

  get state(): "closed" | "open" | "half-open" {
    if (this.#openedAt === undefined) return "closed";
    return this.#now() - this.#openedAt >= this.options.openMs ? "half-open" : "open";
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    const state = this.state;
    if (state === "open" || (state === "half-open" && this.#trialRunning)) {
      // The archive's own last words, so a submission failed while the circuit is open still carries them.
      throw new ArchiveUnavailableError(
        `archive ${this.name} is not called for now after ${this.#failures} unavailable answers in a row; last: ${this.#lastFailure}`,
      );
    }
    const trial = state === "half-open";
    if (trial) this.#trialRunning = true;
    try {
      const result = await call();
      this.#failures = 0;
      this.#openedAt = undefined;
      return result;
    } catch (error) {
      if (error instanceof ArchiveUnavailableError) {
        this.#failures += 1;
        this.#lastFailure = error.message;
        if (trial || this.#failures >= this.options.failureThreshold) this.#openedAt = this.#now();
      }
      throw error;
    } finally {
      if (trial) this.#trialRunning = false;
    }
  }
}
