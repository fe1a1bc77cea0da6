/** A readiness condition: resolves when the dependency answers, rejects (or times out) when it does not. */
export interface HealthCheck {
  readonly name: string;
  readonly check: (signal: AbortSignal) => Promise<void>;
}

export interface HealthReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, { status: "up" | "down"; error?: string }>>;
}

/** Runs every check concurrently, each bounded by `timeoutMs`. */
export async function runHealthChecks(
  checks: readonly HealthCheck[],
  timeoutMs: number,
): Promise<HealthReport> {
  const results = await Promise.all(
    checks.map(async (health) => {
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        await Promise.race([health.check(signal), rejectOnAbort(signal)]);
        return [health.name, { status: "up" as const }] as const;
      } catch (error) {
        const message = signal.aborted ? `no answer within ${timeoutMs} ms` : errorMessage(error);
        return [health.name, { status: "down" as const, error: message }] as const;
      }
    }),
  );
  return {
    ready: results.every(([, result]) => result.status === "up"),
    checks: Object.fromEntries(results),
  };
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) =>
    signal.addEventListener("abort", () => reject(signal.reason), { once: true }),
  );
}

function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return errorMessage(error.errors[0]);
  return error instanceof Error ? error.message : String(error);
}
