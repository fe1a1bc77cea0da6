import { type ChildProcess, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

// Helpers for the benchmarks behind `npm run bench`: percentiles, peak RSS, the machine, the report file.

/** Percentile of already sorted numbers (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** Samples this process's RSS until stopped; returns the peak in MB. */
export function trackPeakRss(intervalMs = 50) {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, intervalMs);
  return () => {
    clearInterval(timer);
    return Math.round(Math.max(peak, process.memoryUsage().rss) / 1_048_576);
  };
}

/** Samples another process's RSS (from /proc) until stopped; returns the peak in MB. */
export function trackPeakRssOf(pid: number, intervalMs = 200) {
  let peak = 0;
  const sample = async () => {
    const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
    peak = Math.max(peak, kb);
  };
  const timer = setInterval(() => void sample(), intervalMs);
  return async () => {
    clearInterval(timer);
    await sample();
    return Math.round(peak / 1024);
  };
}

/**
 * CPU seconds another process has used so far (user and system, from /proc): sample before and after a phase.
 * Assumes the usual 100 clock ticks a second.
 */
export async function cpuSecondsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  // Fields after the command name (which is in parentheses and may hold spaces): utime is the 14th, stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100;
}

export function machineLine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${Math.round(totalmem() / 1_073_741_824)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

/** Replaces (or appends) the section between `<!-- bench:<id> -->` markers in docs/benchmarks.md. */
export async function writeReportSection(id: string, markdown: string): Promise<void> {
  const file = join(repoRoot, "docs", "benchmarks.md");
  const header =
    "# Benchmarks\n\nProduced by `npm run bench` (real Kafka, registry and Postgres, started as the tests start them). Each section is rewritten by its benchmark; numbers are from the machine named in it.\n";
  const existing = await readFile(file, "utf8").catch(() => header);
  const start = `<!-- bench:${id} -->`;
  const end = `<!-- /bench:${id} -->`;
  const section = `${start}\n${markdown.trim()}\n${end}`;
  const pattern = new RegExp(`${start}[\\s\\S]*?${end}`);
  const updated = pattern.test(existing)
    ? existing.replace(pattern, section)
    : `${existing.trimEnd()}\n\n${section}\n`;
  await writeFile(file, updated);
}

/** A built service (its `dist/main.js`) as a process of its own for a benchmark, with only PATH and `env`. */
export function startBuiltService(
  serviceDir: string,
  env: Readonly<Record<string, string>>,
): { child: ChildProcess; pid: number } {
  const child = spawn(process.execPath, ["dist/main.js"], {
    cwd: serviceDir,
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (!child.pid) throw new Error(`could not start the service in ${serviceDir}`);
  return { child, pid: child.pid };
}

const benchDocument = Buffer.from(`%PDF-1.7\n${"x".repeat(2_000)}\n`).toString("base64");

/** The benchmarks' submission: a one-step eGrunnerverv case with one journal post and a 2 KB PDF, as JSON. */
export function benchCaseBody(sourceInstanceId: string): string {
  return JSON.stringify({
    integrationId: "egrunnerverv-sak",
    sourceInstanceId,
    case: {
      tittel: "Erverv av grunn - gnr 12 bnr 4",
      klassering: [{ ordningsprinsipp: "GBNR", ordningsverdi: "12/4" }],
    },
    journalPosts: [
      {
        tittel: "Kjøpekontrakt",
        journalposttype: "I",
        korrespondansepart: [{ korrespondanseparttype: "avsender", navn: "Kari Hansen" }],
        dokumenter: [
          {
            tittel: "Kontrakt",
            tilknyttetRegistreringSom: "H",
            filnavn: "kontrakt.pdf",
            mimeType: "application/pdf",
            innhold: benchDocument,
          },
        ],
      },
    ],
  });
}
