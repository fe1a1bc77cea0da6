import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./report";

describe("the report in Markdown", () => {
  it("tabulates the checks with their figures and failures, and each fault's recovery", () => {
    const markdown = renderMarkdown({
      summary: {
        profile: "short",
        command: "npm test",
        startedAt: "2026-12-03T10:00:00.000Z",
        loadSeconds: 100,
        submissionsPerSecond: 5,
        accepted: 500,
        byScenario: { "one-step": 70 },
      },
      checks: [
        { name: "a check", passed: true, figures: { accepted: 500 }, examples: [] },
        { name: "another | check", passed: false, figures: { rewrites: 1 }, examples: ["sub_1: a | b"] },
      ],
      recoveries: [
        { fault: "SIGKILL validation", startedAt: 0, endedAt: 4_000, recoveryMs: 12_500, maxLagMs: 20_000 },
        { fault: "archive outage 15 s", startedAt: 0, endedAt: 15_000, recoveryMs: null, maxLagMs: 90_000 },
      ],
    });
    expect(markdown).toContain("| a check | passed | accepted 500 |  |");
    expect(markdown).toContain("| another \\| check | **FAILED** | rewrites 1 | sub_1: a \\| b |");
    expect(markdown).toContain("| SIGKILL validation | 00:00:00 | 4.0 s | 12.5 s | 20.0 s |");
    expect(markdown).toContain("| archive outage 15 s | 00:00:00 | 15.0 s | **not recovered** | 90.0 s |");
  });
});
