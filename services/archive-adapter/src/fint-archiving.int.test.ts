import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createTestDatabase,
  type ServiceProcess,
  startServiceProcess,
  testInfra,
  uniqueName,
} from "@flyt/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type FakeFintServer, startFakeFintServer } from "../test-support/fake-fint-server";
import { arkivsak, journalpost, startPipelineHarness, validated } from "../test-support/pipeline-harness";

// The deployment for FINT archives: its own consumer group, connection settings from a file, the real driver
// against a fake FINT arkiv over HTTP.

const infra = testInfra();
const namespace = uniqueName("archive-fint");
const destination = { id: "vestland-elements", driver: "FINT" as const };
let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let harness: Awaited<ReturnType<typeof startPipelineHarness>>;
let fint: FakeFintServer;
let adapter: ServiceProcess;
let folder: string;

beforeAll(async () => {
  scratch = await createTestDatabase();
  harness = await startPipelineHarness({
    namespace,
    databaseUrl: scratch.url,
    kafkaBrokers: infra.kafkaBrokers,
    schemaRegistryUrl: infra.schemaRegistryUrl,
  });
  fint = await startFakeFintServer();
  folder = await mkdtemp(join(tmpdir(), "flyt-fint-"));
  const connections = join(folder, "connections.json");
  await writeFile(
    connections,
    JSON.stringify({
      [destination.id]: {
        driver: "FINT",
        baseUrl: fint.baseUrl,
        oauth: { tokenUrl: fint.tokenUrl, ...fint.credentials },
        requestTimeoutMs: 2_000,
        poll: { initialMs: 10, maxMs: 100, totalMs: 3_000 },
      },
    }),
  );
  adapter = await startServiceProcess("archive-adapter", {
    FLYT_TOPIC_NAMESPACE: namespace,
    DATABASE_URL: scratch.url,
    REGISTER_SCHEMAS: "true",
    ARCHIVE_DRIVERS: "FINT",
    ARCHIVE_CONNECTIONS_FILE: connections,
    ARCHIVE_RETRY_BUDGET_MS: "2000",
  });
  await vi.waitFor(async () => expect((await fetch(`${adapter.baseUrl}/readyz`)).status).toBe(200), {
    timeout: 30_000,
    interval: 200,
  });
}, 60_000);

afterAll(async () => {
  await adapter?.stop();
  await fint?.close();
  await harness?.stop();
  await scratch?.drop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function outcomeOf(id: string) {
  return vi.waitFor(
    () => {
      const [outcome] = harness.outcomesOf(id);
      if (!outcome) throw new Error(`no outcome for ${id} yet`);
      return outcome;
    },
    { timeout: 30_000, interval: 50 },
  );
}

describe("archiving into FINT arkiv", () => {
  it("creates the case, uploads the file and adds the journal post, with FINT's numbers", async () => {
    const { reference } = await harness.storePdf();
    const request = validated({ destination, journalPosts: [journalpost(reference)] });
    await harness.publish(request, request.submission.id);
    const { completed } = await outcomeOf(request.submission.id);
    const stored = fint.cases().find((held) => held.caseNumber === completed?.caseNumber);
    expect(stored).toBeDefined();
    expect(completed?.journalPostNumbers).toEqual(fint.journalPosts().map((post) => post.number));
    expect(fint.files().map((file) => file.filename)).toEqual(["søknad_æøå.pdf"]);
  });

  it("leaves submissions for other archive systems to their own deployment", async () => {
    const simulated = validated();
    await harness.publish(simulated, simulated.submission.id);
    const marker = validated({ destination });
    await harness.publish(marker, marker.submission.id);
    await outcomeOf(marker.submission.id);
    expect(harness.outcomesOf(simulated.submission.id)).toEqual([]);
  });

  it("fails with FINT's own message when the archive refuses the case", async () => {
    const request = validated({ destination, case: arkivsak({ arkivdel: null }) });
    await harness.publish(request, request.submission.id);
    const { failed } = await outcomeOf(request.submission.id);
    expect(failed).toMatchObject({ code: "archive-rejected", retriable: false });
    expect(failed?.message.length).toBeGreaterThan(0);
  });

  it("fails retriable with the archive's message once FINT has answered 503 for the whole budget", async () => {
    fint.inject({
      share: 1,
      answer: { kind: "status", status: 503, body: { message: "Elements is down for maintenance" } },
    });
    try {
      const request = validated({ destination });
      await harness.publish(request, request.submission.id);
      const { failed } = await outcomeOf(request.submission.id);
      expect(failed).toMatchObject({ code: "archive-unavailable", retriable: true });
      expect(failed?.message).toContain("503");
    } finally {
      fint.clearFailures();
    }
  });
});
