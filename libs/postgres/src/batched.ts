/**
 * Coalesces concurrent single calls into batch calls: calls made in the same turn of the event loop (up to
 * `maxBatch`) go to `run` together, and each caller gets its own result. Handlers stay written per message
 * while Postgres sees one statement per batch instead of one round trip per message.
 */
export function batched<I, O>(
  run: (inputs: readonly I[]) => Promise<readonly O[]>,
  options: { maxBatch?: number } = {},
): (input: I) => Promise<O> {
  const maxBatch = options.maxBatch ?? 500;
  let pending: { input: I; resolve: (output: O) => void; reject: (error: unknown) => void }[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    run(batch.map((call) => call.input)).then(
      (outputs) => {
        if (outputs.length !== batch.length) {
          const error = new Error(`batch of ${batch.length} answered with ${outputs.length} results`);
          for (const call of batch) call.reject(error);
          return;
        }
        for (const [i, call] of batch.entries()) call.resolve(outputs[i] as O);
      },
      (error: unknown) => {
        for (const call of batch) call.reject(error);
      },
    );
  };

  return (input) =>
    new Promise<O>((resolve, reject) => {
      pending.push({ input, resolve, reject });
      if (pending.length >= maxBatch) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
