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
import { type FakeNoark5Server, startFakeNoark5Server } from "../test-support/fake-noark5-server";
import { journalpost, startPipelineHarness, validated } from "../test-support/pipeline-harness";

// The deployment for Noark 5 archives: its own consumer group, connection settings from a file, the real driver
// against a fake Noark 5 tjenestegrensesnitt over HTTP.

const infra = testInfra();
const namespace = uniqueName("archive-noark5");
const destination = { id: "agder-noark", driver: "NOARK5" as const };
let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let harness: Awaited<ReturnType<typeof startPipelineHarness>>;
let archive: FakeNoark5Server;
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
  archive = await startFakeNoark5Server({
    arkivdeler: [{ tittel: "EIENDOM", klassifikasjonssystemer: ["GBNR"] }],
  });
  folder = await mkdtemp(join(tmpdir(), "flyt-noark5-"));
  const connections = join(folder, "connections.json");
  await writeFile(
    connections,
    JSON.stringify({
      [destination.id]: {
        driver: "NOARK5",
        baseUrl: archive.baseUrl,
        oauth: { tokenUrl: archive.tokenUrl, clientId: archive.clientId, clientSecret: archive.clientSecret },
        requestTimeoutMs: 2_000,
      },
    }),
  );
  adapter = await startServiceProcess("archive-adapter", {
    FLYT_TOPIC_NAMESPACE: namespace,
    DATABASE_URL: scratch.url,
    REGISTER_SCHEMAS: "true",
    ARCHIVE_DRIVERS: "NOARK5",
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
  await archive?.close();
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

describe("archiving into a Noark 5 archive", () => {
  it("creates the saksmappe and the journal post with its document and file, with the archive's numbers", async () => {
    const { reference } = await harness.storePdf();
    const request = validated({ destination, journalPosts: [journalpost(reference)] });
    await harness.publish(request, request.submission.id);
    const { completed } = await outcomeOf(request.submission.id);
    const [saksmappe] = archive.saksmapper().filter((held) => held.mappeID === completed?.caseNumber);
    expect(saksmappe).toBeDefined();
    const posts = archive.journalposter().filter((post) => post.saksmappe === saksmappe?.systemID);
    expect(completed?.journalPostNumbers).toEqual(posts.map((post) => post.number));
    expect(posts[0]?.dokumenter[0]?.objekter[0]?.file?.filename).toBe("søknad_æøå.pdf");
    expect(archive.unadvertisedRequests()).toEqual([]);
  });

  it("fails with the archive's own message when it refuses, and retriable once 503s outlast the budget", async () => {
    archive.failNext(1, { kind: "status", status: 400, text: "saksmappe mangler tittel" });
    const refused = validated({ destination });
    await harness.publish(refused, refused.submission.id);
    const { failed } = await outcomeOf(refused.submission.id);
    expect(failed).toMatchObject({
      code: "archive-rejected",
      message: expect.stringContaining("mangler tittel"),
      retriable: false,
    });

    archive.failShare(1, { kind: "status", status: 503, text: "vedlikehold" });
    try {
      const unavailable = validated({ destination });
      await harness.publish(unavailable, unavailable.submission.id);
      expect((await outcomeOf(unavailable.submission.id)).failed).toMatchObject({
        code: "archive-unavailable",
        retriable: true,
      });
    } finally {
      archive.clearFailures();
    }
  });
});
