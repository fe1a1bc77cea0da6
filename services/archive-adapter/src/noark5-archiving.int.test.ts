import { createTestDatabase, testInfra, uniqueName } from "@flyt/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCountyArchiveAdapter } from "../test-support/county-archive-adapter";
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
let county: Awaited<ReturnType<typeof startCountyArchiveAdapter>>;

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
  county = await startCountyArchiveAdapter({
    driver: "NOARK5",
    namespace,
    databaseUrl: scratch.url,
    connections: {
      [destination.id]: {
        driver: "NOARK5",
        baseUrl: archive.baseUrl,
        oauth: { tokenUrl: archive.tokenUrl, clientId: archive.clientId, clientSecret: archive.clientSecret },
        requestTimeoutMs: 2_000,
      },
    },
    env: { ARCHIVE_RETRY_BUDGET_MS: "2000" },
  });
}, 60_000);

afterAll(async () => {
  await county?.stop();
  await archive?.close();
  await harness?.stop();
  await scratch?.drop();
});

describe("archiving into a Noark 5 archive", () => {
  it("creates the saksmappe and the journal post with its document and file, with the archive's numbers", async () => {
    const { reference } = await harness.storePdf();
    const request = validated({ destination, journalPosts: [journalpost(reference)] });
    await harness.publish(request, request.submission.id);
    const { completed } = await harness.outcomeOf(request.submission.id);
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
    const { failed } = await harness.outcomeOf(refused.submission.id);
    expect(failed).toMatchObject({
      code: "archive-rejected",
      message: expect.stringContaining("mangler tittel"),
      retriable: false,
    });

    archive.failShare(1, { kind: "status", status: 503, text: "vedlikehold" });
    try {
      const unavailable = validated({ destination });
      await harness.publish(unavailable, unavailable.submission.id);
      expect((await harness.outcomeOf(unavailable.submission.id)).failed).toMatchObject({
        code: "archive-unavailable",
        retriable: true,
      });
    } finally {
      archive.clearFailures();
    }
  });
});
