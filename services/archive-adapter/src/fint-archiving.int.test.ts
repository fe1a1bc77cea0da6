import type { Arkivsak } from "@flyt/schemas";
import { createTestDatabase, testInfra, uniqueName } from "@flyt/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startCountyArchiveAdapter } from "../test-support/county-archive-adapter";
import {
  type FakeFintOptions,
  type FakeFintServer,
  startFakeFintServer,
} from "../test-support/fake-fint-server";
import { arkivsak, journalpost, startPipelineHarness, validated } from "../test-support/pipeline-harness";

// The deployment for FINT archives: its own consumer group, connection settings from a file, the real driver
// against fake FINT arkiv APIs over HTTP, one with Public 360 behind FINT's classic consumer (answering 303),
// one with Elements behind the core consumer.

const infra = testInfra();
const namespace = uniqueName("archive-fint");
const archives = [
  {
    destination: { id: "vestland-p360", driver: "FINT" as const },
    fake: { adapter: "P360", completedStatus: 303 },
  },
  {
    destination: { id: "agder-elements", driver: "FINT" as const },
    fake: { adapter: "ELEMENTS", consumer: "core" },
  },
] satisfies { destination: unknown; fake: FakeFintOptions }[];
const fakes = new Map<string, FakeFintServer>();
let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let harness: Awaited<ReturnType<typeof startPipelineHarness>>;
let county: Awaited<ReturnType<typeof startCountyArchiveAdapter>>;

beforeAll(async () => {
  scratch = await createTestDatabase();
  harness = await startPipelineHarness({
    namespace,
    databaseUrl: scratch.url,
    kafkaBrokers: infra.kafkaBrokers,
    schemaRegistryUrl: infra.schemaRegistryUrl,
  });
  for (const archive of archives) fakes.set(archive.destination.id, await startFakeFintServer(archive.fake));
  county = await startCountyArchiveAdapter({
    driver: "FINT",
    namespace,
    databaseUrl: scratch.url,
    connections: Object.fromEntries(
      archives.map(({ destination, fake: settings }) => {
        const fake = fakes.get(destination.id) as FakeFintServer;
        return [
          destination.id,
          {
            driver: "FINT",
            baseUrl: fake.baseUrl,
            oauth: { tokenUrl: fake.tokenUrl, ...fake.credentials },
            adapter: settings.adapter,
            ...("consumer" in settings ? { consumer: settings.consumer } : {}),
            requestTimeoutMs: 1_000,
            // Shorter than the slow writes below take: their first attempt ends not knowing.
            poll: { initialMs: 10, maxMs: 100, totalMs: 500 },
          },
        ];
      }),
    ),
    env: { ARCHIVE_RETRY_BUDGET_MS: "5000" },
  });
}, 60_000);

afterAll(async () => {
  await county?.stop();
  await Promise.all([...fakes.values()].map((fake) => fake.close()));
  await harness?.stop();
  await scratch?.drop();
});

/** A case both fake archives know every code of, titled apart from every other test's. */
const fintCase = (overrides: Partial<Arkivsak> = {}) =>
  arkivsak({ tittel: `Erverv av grunn ${uniqueName("sak")}`, administrativEnhet: "215", ...overrides });
const fintPost = (reference: Parameters<typeof journalpost>[0]) => ({
  ...journalpost(reference),
  administrativEnhet: "215",
});

describe("the FINT deployment", () => {
  it("leaves submissions for other archive systems to their own deployment", async () => {
    // One key for both: the marker is handled after the other, so its outcome means the other was seen.
    const simulated = validated();
    await harness.publish(simulated, simulated.submission.id);
    const marker = validated({ destination: { id: "vestland-p360", driver: "FINT" }, case: fintCase() });
    await harness.publish(marker, simulated.submission.id);
    await harness.outcomeOf(marker.submission.id);
    expect(harness.outcomesOf(simulated.submission.id)).toEqual([]);
  });
});

