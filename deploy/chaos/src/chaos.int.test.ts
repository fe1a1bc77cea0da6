import { createLogger } from "@flyt/logging";
import { testInfra } from "@flyt/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { type ChaosRun, runChaos } from "./chaos-run";
import { loadConfig } from "./config";
import type { CheckResult } from "./domain/checks";
import { profiles } from "./domain/profiles";
import { renderMarkdown } from "./domain/report";

const config = loadConfig();
const chosen = profiles[config.profile];
const profile = { ...chosen, actionsPerSecond: config.actionsPerSecond ?? chosen.actionsPerSecond };
/** Start-up, the load with its faults and spacing, and settling, with room to spare. */
const RUN_TIMEOUT_MS =
  (120 +
    profile.warmUpSeconds +
    profile.faults.length * (profile.spacingSeconds + 60) +
    config.extraLoadSeconds +
    profile.settleSeconds +
    (profile.ownInfrastructure ? 600 : 0)) *
  1_000;

let run: ChaosRun;

beforeAll(async () => {
  const infra = testInfra();
  run = await runChaos({
    profile,
    shared: infra,
    runId: infra.runId,
    extraLoadSeconds: config.extraLoadSeconds,
    command:
      profile.name === "full"
        ? "npm run chaos"
        : "npx turbo run test --filter=@flyt/chaos (the short profile; npm test runs it too)",
    logger: createLogger({ service: "chaos", level: "info" }),
  });
  process.stdout.write(`\n${renderMarkdown(run.report)}\nReport: ${run.files.join(", ")}\n`);
}, RUN_TIMEOUT_MS);

/** A check's result, failing with the broken cases it names. */
function expectHeld(name: string) {
  const check = run.report.checks.find((candidate) => candidate.name.startsWith(name)) as CheckResult;
  expect(check, `no check named ${name}`).toBeDefined();
  expect(check.examples, `${check.name}: ${JSON.stringify(check.figures)}`).toEqual([]);
  expect(check.passed).toBe(true);
}

describe(`the whole system under load while its parts fail (the ${profile.name} profile)`, () => {
  it("sends every shape of load from several source applications at a fixed rate", () => {
    const { byScenario, submissionsPerSecond } = run.report.summary;
    expect(Object.keys(byScenario).sort()).toEqual([
      "concurrent-copies",
      "one-step",
      "rejected",
      "repeat",
      "search-or-new",
      "two-step-case",
      "two-step-posts",
    ]);
    for (const count of Object.values(byScenario)) expect(count).toBeGreaterThan(0);
    // The rate is the machine's to keep: held to it only in the full profile, run by hand on a quiet machine.
    if (profile.name === "full") expect(submissionsPerSecond).toBeGreaterThan(profile.actionsPerSecond);
    expect(run.report.recoveries.map((recovery) => recovery.fault)).toHaveLength(profile.faults.length);
  });

  it("accepts every submission sent in the end", () => expectHeld("every submission sent is accepted"));
  it("ends every 202 terminal with the expected status", () => expectHeld("every 202 ends terminal"));
  it("takes repeats and concurrent copies as one submission", () =>
    expectHeld("repeats and concurrent copies"));
  it("puts no case or journal post in the archive twice", () => expectHeld("no duplicate case"));
  it("lets every polled history only grow at its end", () => expectHeld("every polled history"));
  it("calls back with the final status resource, under one webhook-id", () => expectHeld("every callback"));
  it("answers no 5xx but 503 with Retry-After", () => expectHeld("no 5xx but 503"));
  // Recovery is a time: the short profile runs inside `npm test` beside other tests, so there it is measured and
  // reported (above) but not held to the aim; the full profile, run by hand, is.
  if (profile.name === "full") {
    it("recovers within the aim after each fault", () => expectHeld("recovery within"));
  }
});
