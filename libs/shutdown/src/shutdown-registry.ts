import type { Logger } from "@flyt/logging";

export type ShutdownOutcome = "clean" | "failed" | "deadline-exceeded";

export interface ShutdownRegistryOptions {
  readonly logger: Logger;
  /** The whole shutdown must finish within this; what has not closed by then is abandoned. */
  readonly deadlineMs: number;
}

interface Hook {
  readonly name: string;
  readonly close: () => Promise<void> | void;
}

/**
 * The one place a process registers what must be closed. Hooks close in reverse order of registration:
 * what was built last (a consumer, the HTTP listener) stops first, what it used (producers, pools) after.
 */
export class ShutdownRegistry {
  readonly #hooks: Hook[] = [];
  readonly #logger: Logger;
  readonly #deadlineMs: number;
  #running: Promise<ShutdownOutcome> | undefined;

  constructor(options: ShutdownRegistryOptions) {
    this.#logger = options.logger.child({ component: "shutdown" });
    this.#deadlineMs = options.deadlineMs;
  }

  register(name: string, close: () => Promise<void> | void): void {
    if (this.#running) throw new Error(`cannot register "${name}" during shutdown`);
    this.#hooks.push({ name, close });
  }

  get isShuttingDown(): boolean {
    return this.#running !== undefined;
  }

  /** Idempotent: a second call returns the first call's outcome. */
  shutdown(reason: string): Promise<ShutdownOutcome> {
    this.#running ??= this.#run(reason);
    return this.#running;
  }

  async #run(reason: string): Promise<ShutdownOutcome> {
    this.#logger.info(
      { reason, hooks: this.#hooks.length, deadlineMs: this.#deadlineMs },
      "shutdown started",
    );
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"deadline-exceeded">((resolve) => {
      timer = setTimeout(() => resolve("deadline-exceeded"), this.#deadlineMs);
    });
    const outcome = await Promise.race([this.#closeAll(), deadline]);
    clearTimeout(timer);
    const log =
      outcome === "clean" ? this.#logger.info.bind(this.#logger) : this.#logger.error.bind(this.#logger);
    log({ outcome }, "shutdown complete");
    return outcome;
  }

  async #closeAll(): Promise<"clean" | "failed"> {
    let failed = false;
    for (const hook of [...this.#hooks].reverse()) {
      try {
        await hook.close();
        this.#logger.debug({ hook: hook.name }, "closed");
      } catch (error) {
        failed = true;
        this.#logger.error({ hook: hook.name, err: error }, "close failed");
      }
    }
    return failed ? "failed" : "clean";
  }
}
