import {
  ArchiveRefusedError,
  ArchiveUnavailableError,
  WriteInProgressError,
} from "../drivers/archive-errors";

export interface CircuitBreakerOptions {
  /** Consecutive unavailable answers that open the circuit. */
  readonly failureThreshold: number;
  /** How long an open circuit refuses calls before one trial call is let through. */
  readonly openMs: number;
  /** How often an open circuit probes its archive, when it has a probe. */
  readonly probeMs: number;
  readonly now?: () => number;
  /** Runs `tick` every `ms` until the returned function is called (default: a timer that keeps no process up). */
  readonly every?: (ms: number, tick: () => void) => () => void;
}

export interface CircuitBreakerHooks {
  /** One cheap read of the archive: resolves when it answers (the driver's probe). */
  readonly probe?: () => Promise<void>;
  /**
   * The archive is worth calling again: the circuit closed (a probe or a call got an answer), or, without a
   * probe, its open period is over and the next call is the trial. Submissions waiting for it go now.
   */
  readonly onCallable?: () => void;
}

/**
 * One archive's circuit: after `failureThreshold` unavailable answers in a row, calls fail at once (an archive
 * that is down is not hammered, and its cases wait in the retry topic instead of holding handlers). While it is
 * open, one probe every `probeMs` asks whether the archive is back; the first answer closes it and says so
 * (`onCallable`), so the submissions waiting for the archive go at once instead of sitting out their backoff.
 * Without a probe, one trial call after `openMs` decides. Any answer means the archive is up: refusals (4xx) and
 * a write it is still working on (`WriteInProgressError`) never count as failures.
 */
export class CircuitBreaker {
  #failures = 0;
  #openedAt: number | undefined;
  #trialRunning = false;
  #lastFailure = "";
  #stopWatching: (() => void) | undefined;
  #probing = false;
  readonly #now: () => number;
  readonly #every: (ms: number, tick: () => void) => () => void;

  constructor(
    private readonly name: string,
    private readonly options: CircuitBreakerOptions,
    private readonly hooks: CircuitBreakerHooks = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.#every = options.every ?? everyUnref;
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
      this.#answered();
      return result;
    } catch (error) {
      if (isAnswer(error)) this.#answered();
      else if (error instanceof ArchiveUnavailableError) this.#failed(error.message, trial);
      throw error;
    } finally {
      if (trial) this.#trialRunning = false;
    }
  }

  /** Stops probing (shutdown). */
  close(): void {
    this.#stopWatching?.();
    this.#stopWatching = undefined;
  }

  #answered() {
    this.#failures = 0;
    if (this.#openedAt === undefined) return;
    this.#openedAt = undefined;
    this.close();
    this.hooks.onCallable?.();
  }

  #failed(message: string, trial: boolean) {
    this.#failures += 1;
    this.#lastFailure = message;
    if (!trial && this.#failures < this.options.failureThreshold) return;
    const opening = this.#openedAt === undefined;
    this.#openedAt = this.#now();
    if (opening) this.#watch();
  }

  /** While open: probe the archive, or, without a probe, say when the open period is over. */
  #watch() {
    const { probe, onCallable } = this.hooks;
    if (!probe) {
      this.#stopWatching = this.#every(this.options.openMs, () => {
        if (this.state === "half-open" && !this.#trialRunning) onCallable?.();
      });
      return;
    }
    this.#stopWatching = this.#every(this.options.probeMs, () => {
      if (this.#probing || this.#openedAt === undefined) return;
      this.#probing = true;
      probe()
        .then(
          () => this.#answered(),
          (error: unknown) => {
            if (isAnswer(error)) this.#answered();
            else {
              // The probe is the trial while there is one: no call is let through meanwhile.
              this.#openedAt = this.#now();
              this.#lastFailure = error instanceof Error ? error.message : String(error);
            }
          },
        )
        .finally(() => {
          this.#probing = false;
        });
    });
  }
}

/** The archive answered: it refused, or it is working on a write it took. It is up. */
const isAnswer = (error: unknown) =>
  error instanceof ArchiveRefusedError || error instanceof WriteInProgressError;

function everyUnref(ms: number, tick: () => void): () => void {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
}
