import { durationMs, parseConfig, pipelineServiceConfig, pipelineServiceEnv } from "@flyt/config";
import { z } from "zod";

const schema = z
  .object({
    ...pipelineServiceEnv(8093),
    /**
     * How long an event may be held back, waiting for a step it follows, before it is shown anyway: by then that
     * step was lost on the way (dead-lettered) or recorded by an older instance without a position.
     */
    HELD_BACK_RELEASE_AFTER_MS: durationMs.default(120_000),
    /** How often held-back events are looked for (and the held-back metrics updated). */
    HELD_BACK_SWEEP_INTERVAL_MS: durationMs.default(15_000),
  })
  .refine((env) => env.HELD_BACK_SWEEP_INTERVAL_MS <= env.HELD_BACK_RELEASE_AFTER_MS, {
    path: ["HELD_BACK_SWEEP_INTERVAL_MS"],
    message: "must not exceed HELD_BACK_RELEASE_AFTER_MS",
  })
  .transform((env, ctx) => ({
    ...pipelineServiceConfig("status-projection", env, ctx),
    heldBack: {
      releaseAfterMs: env.HELD_BACK_RELEASE_AFTER_MS,
      sweepIntervalMs: env.HELD_BACK_SWEEP_INTERVAL_MS,
    },
  }));

export type StatusProjectionConfig = ReturnType<typeof loadConfig>;

/** The service's configuration, parsed once from the environment. See .env.example. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env) {
  return parseConfig(schema, env);
}
