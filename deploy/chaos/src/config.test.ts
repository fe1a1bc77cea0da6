import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";

describe("the chaos run's settings", () => {
  it("runs the short profile unless told otherwise", () => {
    expect(loadConfig({})).toEqual({ profile: "short", extraLoadSeconds: 0, actionsPerSecond: undefined });
    expect(
      loadConfig({
        FLYT_CHAOS_PROFILE: "full",
        FLYT_CHAOS_EXTRA_LOAD_SECONDS: "600",
        FLYT_CHAOS_ACTIONS_PER_SECOND: "7",
      }),
    ).toEqual({ profile: "full", extraLoadSeconds: 600, actionsPerSecond: 7 });
  });

  it("refuses a profile that does not exist", () => {
    expect(() => loadConfig({ FLYT_CHAOS_PROFILE: "medium" })).toThrow(/FLYT_CHAOS_PROFILE/);
  });
});
