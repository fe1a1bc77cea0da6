// The operator console's queries against a read model of millions of submissions: how long each takes, so their
// indexes are shown to hold at that size. Run through `npm run bench` (root), which provides DATABASE_URL.
import { dropDatabase, ensureDatabase } from "@flyt/local-infra";
import { createDatabase } from "@flyt/postgres";
import { machineLine, percentile, writeReportSection } from "@flyt/testing/bench";
import { migrateStatusReadModel, StatusReader } from "../src/index";

const ROWS = Number(process.env.BENCH_CONSOLE_ROWS ?? 2_000_000);
const REPEATS = Number(process.env.BENCH_CONSOLE_REPEATS ?? 50);
const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const run = `bench${Date.now().toString(36)}`;

const databaseUrl = await ensureDatabase(serverUrl, run);
const db = createDatabase({ url: databaseUrl, applicationName: "flyt.bench" });
try {
  await migrateStatusReadModel(db);
  // Three counties, 25 integrations each, a year of submissions: mostly archived, some failed or rejected.
  const seeded = Date.now();
  await db.raw(
    `insert into submission_status (submission_id, tenant_id, source_application_id, integration_id,
       source_instance_id, kind, run, status, errors, status_event_id, created_at, updated_at)
     select 'sub_' || lpad(i::text, 26, '0'),
            (array['demo','vestland','buskerud'])[1 + i % 3],
            'app-' || (i % 8),
            'integration-' || (i % 25),
            'SRC-' || i,
            case when i % 4 = 0 then 'JOURNAL_POSTS' else 'CASE' end,
            1,
            case when i % 50 = 0 then 'FAILED' when i % 70 = 0 then 'REJECTED' else 'ARCHIVED' end,
            case when i % 50 = 0 then '[{"code":"archive-unavailable","pointer":"","detail":"503"}]'::jsonb
                 else '[]'::jsonb end,
            'event-' || i,
            now() - (i * interval '1 second') * (31536000.0 / ?),
            now() - (i * interval '1 second') * (31536000.0 / ?)
       from generate_series(1, ?) as i`,
    [ROWS, ROWS, ROWS],
  );
  await db.raw("analyze submission_status");
  const seedSeconds = (Date.now() - seeded) / 1000;

  const reader = new StatusReader(db);
  const day = 86_400_000;
  const now = Date.now();
  const month = { from: new Date(now - 30 * day), to: new Date(now) };
  const deepCursor = await cursorOfPage(reader, 200);
  const queries: [string, () => Promise<unknown>][] = [
    ["counts per status, one integration, last 30 days", () => reader.counts("demo", "integration-3", month)],
    [
      "counts per integration and status, a county, last 30 days",
      () => reader.countsByIntegration("demo", month),
    ],
    ["an integration's newest 50", () => reader.list("demo", "integration-3", { limit: 50 })],
    [
      "an integration's FAILED, newest 50",
      () => reader.list("demo", "integration-3", { status: "FAILED", limit: 50 }),
    ],
    [
      "an integration's FAILED with one error code, newest 50",
      () =>
        reader.list("demo", "integration-3", {
          status: "FAILED",
          errorCode: "archive-unavailable",
          limit: 50,
        }),
    ],
    [
      "page 200 of an integration's list (cursor)",
      () => reader.list("demo", "integration-3", { limit: 50, ...(deepCursor ? { after: deepCursor } : {}) }),
    ],
    ["one submission with its history (polling)", () => reader.status(`sub_${"1234567".padStart(26, "0")}`)],
  ];
  const rows: string[] = [];
  for (const [name, query] of queries) {
    const timings: number[] = [];
    for (let i = 0; i < REPEATS; i += 1) {
      const started = performance.now();
      await query();
      timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    rows.push(
      `| ${name} | ${percentile(timings, 50).toFixed(1)} ms | ${percentile(timings, 99).toFixed(1)} ms |`,
    );
  }

  const markdown = `## Operator console queries (libs/status-read-model)

${new Date().toISOString().slice(0, 10)} · ${machineLine()} · Postgres on the same machine · ${ROWS.toLocaleString("en-US")} submissions (three counties, 25 integrations each, a year of updates; seeded in ${Math.round(seedSeconds)} s), each query ${REPEATS} times after the table was analysed.

| query | p50 | p99 |
|---|---:|---:|
${rows.join("\n")}

- The page-200 row times the 200th page, reached by following the \`next\` cursor 199 times beforehand (untimed): a page costs the same at any depth.

Aim: console queries stay fast (tens of milliseconds) at millions of rows.`;
  process.stdout.write(`${markdown}\n`);
  await writeReportSection("console-queries", markdown);
} finally {
  await db.destroy();
  await dropDatabase(serverUrl, run);
}

/** The cursor of the given page of 50, found by following `next` from the first page. */
async function cursorOfPage(reader: StatusReader, page: number): Promise<string | undefined> {
  let next: string | undefined;
  for (let i = 1; i < page; i += 1) {
    next = (await reader.list("demo", "integration-3", { limit: 50, ...(next ? { after: next } : {}) })).next;
  }
  return next;
}
