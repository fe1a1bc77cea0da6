import { createTestDatabase, testInfra, uniqueName } from "@flyt/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCountyArchiveAdapter } from "../test-support/county-archive-adapter";
import { type FakeNoark5Server, startFakeNoark5Server } from "../test-support/fake-noark5-server";
import { arkivsak, journalpost, startPipelineHarness, validated } from "../test-support/pipeline-harness";

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
        // No token URL: found from the archive's OpenID configuration, as a county's would be.
        oauth: { clientId: archive.clientId, clientSecret: archive.clientSecret },
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

  it("finds the case again in an archive section opened to an integration, and never another section's", async () => {
    const tittel = `Felles sak ${uniqueName("t")}`;
    const opened = { caseAccess: { scope: "ARCHIVE_SECTIONS" as const, arkivdeler: ["EIENDOM"] } };
    const searching = () =>
      validated({
        destination,
        sourceApplication: "hmsreg",
        caseMode: "BY_SEARCH_OR_NEW",
        searchCriteria: { arkivdel: "EIENDOM", tittel },
        case: arkivsak({ tittel }),
        ...opened,
      });
    // Another source application's case in the opened section: found, not made again.
    const theirs = validated({ destination, case: arkivsak({ tittel }) });
    await harness.publish(theirs, theirs.submission.id);
    const theirNumber = (await harness.outcomeOf(theirs.submission.id)).completed?.caseNumber;
    for (const request of [searching(), searching()]) {
      await harness.publish(request, request.submission.id);
      expect((await harness.outcomeOf(request.submission.id)).completed).toMatchObject({
        caseNumber: theirNumber,
        caseCreated: false,
      });
    }
    expect(archive.saksmapper().filter((held) => held.fields.tittel === tittel)).toHaveLength(1);

    // By number too: its section is read from the archive before anything is written.
    const { reference } = await harness.storePdf("demo", "hmsreg");
    const postsReaching = (arkivdeler: string[]) =>
      validated({
        destination,
        sourceApplication: "hmsreg",
        kind: "JOURNAL_POSTS",
        caseMode: "BY_ID",
        caseRef: theirNumber ?? "",
        case: null,
        journalPosts: [journalpost(reference)],
        caseAccess: { scope: "ARCHIVE_SECTIONS", arkivdeler },
      });
    const posts = postsReaching(["EIENDOM"]);
    const elsewhere = postsReaching(["ELEV"]);
    await harness.publish(posts, `demo:${theirNumber}`);
    await harness.publish(elsewhere, `demo:${theirNumber}`);
    expect((await harness.outcomeOf(posts.submission.id)).completed?.caseNumber).toBe(theirNumber);
    expect((await harness.outcomeOf(elsewhere.submission.id)).failed).toMatchObject({ code: "unknown-case" });
  });
});
