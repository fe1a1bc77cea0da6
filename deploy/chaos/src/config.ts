import { parseConfig } from "@flyt/config";
import { z } from "zod";

const schema = z.object({
  /** `short` (CI, in `npm test`) or `full` (`npm run chaos`, by hand). */
  FLYT_CHAOS_PROFILE: z.enum(["short", "full"]).default("short"),
  /** Seconds of load after the faults (the full profile's settling) to run longer; 0 keeps the profile's. */
  FLYT_CHAOS_EXTRA_LOAD_SECONDS: z.coerce.number().int().min(0).default(0),
  /** Load actions a second (≈1.4 submissions each) instead of the profile's: a bigger machine takes more. */
  FLYT_CHAOS_ACTIONS_PER_SECOND: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce.number().positive().max(100).optional(),
  ),
});

/** The chaos run's settings, read once. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env) {
  const parsed = parseConfig(schema, env);
  return {
    profile: parsed.FLYT_CHAOS_PROFILE,
    extraLoadSeconds: parsed.FLYT_CHAOS_EXTRA_LOAD_SECONDS,
    actionsPerSecond: parsed.FLYT_CHAOS_ACTIONS_PER_SECOND,
  };
}
