/**
 * Resolves at the first SIGINT or SIGTERM; any later one is only reported to `onRepeat`, for the rest of the
 * process's life. Why: Ctrl-C reaches this process twice (from the terminal, and forwarded by npm), and a second
 * signal with no handler would end the process half-way through stopping, leaving Kafka, the registry
 * and Postgres running.
 */
export function untilStopSignal(onRepeat: (signal: NodeJS.Signals) => void): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const handle = (signal: NodeJS.Signals) => {
      if (received) {
        onRepeat(signal);
        return;
      }
      received = true;
      resolve(signal);
    };
    process.on("SIGINT", handle);
    process.on("SIGTERM", handle);
  });
}

/** `work` run at most once: every call after the first gets the first call's promise. */
export function once(work: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= work();
    return running;
  };
}