describe.each(archives)("archiving into FINT arkiv ($destination.id)", ({ destination }) => {
  const fint = () => fakes.get(destination.id) as FakeFintServer;
  const sent = (method: string, path: string | RegExp) =>
    fint()
      .requests()
      .filter(
        (request) =>
          request.method === method &&
          (typeof path === "string" ? request.path === path : path.test(request.path)),
      ).length;
  const caseNumber = destination.id === "vestland-p360" ? /^\d{2}\/\d{5}$/ : /^\d{4}\/\d+$/;

  it("creates the case, uploads the file and adds the journal post, with the archive's numbers", async () => {
    const { reference } = await harness.storePdf();
    const request = validated({ destination, case: fintCase(), journalPosts: [fintPost(reference)] });
    await harness.publish(request, request.submission.id);
    const { completed } = await harness.outcomeOf(request.submission.id);
    expect(completed?.caseNumber).toMatch(caseNumber);
    const stored = fint()
      .cases()
      .find((held) => held.caseNumber === completed?.caseNumber);
    expect(stored).toBeDefined();
    expect(completed?.journalPostNumbers).toEqual(
      fint()
        .journalPosts()
        .filter((post) => post.caseNumber === completed?.caseNumber)
        .map((post) => post.number),
    );
    expect(
      fint()
        .files()
        .map((file) => file.filename),
    ).toContain("søknad_æøå.pdf");
  });

  it("fails with the archive's own words when it refuses the case", async () => {
    const request = validated({ destination, case: fintCase({ arkivdel: null }) });
    await harness.publish(request, request.submission.id);
    const { failed } = await harness.outcomeOf(request.submission.id);
    expect(failed).toMatchObject({ code: "archive-rejected", retriable: false });
    expect(failed?.message).toContain("Arkivdel mangler");
  });

  it("fails at once, naming field and value, when the archive does not know a configured code", async () => {
    const posts = sent("POST", "/arkiv/noark/sak");
    const request = validated({ destination, case: fintCase({ saksstatus: "Q" }) });
    await harness.publish(request, request.submission.id);
    const { failed } = await harness.outcomeOf(request.submission.id);
    expect(failed).toMatchObject({ code: "archive-rejected", retriable: false });
    expect(failed?.message).toContain('the archive has no saksstatus "Q"');
    expect(sent("POST", "/arkiv/noark/sak")).toBe(posts);
  });

  it("follows a create FINT is still working on when its polling ran out, instead of sending it again", async () => {
    const [casesBefore, postsBefore] = [fint().cases().length, sent("POST", "/arkiv/noark/sak")];
    // Taken at once, done 1.2 s later: the adapter stops polling after 0.5 s, not knowing whether it happened,
    // and tries again within its budget; a second POST would make a second case.
    fint().inject({ method: "POST", path: "/arkiv/noark/sak", answer: { kind: "processing", ms: 1_200 } });
    const request = validated({ destination, case: fintCase() });
    await harness.publish(request, request.submission.id);
    const { completed } = await harness.outcomeOf(request.submission.id);
    await vi.waitFor(() => expect(fint().stillProcessing()).toBe(0), { timeout: 10_000 });
    expect(fint().cases().length - casesBefore).toBe(1);
    expect(sent("POST", "/arkiv/noark/sak") - postsBefore).toBe(1);
    expect(completed?.caseNumber).toBe(fint().cases().at(-1)?.caseNumber);
  });

  it("recognises a create whose answer was lost by what it sent, instead of sending it again", async () => {
    const [casesBefore, postsBefore] = [fint().cases().length, sent("POST", "/arkiv/noark/sak")];
    // Done by the archive, never answered: no status URL to follow, only the case itself to find.
    fint().inject({
      method: "POST",
      path: "/arkiv/noark/sak",
      answer: { kind: "hang", afterProcessing: true },
    });
    const request = validated({ destination, case: fintCase() });
    await harness.publish(request, request.submission.id);
    const { completed } = await harness.outcomeOf(request.submission.id);
    expect(fint().cases().length - casesBefore).toBe(1);
    expect(sent("POST", "/arkiv/noark/sak") - postsBefore).toBe(1);
    expect(completed?.caseNumber).toBe(fint().cases().at(-1)?.caseNumber);
  });

  it("recognises a journal post whose answer was lost, instead of adding it again", async () => {
    const { reference } = await harness.storePdf();
    fint().inject({
      method: "PUT",
      path: "/arkiv/noark/sak/mappeid/",
      answer: { kind: "hang", afterProcessing: true },
    });
    const request = validated({ destination, case: fintCase(), journalPosts: [fintPost(reference)] });
    await harness.publish(request, request.submission.id);
    const { completed } = await harness.outcomeOf(request.submission.id);
    const posts = fint()
      .journalPosts()
      .filter((post) => post.caseNumber === completed?.caseNumber);
    expect(posts.map((post) => post.number)).toEqual(completed?.journalPostNumbers);
    expect(posts).toHaveLength(1);
  });

  it("adds a journal post whose first attempt failed before it was sent, never taking its look-alike sibling for it", async () => {
    const { reference } = await harness.storePdf();
    // Reads of the case: once made, before and after the first journal post, then before the second: that one
    // fails, before anything of the second is sent.
    fint().inject({
      method: "GET",
      path: /^\/arkiv\/noark\/sak\/mappeid\//,
      skip: 3,
      answer: { kind: "status", status: 503 },
    });
    const request = validated({
      destination,
      case: fintCase(),
      journalPosts: [fintPost(reference), fintPost(reference)],
    });
    await harness.publish(request, request.submission.id);
    const { completed } = await harness.outcomeOf(request.submission.id);
    const posts = fint()
      .journalPosts()
      .filter((post) => post.caseNumber === completed?.caseNumber);
    expect(posts).toHaveLength(2);
    expect(completed?.journalPostNumbers).toEqual(posts.map((post) => post.number));
  });

  it("tells the source system one bounded line of what the archive said, never its stack trace", async () => {
    const trace = [
      "java.lang.IllegalArgumentException: Ugyldig saksansvarlig",
      "\tat no.fint.arkiv.NoarkFactory.createCaseArgs(NoarkFactory.java:226)",
      "\tat no.fint.arkiv.UpdateSakHandler.accept(UpdateSakHandler.java:91)",
    ].join("\n");
    fint().inject({
      method: "POST",
      path: "/arkiv/noark/sak",
      answer: { kind: "status", status: 400, body: trace },
    });
    const request = validated({ destination, case: fintCase() });
    await harness.publish(request, request.submission.id);
    const { failed } = await harness.outcomeOf(request.submission.id);
    expect(failed).toMatchObject({
      code: "archive-rejected",
      message: "Ugyldig saksansvarlig",
    });
  });

  it("finds the case the archive made although it answered the create as failed, instead of making another", async () => {
    const [casesBefore, postsBefore] = [fint().cases().length, sent("POST", "/arkiv/noark/sak")];
    fint().inject({
      method: "POST",
      path: "/arkiv/noark/sak",
      answer: { kind: "status-error", status: 500, message: "Lesing av saken feilet", afterWriting: true },
    });
    const request = validated({ destination, case: fintCase() });
    await harness.publish(request, request.submission.id);
    const { completed } = await harness.outcomeOf(request.submission.id);
    expect(fint().cases().length - casesBefore).toBe(1);
    expect(sent("POST", "/arkiv/noark/sak") - postsBefore).toBe(1);
    expect(completed).toMatchObject({ caseNumber: fint().cases().at(-1)?.caseNumber, caseCreated: true });
  });

  it("finds the journal post the archive added although it refused it at the status URL", async () => {
    const { reference } = await harness.storePdf();
    fint().inject({
      method: "PUT",
      path: "/arkiv/noark/sak/mappeid/",
      answer: { kind: "status-error", status: 400, message: "Zero cases found", afterWriting: true },
    });
    const request = validated({ destination, case: fintCase(), journalPosts: [fintPost(reference)] });
    await harness.publish(request, request.submission.id);
    const { completed } = await harness.outcomeOf(request.submission.id);
    const posts = fint()
      .journalPosts()
      .filter((post) => post.caseNumber === completed?.caseNumber);
    expect(posts.map((post) => post.number)).toEqual(completed?.journalPostNumbers);
    expect(posts).toHaveLength(1);
  });

  it("sends a create again once FINT said it failed, rather than asking the failed write's status forever", async () => {
    const postsBefore = sent("POST", "/arkiv/noark/sak");
    fint().inject({
      method: "POST",
      path: "/arkiv/noark/sak",
      answer: { kind: "status-error", status: 500, message: "Elements svarte ikke" },
    });
    const request = validated({ destination, case: fintCase() });
    await harness.publish(request, request.submission.id);
    const { completed } = await harness.outcomeOf(request.submission.id);
    expect(completed?.caseNumber).toBe(fint().cases().at(-1)?.caseNumber);
    expect(sent("POST", "/arkiv/noark/sak") - postsBefore).toBe(2);
  });

  it("follows a journal post FINT is still adding when its polling ran out, instead of adding it again", async () => {
    const { reference } = await harness.storePdf();
    fint().inject({
      method: "PUT",
      path: "/arkiv/noark/sak/mappeid/",
      answer: { kind: "processing", ms: 1_200 },
    });
    const request = validated({ destination, case: fintCase(), journalPosts: [fintPost(reference)] });
    await harness.publish(request, request.submission.id);
    const { completed } = await harness.outcomeOf(request.submission.id);
    await vi.waitFor(() => expect(fint().stillProcessing()).toBe(0), { timeout: 10_000 });
    const posts = fint()
      .journalPosts()
      .filter((post) => post.caseNumber === completed?.caseNumber);
    expect(posts.map((post) => post.number)).toEqual(completed?.journalPostNumbers);
  });

  it("finds the case by search with the archive's own ids, or creates it", async () => {
    const tittel = `Skoleskyss ${uniqueName("elev")}`;
    const searchCriteria = { arkivdel: "EIENDOM", tittel };
    const first = validated({
      destination,
      caseMode: "BY_SEARCH_OR_NEW",
      searchCriteria,
      case: fintCase({ tittel }),
    });
    await harness.publish(first, first.submission.id);
    const created = (await harness.outcomeOf(first.submission.id)).completed;
    const second = validated({
      destination,
      caseMode: "BY_SEARCH_OR_NEW",
      searchCriteria,
      case: fintCase({ tittel }),
    });
    await harness.publish(second, second.submission.id);
    const found = (await harness.outcomeOf(second.submission.id)).completed;
    expect(found).toMatchObject({ caseNumber: created?.caseNumber, caseCreated: false });
  });

  it("finds the case by search within the archive sections an integration may reach, named by code", async () => {
    const tittel = `Skoleskyss ${uniqueName("elev")}`;
    const reach = {
      searchCriteria: { arkivdel: "EIENDOM", tittel },
      caseAccess: { scope: "ARCHIVE_SECTIONS" as const, arkivdeler: ["EIENDOM"] },
    };
    const first = validated({
      destination,
      caseMode: "BY_SEARCH_OR_NEW",
      ...reach,
      case: fintCase({ tittel }),
    });
    await harness.publish(first, first.submission.id);
    const created = (await harness.outcomeOf(first.submission.id)).completed;
    const second = validated({
      destination,
      caseMode: "BY_SEARCH_OR_NEW",
      ...reach,
      case: fintCase({ tittel }),
      sourceApplication: "vigo",
    });
    await harness.publish(second, second.submission.id);
    expect((await harness.outcomeOf(second.submission.id)).completed).toMatchObject({
      caseNumber: created?.caseNumber,
      caseCreated: false,
    });
  });

  it("fails retriable with the archive's message once FINT has answered 503 for the whole budget", async () => {
    fint().inject({
      share: 1,
      answer: { kind: "status", status: 503, body: { message: "Elements is down for maintenance" } },
    });
    try {
      const request = validated({ destination, case: fintCase() });
      await harness.publish(request, request.submission.id);
      const { failed } = await harness.outcomeOf(request.submission.id);
      expect(failed).toMatchObject({ code: "archive-unavailable", retriable: true });
      expect(failed?.message).toContain("503");
    } finally {
      fint().clearFailures();
    }
  });
});
