import { createTestDatabase, testInfra, uniqueName } from "@flyt/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startCountyArchiveAdapter } from "../test-support/county-archive-adapter";
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
let county: Awaited<ReturnType<typeof startCountyArchiveAdapter>>;

beforeAll(async () => {
  scratch = await createTestDatabase();
  harness = await startPipelineHarness({
    namespace,
    databaseUrl: scratch.url,
    kafkaBrokers: infra.kafkaBrokers,
    schemaRegistryUrl: infra.schemaRegistryUrl,
  });
  fint = await startFakeFintServer();
  county = await startCountyArchiveAdapter({
    driver: "FINT",
    namespace,
    databaseUrl: scratch.url,
    connections: {
      [destination.id]: {
        driver: "FINT",
        baseUrl: fint.baseUrl,
        oauth: { tokenUrl: fint.tokenUrl, ...fint.credentials },
        requestTimeoutMs: 2_000,
        // Shorter than the slow write below takes: its first attempt ends not knowing.
        poll: { initialMs: 10, maxMs: 100, totalMs: 500 },
      },
    },
    env: { ARCHIVE_RETRY_BUDGET_MS: "2000" },
  });
}, 60_000);

afterAll(async () => {
  await county?.stop();
  await fint?.close();
  await harness?.stop();
  await scratch?.drop();
});

describe("archiving into FINT arkiv", () => {
  it("creates the case, uploads the file and adds the journal post, with FINT's numbers", async () => {
    const { reference } = await harness.storePdf();
    const request = validated({ destination, journalPosts: [journalpost(reference)] });
    await harness.publish(request, request.submission.id);
    const { completed } = await harness.outcomeOf(request.submission.id);
    const stored = fint.cases().find((held) => held.caseNumber === completed?.caseNumber);
    expect(stored).toBeDefined();
    expect(completed?.journalPostNumbers).toEqual(fint.journalPosts().map((post) => post.number));
    expect(fint.files().map((file) => file.filename)).toEqual(["søknad_æøå.pdf"]);
  });

  it("leaves submissions for other archive systems to their own deployment", async () => {
    // One key for both: the marker is handled after the other, so its outcome means the other was seen.
    const simulated = validated();
    await harness.publish(simulated, simulated.submission.id);
    const marker = validated({ destination });
    await harness.publish(marker, simulated.submission.id);
    await harness.outcomeOf(marker.submission.id);
    expect(harness.outcomesOf(simulated.submission.id)).toEqual([]);
  });

  it("fails with FINT's own message when the archive refuses the case", async () => {
    const request = validated({ destination, case: arkivsak({ arkivdel: null }) });
    await harness.publish(request, request.submission.id);
    const { failed } = await harness.outcomeOf(request.submission.id);
    expect(failed).toMatchObject({ code: "archive-rejected", retriable: false });
    expect(failed?.message.length).toBeGreaterThan(0);
  });

  it("follows a create FINT is still working on when its polling ran out, instead of sending it again", async () => {
    const casePosts = () =>
      fint.requests().filter((sent) => sent.method === "POST" && sent.path === "/arkiv/noark/sak").length;
    const [casesBefore, postsBefore] = [fint.cases().length, casePosts()];
    // Taken at once, done 1.2 s later: the adapter stops polling after 0.5 s, not knowing whether it happened,
    // and tries again within its budget; a second POST would make a second case.
    fint.inject({ method: "POST", path: "/arkiv/noark/sak", answer: { kind: "processing", ms: 1_200 } });
    const request = validated({ destination });
    await harness.publish(request, request.submission.id);
    const { completed } = await harness.outcomeOf(request.submission.id);
    await vi.waitFor(() => expect(fint.stillProcessing()).toBe(0), { timeout: 10_000 });
    expect(fint.cases().length - casesBefore).toBe(1);
    expect(casePosts() - postsBefore).toBe(1);
    expect(completed?.caseNumber).toMatch(/^\d{4}\/\d+$/);
    expect(completed?.caseNumber).toBe(fint.cases().at(-1)?.caseNumber);
  });

  it("sends a create again once FINT said it failed, rather than asking the failed write's status forever", async () => {
    const casePosts = () =>
      fint.requests().filter((sent) => sent.method === "POST" && sent.path === "/arkiv/noark/sak").length;
    const postsBefore = casePosts();
    fint.inject({
      method: "POST",
      path: "/arkiv/noark/sak",
      answer: { kind: "status-error", status: 500, message: "Elements svarte ikke" },
    });
    const request = validated({ destination });
    await harness.publish(request, request.submission.id);
    const { completed } = await harness.outcomeOf(request.submission.id);
    expect(completed?.caseNumber).toMatch(/^\d{4}\/\d+$/);
    expect(completed?.caseNumber).toBe(fint.cases().at(-1)?.caseNumber);
    expect(casePosts() - postsBefore).toBe(2);
  });

  it("follows a journal post FINT is still adding when its polling ran out, instead of adding it again", async () => {
    const { reference } = await harness.storePdf();
    fint.inject({
      method: "PUT",
      path: "/arkiv/noark/sak/mappeid/",
      answer: { kind: "processing", ms: 1_200 },
    });
    const request = validated({ destination, journalPosts: [journalpost(reference)] });
    await harness.publish(request, request.submission.id);
    const { completed } = await harness.outcomeOf(request.submission.id);
    await vi.waitFor(() => expect(fint.stillProcessing()).toBe(0), { timeout: 10_000 });
    const posts = fint.journalPosts().filter((post) => post.caseNumber === completed?.caseNumber);
    expect(posts.map((post) => post.number)).toEqual(completed?.journalPostNumbers);
  });

  it("fails retriable with the archive's message once FINT has answered 503 for the whole budget", async () => {
    fint.inject({
      share: 1,
      answer: { kind: "status", status: 503, body: { message: "Elements is down for maintenance" } },
    });
    try {
      const request = validated({ destination });
      await harness.publish(request, request.submission.id);
      const { failed } = await harness.outcomeOf(request.submission.id);
      expect(failed).toMatchObject({ code: "archive-unavailable", retriable: true });
      expect(failed?.message).toContain("503");
    } finally {
      fint.clearFailures();
    }
  });
});
