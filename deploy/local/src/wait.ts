export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Checked between attempts: stop waiting at once when what we wait for has died. */
  readonly stillPossible?: () => boolean;
}

/** Polls `probe` until it returns true. Throws with `description` when the time is up or `stillPossible` says no. */
export async function waitFor(description: string, probe: () => Promise<boolean>, options: WaitOptions) {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error;
    }
    if (options.stillPossible && !options.stillPossible()) {
      throw new Error(`${description}: the process exited`, { cause: lastError });
    }
    if (Date.now() >= deadline) {
      throw new Error(`${description}: not ready within ${options.timeoutMs} ms`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
}

/** True when something accepts TCP connections on host:port. */
export async function portAnswers(host: string, port: number): Promise<boolean> {
  const { connect } = await import("node:net");
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(1_000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}
