import type { CheckResult, FaultRecovery } from "./checks";

export interface RunSummary {
  readonly profile: string;
  readonly command: string;
  readonly startedAt: string;
  readonly loadSeconds: number;
  readonly submissionsPerSecond: number;
  readonly accepted: number;
  readonly byScenario: Readonly<Record<string, number>>;
}

export interface ChaosReport {
  readonly summary: RunSummary;
  readonly checks: readonly CheckResult[];
  readonly recoveries: readonly FaultRecovery[];
}

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The report as Markdown: the run, a table of the checks, and the recovery after each fault. */
export function renderMarkdown(report: ChaosReport): string {
  const { summary } = report;
  const scenarios = Object.entries(summary.byScenario)
    .map(([scenario, count]) => `${scenario} ${count}`)
    .join(", ");
  const lines = [
    `Profile **${summary.profile}**, started ${summary.startedAt}: \`${summary.command}\``,
    "",
    `${summary.accepted} submissions accepted over ${summary.loadSeconds} s of load (${summary.submissionsPerSecond.toFixed(1)}/s): ${scenarios}.`,
    "",
    "| check | result | figures | first failures |",
    "| --- | --- | --- | --- |",
    ...report.checks.map(
      (check) =>
        `| ${cell(check.name)} | ${check.passed ? "passed" : "**FAILED**"} | ${cell(
          Object.entries(check.figures)
            .map(([name, value]) => `${name} ${value}`)
            .join(", "),
        )} | ${cell(check.examples.join("; "))} |`,
    ),
    "",
    "| fault | started | lasted | recovery (no submission lagging) | max lag |",
    "| --- | --- | --- | --- | --- |",
    ...report.recoveries.map(
      (recovery) =>
        `| ${cell(recovery.fault)} | ${new Date(recovery.startedAt).toISOString().slice(11, 19)} | ${seconds(
          recovery.endedAt - recovery.startedAt,
        )} | ${recovery.recoveryMs === null ? "**not recovered**" : seconds(recovery.recoveryMs)} | ${seconds(
          recovery.maxLagMs,
        )} |`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}
