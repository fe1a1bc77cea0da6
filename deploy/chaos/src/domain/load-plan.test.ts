import { describe, expect, it } from "vitest";
import { plannedAction, SOURCE_APPLICATIONS } from "./load-plan";

const cycle = Array.from({ length: 7 }, (_, n) => plannedAction(n, "t"));

describe("the load plan", () => {
  it("sends every shape of load in one cycle, from each source application", () => {
    const posts = cycle.flatMap((action) => action.posts);
    expect(new Set(posts.map((post) => post.scenario))).toEqual(
      new Set([
        "one-step",
        "two-step-case",
        "two-step-posts",
        "search-or-new",
        "rejected",
        "concurrent-copies",
        "repeat",
      ]),
    );
    expect(new Set(posts.map((post) => post.sourceApplication))).toEqual(new Set(SOURCE_APPLICATIONS));
    // ≈1.4 submissions an action: 3.5 actions a second are ≈5 submissions a second.
    expect(posts.length / cycle.length).toBeCloseTo(10 / 7);
  });

  it("gives every submission of a run its own source instance id, the same in every copy", () => {
    const ids = Array.from({ length: 70 }, (_, n) => plannedAction(n, "t")).flatMap((action) =>
      action.posts.map((post) => post.body.sourceInstanceId),
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect(plannedAction(5, "t")).toEqual(plannedAction(5, "t"));
  });

  it("pairs search-or-new submissions on one criterion, and a case with its journal posts, in one case group", () => {
    const [pair, twoStep] = [plannedAction(2, "t"), plannedAction(1, "t")];
    expect(pair.kind).toBe("parallel");
    expect(new Set(pair.posts.map((post) => post.caseGroup)).size).toBe(1);
    expect(
      new Set(
        pair.posts.map((post) => JSON.stringify((post.body.case as { klassering: unknown }).klassering)),
      ).size,
    ).toBe(1);
    expect(twoStep.posts.map((post) => [post.path, post.caseGroup])).toEqual([
      ["cases", "CHAOS-t-1"],
      ["journal-posts", "CHAOS-t-1"],
    ]);
  });

  it("builds the bodies that must be REJECTED without what the archive needs", () => {
    const [rejected] = plannedAction(3, "t").posts;
    expect(rejected).toMatchObject({ scenario: "rejected", expectedStatus: "REJECTED" });
    expect(rejected?.body.case).not.toHaveProperty("klassering");
  });
});
