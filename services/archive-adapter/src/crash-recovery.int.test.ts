import {
  createTestDatabase,
  type ServiceProcess,
  startServiceProcess,
  testInfra,
  uniqueName,
  waitForReady,
} from "@flyt/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { journalpost, startPipelineHarness, validated } from "../test-support/pipeline-harness";

// An adapter killed (SIGKILL: no drain, no commit) at each step of a case resumes in a new process from its
// progress record: one case and one journal post in the archive, whatever step it died in.

const infra = testInfra();
const namespace = uniqueName("archive-crash");
let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let harness: Awaited<ReturnType<typeof startPipelineHarness>>;
const running: ServiceProcess[] = [];

beforeAll(async () => {
  scratch = await createTestDatabase();
  harness = await startPipelineHarness({
    namespace,
    databaseUrl: scratch.url,
    kafkaBrokers: infra.kafkaBrokers,
    schemaRegistryUrl: infra.schemaRegistryUrl,
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(running.map((process) => process.stop()));
  await harness?.stop();
  await scratch?.drop();
});

async function startAdapter(): Promise<ServiceProcess> {
  const adapter = await startServiceProcess("archive-adapter", {
    FLYT_TOPIC_NAMESPACE: namespace,
    DATABASE_URL: scratch.url,
    REGISTER_SCHEMAS: "true",
    // A killed member's partitions move after this; slow archive calls leave time to kill between steps.
    CONSUMER_SESSION_TIMEOUT_MS: "6000",
    SIMULATOR_LATENCY_MS: "600",
    // The killed run's lease on its submission runs out after this; its successor then takes over.
    ARCHIVE_LEASE_MS: "3000",
  });
  running.push(adapter);
  await waitForReady(adapter);
  return adapter;
}

interface ProgressRow {
  case_create_attempted: boolean;
  case_system_id: string | null;
  files: Record<string, string>;
  journal_posts: unknown[];
  journal_posts_attempted: number[];
}

type Db = Awaited<ReturnType<typeof startPipelineHarness>>["db"];
const archived = async (db: Db, table: string, externalId: string) =>
  (await db(`simulated_archive_${table}`).where({ external_id: externalId })).length > 0;

// Each archive call takes 600 ms here (300 ms there, 300 ms back): the steps are the calls a case makes, killed
// while each is in flight, and after the archive wrote but before the adapter heard back.
const steps: [string, (row: ProgressRow, db: Db, id: string) => Promise<boolean> | boolean][] = [
  ["while the case is being created", (row) => row.case_create_attempted && row.case_system_id === null],
  [
    "after the archive created the case, before the adapter heard back",
    async (row, db, id) => row.case_system_id === null && (await archived(db, "cases", id)),
  ],
  [
    "while the file is being uploaded",
    (row) => row.case_system_id !== null && Object.keys(row.files).length === 0,
  ],
  [
    "while the journal post is being added",
    (row) => row.journal_posts_attempted.length > 0 && row.journal_posts.length === 0,
  ],
  [
    "after the archive added the journal post, before the adapter heard back",
    async (row, db, id) => row.journal_posts.length === 0 && (await archived(db, "journal_posts", `${id}/0`)),
  ],
];

describe("an archive adapter killed in the middle of a case", () => {
  it.each(steps)(
    "resumes %s: one case, one journal post",
    async (_step, reached) => {
      const killed = await startAdapter();
      const request = validated({ journalPosts: [journalpost((await harness.storePdf()).reference)] });
      const id = request.submission.id;
      await harness.publish(request, id);
      await vi.waitFor(
        async () => {
          const row = await harness.db("archive_progress").where({ submission_id: id }).first();
          if (!row || !(await reached(row, harness.db, id))) throw new Error("step not reached yet");
        },
        { timeout: 45_000, interval: 10 },
      );
      expect(await killed.stop("SIGKILL")).toBeNull();

      const successor = await startAdapter();
      const outcome = await vi.waitFor(
        () => {
          const [found] = harness.outcomesOf(id);
          if (!found) throw new Error("not archived yet");
          return found;
        },
        { timeout: 60_000, interval: 100 },
      );
      const cases = await harness.db("simulated_archive_cases").where({ external_id: id });
      const posts = await harness.db("simulated_archive_journal_posts").where({ external_id: `${id}/0` });
      expect(cases).toHaveLength(1);
      expect(posts).toHaveLength(1);
      expect(outcome.completed).toMatchObject({
        caseNumber: cases[0]?.case_number,
        journalPostNumbers: [posts[0]?.number],
        caseCreated: true,
      });
      await successor.stop();
    },
    120_000,
  );
});
