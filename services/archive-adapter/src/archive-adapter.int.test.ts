import {
  createTestDatabase,
  type ServiceProcess,
  startServiceProcess,
  testInfra,
  uniqueName,
  waitForReady,
} from "@flyt/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  arkivsak,
  journalpost,
  startPipelineHarness,
  submissionId,
  validated,
} from "../test-support/pipeline-harness";
import { DeclaredOutages } from "./drivers/simulator/declared-outages";

const infra = testInfra();
const namespace = uniqueName("archive");
let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let harness: Awaited<ReturnType<typeof startPipelineHarness>>;
let adapter: ServiceProcess;

const adapterEnv = (extra: Record<string, string> = {}) => ({
  FLYT_TOPIC_NAMESPACE: namespace,
  DATABASE_URL: scratch.url,
  REGISTER_SCHEMAS: "true",
  CONSUMER_SESSION_TIMEOUT_MS: "6000",
  ...extra,
});

beforeAll(async () => {
  scratch = await createTestDatabase();
  harness = await startPipelineHarness({
    namespace,
    databaseUrl: scratch.url,
    kafkaBrokers: infra.kafkaBrokers,
    schemaRegistryUrl: infra.schemaRegistryUrl,
  });
  adapter = await startServiceProcess("archive-adapter", adapterEnv());
  await waitUntilConsuming(adapter);
}, 60_000);

afterAll(async () => {
  await adapter?.stop();
  await harness?.stop();
  await scratch?.drop();
});

async function waitUntilConsuming(process: ServiceProcess) {
  await waitForReady(process);
}

const outcomeOf = (id: string, timeoutMs?: number, run?: number) => harness.outcomeOf(id, timeoutMs, run);

const countCases = async (externalId: string) =>
  Number(
    (await harness.db("simulated_archive_cases").where({ external_id: externalId }).count({ n: "*" }))[0]?.n,
  );

describe("archiving into the simulated archive over Kafka and Postgres", () => {
  it("archives a one-step case with its journal posts as a unit: case and journal post numbers", async () => {
    const [first, second] = [await harness.storePdf(), await harness.storePdf()];
    const request = validated({
      journalPosts: [journalpost(first.reference), journalpost(second.reference)],
    });
    await harness.publish(request, request.submission.id);
    const { completed } = await outcomeOf(request.submission.id);
    const year = new Date().getUTCFullYear();
    expect(completed).toMatchObject({
      submission: request.submission,
      destination: request.destination,
      caseCreated: true,
      attempts: 1,
      meta: { correlationId: request.meta.correlationId, producer: "archive-adapter" },
    });
    expect(completed?.caseNumber).toMatch(new RegExp(`^${year}/\\d+$`));
    expect(completed?.journalPostNumbers).toEqual([
      `${completed?.caseNumber}-1`,
      `${completed?.caseNumber}-2`,
    ]);
    const files = await harness
      .db("simulated_archive_files")
      .whereIn("sha256", [first.sha256, second.sha256]);
    expect(files.map((file) => file.filename)).toEqual(["søknad_æøå.pdf", "søknad_æøå.pdf"]);
  });

  it("adds two-step journal posts to their case submission's case, in submission order", async () => {
    const file = (await harness.storePdf()).reference;
    const caseRequest = validated({ journalPosts: [journalpost(file)] });
    const caseId = caseRequest.submission.id;
    const posts = [1, 2].map(() =>
      validated({
        kind: "JOURNAL_POSTS",
        caseMode: "BY_ID",
        caseRef: caseId,
        case: null,
        journalPosts: [journalpost(file)],
      }),
    );
    // Journal posts are keyed like their case: sent right after it, they are archived after it, in order.
    await harness.publish(caseRequest, caseId);
    for (const post of posts) await harness.publish(post, caseId);
    const caseNumber = (await outcomeOf(caseId)).completed?.caseNumber;
    const numbers = await Promise.all(
      posts.map(async (post) => (await outcomeOf(post.submission.id)).completed),
    );
    expect(
      numbers.map((outcome) => [outcome?.caseNumber, outcome?.caseCreated, outcome?.journalPostNumbers]),
    ).toEqual([
      [caseNumber, false, [`${caseNumber}-2`]],
      [caseNumber, false, [`${caseNumber}-3`]],
    ]);
  });

  it("adds to an archive case by its number, and fails a number the archive does not have", async () => {
    const original = validated();
    await harness.publish(original, original.submission.id);
    const caseNumber = (await outcomeOf(original.submission.id)).completed?.caseNumber ?? "";
    const file = (await harness.storePdf()).reference;
    const toNumber = validated({
      kind: "JOURNAL_POSTS",
      caseMode: "BY_ID",
      caseRef: caseNumber,
      case: null,
      journalPosts: [journalpost(file)],
    });
    const toNowhere = validated({
      kind: "JOURNAL_POSTS",
      caseMode: "BY_ID",
      caseRef: "1999/424242",
      case: null,
      journalPosts: [journalpost(file)],
    });
    await harness.publish(toNumber, `demo:${caseNumber}`);
    await harness.publish(toNowhere, "demo:1999/424242");
    expect((await outcomeOf(toNumber.submission.id)).completed?.journalPostNumbers).toEqual([
      `${caseNumber}-1`,
    ]);
    expect((await outcomeOf(toNowhere.submission.id)).failed).toMatchObject({
      code: "unknown-case",
      retriable: false,
    });
  });

  it("searches before creating: none → a new case, one → that case, several → failed listing them", async () => {
    const tittel = `Elevmappe ${submissionId()}`;
    const searching = () =>
      validated({
        caseMode: "BY_SEARCH_OR_NEW",
        searchCriteria: { arkivdel: "ELEV", tittel },
        case: arkivsak({ tittel, arkivdel: "ELEV" }),
      });
    const first = searching();
    await harness.publish(first, first.submission.id);
    const created = (await outcomeOf(first.submission.id)).completed;
    expect(created?.caseCreated).toBe(true);
    const second = searching();
    await harness.publish(second, second.submission.id);
    expect((await outcomeOf(second.submission.id)).completed).toMatchObject({
      caseNumber: created?.caseNumber,
      caseCreated: false,
    });

    const twin = validated({ case: arkivsak({ tittel, arkivdel: "ELEV" }) });
    await harness.publish(twin, twin.submission.id);
    const twinNumber = (await outcomeOf(twin.submission.id)).completed?.caseNumber;
    const third = searching();
    await harness.publish(third, third.submission.id);
    const { failed } = await outcomeOf(third.submission.id);
    expect(failed).toMatchObject({ code: "several-cases-found", retriable: false });
    expect(failed?.message).toBe(`2 cases match the search criteria: ${created?.caseNumber}, ${twinNumber}`);
    // Numbers only: the archive's titles never reach the source system.
    expect(failed?.message).not.toContain(tittel);
  });

  it("finds one case for two submissions searching with the same criteria at the same time", async () => {
    const slowSearches = await startServiceProcess(
      "archive-adapter",
      adapterEnv({ SIMULATOR_LATENCY_MS: "400" }),
    );
    await adapter.stop();
    try {
      await waitUntilConsuming(slowSearches);
      const tittel = `Elevmappe ${submissionId()}`;
      const together = [1, 2].map(() =>
        validated({
          caseMode: "BY_SEARCH_OR_NEW",
          searchCriteria: { arkivdel: "ELEV", tittel },
          case: arkivsak({ tittel, arkivdel: "ELEV" }),
        }),
      );
      await Promise.all(together.map((request) => harness.publish(request, request.submission.id)));
      const outcomes = await Promise.all(together.map((request) => outcomeOf(request.submission.id)));
      expect(new Set(outcomes.map((outcome) => outcome.completed?.caseNumber)).size).toBe(1);
      expect(await harness.db("simulated_archive_cases").where({ tittel })).toHaveLength(1);
    } finally {
      await slowSearches.stop();
      adapter = await startServiceProcess("archive-adapter", adapterEnv());
      await waitUntilConsuming(adapter);
    }
  }, 90_000);

  it("fails at once, with the archive's own words, what the archive refuses", async () => {
    const request = validated({ case: arkivsak({ arkivdel: null }) });
    await harness.publish(request, request.submission.id);
    expect((await outcomeOf(request.submission.id)).failed).toMatchObject({
      code: "archive-rejected",
      message: "arkivdel is required",
      retriable: false,
      attempts: 1,
      caseNumber: null,
    });
  });
});

describe("one source application never reaches another's cases (security)", () => {
  const journalPostsTo = (caseRef: string, extra: Parameters<typeof validated>[0] = {}) =>
    harness.storePdf("demo", extra.sourceApplication).then(({ reference }) =>
      validated({
        kind: "JOURNAL_POSTS",
        caseMode: "BY_ID",
        caseRef,
        case: null,
        journalPosts: [journalpost(reference)],
        ...extra,
      }),
    );
  const casesIn = async (caseNumber: string) =>
    harness
      .db("simulated_archive_journal_posts as p")
      .join("simulated_archive_cases as c", "c.system_id", "p.case_system_id")
      .where("c.case_number", caseNumber)
      .count({ n: "*" })
      .then(([row]) => Number(row?.n));

  it("refuses journal posts to another source application's case exactly as to a case that does not exist", async () => {
    const theirs = validated();
    await harness.publish(theirs, theirs.submission.id);
    const caseNumber = (await outcomeOf(theirs.submission.id)).completed?.caseNumber ?? "";
    const intruding = await journalPostsTo(caseNumber, { sourceApplication: "vigo" });
    const nowhere = await journalPostsTo("1999/737373", { sourceApplication: "vigo" });
    await harness.publish(intruding, `demo:${caseNumber}`);
    await harness.publish(nowhere, "demo:1999/737373");
    const refused = (await outcomeOf(intruding.submission.id)).failed;
    const missing = (await outcomeOf(nowhere.submission.id)).failed;
    expect(refused).toMatchObject({ code: "unknown-case", retriable: false, caseNumber: null });
    expect(refused?.message.replace(caseNumber, "N")).toBe(missing?.message.replace("1999/737373", "N"));
    expect(await casesIn(caseNumber)).toBe(0);
  });

  it("searches only among its own cases: another source application's matching cases are not there", async () => {
    const tittel = `Felles tittel ${submissionId()}`;
    const search = (sourceApplication: string) =>
      validated({
        sourceApplication,
        caseMode: "BY_SEARCH_OR_NEW",
        searchCriteria: { arkivdel: "SAK", tittel },
        case: arkivsak({ tittel, arkivdel: "SAK" }),
      });
    // Two of eGrunnerverv's cases match: for eGrunnerverv that is several, for VIGO nothing at all.
    for (const request of [
      validated({ case: arkivsak({ tittel, arkivdel: "SAK" }) }),
      validated({ case: arkivsak({ tittel, arkivdel: "SAK" }) }),
    ]) {
      await harness.publish(request, request.submission.id);
      await outcomeOf(request.submission.id);
    }
    const vigo = search("vigo");
    await harness.publish(vigo, vigo.submission.id);
    const own = (await outcomeOf(vigo.submission.id)).completed;
    expect(own).toMatchObject({ caseCreated: true });
    const vigoAgain = search("vigo");
    await harness.publish(vigoAgain, vigoAgain.submission.id);
    expect((await outcomeOf(vigoAgain.submission.id)).completed).toMatchObject({
      caseNumber: own?.caseNumber,
      caseCreated: false,
    });
    const egrunnerverv = search("egrunnerverv");
    await harness.publish(egrunnerverv, egrunnerverv.submission.id);
    const several = (await outcomeOf(egrunnerverv.submission.id)).failed;
    expect(several?.message).toMatch(/^2 cases match the search criteria: /);
    expect(several?.message).not.toContain(own?.caseNumber);
  });

  it("takes the case an operator resolved a failed submission with as that source application's", async () => {
    // A case eGrunnerverv did not make through Flyt (an archivist made it), and a case submission that failed.
    const byHand = validated({ sourceApplication: "hmsreg" });
    await harness.publish(byHand, byHand.submission.id);
    const handNumber = (await outcomeOf(byHand.submission.id)).completed?.caseNumber ?? "";
    const failedCase = validated({ case: arkivsak({ arkivdel: null }) });
    await harness.publish(failedCase, failedCase.submission.id);
    expect((await outcomeOf(failedCase.submission.id)).failed).toMatchObject({ code: "archive-rejected" });

    await harness.publishResolution(failedCase.submission, handNumber);
    // Journal posts to the resolved submission, and to its number, go to the case the operator named.
    const bySubmission = await journalPostsTo(failedCase.submission.id);
    const byNumber = await journalPostsTo(handNumber);
    await vi.waitFor(
      async () => {
        const [row] = await harness.db("archive_progress").where({ submission_id: failedCase.submission.id });
        expect(row?.resolved_case_number).toBe(handNumber);
      },
      { timeout: 20_000, interval: 100 },
    );
    await harness.publish(bySubmission, failedCase.submission.id);
    await harness.publish(byNumber, `demo:${handNumber}`);
    expect((await outcomeOf(bySubmission.submission.id)).completed?.caseNumber).toBe(handNumber);
    expect((await outcomeOf(byNumber.submission.id)).completed?.caseNumber).toBe(handNumber);
  });

  it("reaches the archive sections a county opened to an integration, and no other", async () => {
    const inSak = validated({ case: arkivsak({ arkivdel: "SAK" }) });
    const inElev = validated({ case: arkivsak({ arkivdel: "ELEV" }) });
    for (const request of [inSak, inElev]) await harness.publish(request, request.submission.id);
    const sakNumber = (await outcomeOf(inSak.submission.id)).completed?.caseNumber ?? "";
    const elevNumber = (await outcomeOf(inElev.submission.id)).completed?.caseNumber ?? "";
    const opened = {
      sourceApplication: "hmsreg",
      caseAccess: { scope: "ARCHIVE_SECTIONS" as const, arkivdeler: ["SAK"] },
    };
    const allowed = await journalPostsTo(sakNumber, opened);
    const beyond = await journalPostsTo(elevNumber, opened);
    await harness.publish(allowed, `demo:${sakNumber}`);
    await harness.publish(beyond, `demo:${elevNumber}`);
    expect((await outcomeOf(allowed.submission.id)).completed?.journalPostNumbers).toEqual([
      `${sakNumber}-1`,
    ]);
    expect((await outcomeOf(beyond.submission.id)).failed).toMatchObject({ code: "unknown-case" });
    expect(await casesIn(elevNumber)).toBe(0);
  });
});

describe("where a submission stands, and operator retries", () => {
  it("reports ARCHIVING, and WAITING_FOR_CASE for journal posts whose case is not archived yet", async () => {
    const file = (await harness.storePdf()).reference;
    const caseRequest = validated({ journalPosts: [journalpost(file)] });
    const caseId = caseRequest.submission.id;
    const post = validated({
      kind: "JOURNAL_POSTS",
      caseMode: "BY_ID",
      caseRef: caseId,
      case: null,
      journalPosts: [journalpost(file)],
    });
    // Keyed on its own, so it does not queue behind its case: it finds the case not archived and waits.
    await harness.publish(post, post.submission.id);
    await vi.waitFor(() => expect(harness.stagesOf(post.submission.id)).toEqual(["WAITING_FOR_CASE"]), {
      timeout: 20_000,
      interval: 100,
    });
    await harness.publish(caseRequest, caseId);
    const caseNumber = (await outcomeOf(caseId)).completed?.caseNumber;
    expect(harness.stagesOf(caseId)).toEqual(["ARCHIVING"]);
    const { completed } = await outcomeOf(post.submission.id, 60_000);
    expect(completed).toMatchObject({ caseNumber, journalPostNumbers: [`${caseNumber}-2`] });
    expect(harness.stagesOf(post.submission.id)).toEqual(["WAITING_FOR_CASE", "ARCHIVING"]);
  }, 90_000);

  it("archives an operator retry's run where the failed run stopped: the case it created, not a second", async () => {
    const file = (await harness.storePdf()).reference;
    const refused = { ...journalpost(file), journalstatus: null };
    const first = validated({ journalPosts: [refused] });
    const id = first.submission.id;
    await harness.publish(first, id);
    const { failed } = await outcomeOf(id);
    expect(failed).toMatchObject({ code: "archive-rejected", message: "journalstatus is required" });
    expect(failed?.caseNumber).toMatch(/^\d{4}\/\d+$/);

    // Run again with the journal post as a corrected configuration fills it in.
    const retry = validated({ id, run: 2, journalPosts: [journalpost(file)] });
    await harness.publish(retry, id);
    const { completed } = await outcomeOf(id, 30_000, 2);
    expect(completed).toMatchObject({
      submission: { id, run: 2 },
      caseNumber: failed?.caseNumber,
      caseCreated: true,
      journalPostNumbers: [`${failed?.caseNumber}-1`],
      attempts: 1,
    });
    expect(await countCases(id)).toBe(1);
    // The first run delivered again, late: nothing more is written or published.
    await harness.publish(first, id);
    const marker = validated();
    await harness.publish(marker, id);
    await outcomeOf(marker.submission.id);
    expect(harness.outcomesOf(id)).toHaveLength(2);
  });
});

describe("an operator retry to another archive and back", () => {
  it("finds the case its first run made when a later run returns to that archive", async () => {
    const file = (await harness.storePdf()).reference;
    const refused = { ...journalpost(file), journalstatus: null };
    const first = validated({ journalPosts: [refused] });
    const id = first.submission.id;
    await harness.publish(first, id);
    const caseNumber = (await outcomeOf(id)).failed?.caseNumber;
    expect(caseNumber).toMatch(/^\d{4}\/\d+$/);
    // Run 2 goes to another archive (the integration pointed elsewhere) and fails there too.
    await harness.publish(
      validated({ id, run: 2, destinationId: "demo-other-archive", journalPosts: [refused] }),
      id,
    );
    expect((await outcomeOf(id, 30_000, 2)).failed).toMatchObject({ code: "archive-rejected" });
    // Run 3 is back in the first archive, whose progress went with run 2's move.
    await harness.publish(validated({ id, run: 3, journalPosts: [journalpost(file)] }), id);
    const { completed } = await outcomeOf(id, 30_000, 3);
    expect(completed).toMatchObject({ caseNumber, journalPostNumbers: [`${caseNumber}-1`] });
    const firstArchive = await harness
      .db("simulated_archive_cases")
      .where({ external_id: id, destination_id: "demo-simulator" });
    expect(firstArchive).toHaveLength(1);
  });
});

describe("an archive that misbehaves", () => {
  it("never creates a case or journal post twice when every write's answer is lost", async () => {
    const lossy = await startServiceProcess(
      "archive-adapter",
      adapterEnv({ SIMULATOR_UNCERTAIN_RATE: "1", ARCHIVE_DRIVERS: "SIMULATOR" }),
    );
    await adapter.stop();
    try {
      await waitUntilConsuming(lossy);
      const request = validated({ journalPosts: [journalpost((await harness.storePdf()).reference)] });
      await harness.publish(request, request.submission.id);
      const { completed } = await outcomeOf(request.submission.id, 60_000);
      // Create (answer lost), then found by external id + journal post added (answer lost), then found.
      expect(completed?.attempts).toBe(3);
      expect(await countCases(request.submission.id)).toBe(1);
      const posts = await harness
        .db("simulated_archive_journal_posts")
        .where({ external_id: `${request.submission.id}/0` });
      expect(posts).toHaveLength(1);
    } finally {
      await lossy.stop();
      adapter = await startServiceProcess("archive-adapter", adapterEnv());
      await waitUntilConsuming(adapter);
    }
  }, 90_000);

  it("keeps archiving into one archive while another is down", async () => {
    const now = Date.now();
    const halfDown = await startServiceProcess(
      "archive-adapter",
      adapterEnv({
        SIMULATOR_OUTAGES: `${new Date(now - 60_000).toISOString()}/${new Date(now + 3_600_000).toISOString()}`,
        SIMULATOR_MISBEHAVING_DESTINATIONS: "demo-archive-down",
      }),
    );
    await adapter.stop();
    try {
      await waitUntilConsuming(halfDown);
      const toDown = Array.from({ length: 40 }, () => validated({ destinationId: "demo-archive-down" }));
      const toUp = Array.from({ length: 40 }, () => validated());
      for (const request of [...toDown, ...toUp]) await harness.publish(request, request.submission.id);
      const archived = await vi.waitFor(
        () => {
          const done = toUp.filter((request) => harness.outcomesOf(request.submission.id).length > 0);
          if (done.length < toUp.length) throw new Error(`${done.length} of ${toUp.length} archived`);
          return done.map((request) => harness.outcomesOf(request.submission.id)[0]?.completed?.caseNumber);
        },
        { timeout: 30_000, interval: 100 },
      );
      expect(archived.every((caseNumber) => caseNumber !== undefined)).toBe(true);
      // The down archive's cases wait (in place, then in the retry topic): none failed, none archived.
      expect(toDown.flatMap((request) => harness.outcomesOf(request.submission.id))).toEqual([]);
    } finally {
      await halfDown.stop();
      adapter = await startServiceProcess("archive-adapter", adapterEnv());
      await waitUntilConsuming(adapter);
    }
  }, 90_000);

  it("keeps archiving into one archive while another is slow: the slow one holds only its own share", async () => {
    const slowAndFast = await startServiceProcess(
      "archive-adapter",
      adapterEnv({
        SIMULATOR_LATENCY_MS: "4000",
        SIMULATOR_MISBEHAVING_DESTINATIONS: "demo-archive-slow",
        CONSUMER_CONCURRENCY: "16",
        ARCHIVE_CONCURRENCY_PER_DESTINATION: "4",
      }),
    );
    await adapter.stop();
    try {
      await waitUntilConsuming(slowAndFast);
      const toSlow = Array.from({ length: 40 }, () => validated({ destinationId: "demo-archive-slow" }));
      const toFast = Array.from({ length: 40 }, () => validated());
      for (const request of [...toSlow, ...toFast]) await harness.publish(request, request.submission.id);
      // 40 slow cases at 4 s each, 4 at a time, take 40 s; the fast archive's cases do not wait for them.
      await vi.waitFor(
        () => {
          const done = toFast.filter((request) => harness.outcomesOf(request.submission.id).length > 0);
          if (done.length < toFast.length) throw new Error(`${done.length} of ${toFast.length} archived`);
        },
        { timeout: 15_000, interval: 100 },
      );
      const slowDone = toSlow.filter((request) => harness.outcomesOf(request.submission.id).length > 0);
      expect(slowDone.length).toBeLessThan(toSlow.length);
    } finally {
      await slowAndFast.stop("SIGKILL");
      adapter = await startServiceProcess("archive-adapter", adapterEnv());
      await waitUntilConsuming(adapter);
    }
  }, 90_000);

  it("goes down and comes back when an outage is declared and ended while it runs", async () => {
    const outages = new DeclaredOutages(harness.db);
    // A budget that outlasts the second it may take to see an outage end (declared outages are read at most once
    // a second), and a breaker that stays shut: this is about outages, not the breaker.
    const shortBudget = await startServiceProcess(
      "archive-adapter",
      adapterEnv({ ARCHIVE_RETRY_BUDGET_MS: "3000", CIRCUIT_FAILURE_THRESHOLD: "100" }),
    );
    await adapter.stop();
    try {
      await waitUntilConsuming(shortBudget);
      await outages.declare("demo-outage", 3_600_000, "planned maintenance");
      const during = validated({ destinationId: "demo-outage" });
      await harness.publish(during, during.submission.id);
      const { failed } = await outcomeOf(during.submission.id, 60_000);
      expect(failed).toMatchObject({ code: "archive-unavailable", retriable: true });
      expect(failed?.message).toContain("planned maintenance");

      expect(await outages.end("demo-outage")).toBe(1);
      const after = validated({ destinationId: "demo-outage" });
      await harness.publish(after, after.submission.id);
      expect((await outcomeOf(after.submission.id, 60_000)).completed?.caseNumber).toBeDefined();
    } finally {
      await shortBudget.stop();
      adapter = await startServiceProcess("archive-adapter", adapterEnv());
      await waitUntilConsuming(adapter);
    }
  }, 90_000);

  it("fails with the archive's message, retriable, once the retry budget is spent during an outage", async () => {
    const now = Date.now();
    const down = await startServiceProcess(
      "archive-adapter",
      adapterEnv({
        SIMULATOR_OUTAGES: `${new Date(now - 60_000).toISOString()}/${new Date(now + 3_600_000).toISOString()}`,
        ARCHIVE_RETRY_BUDGET_MS: "1500",
      }),
    );
    await adapter.stop();
    try {
      await waitUntilConsuming(down);
      const request = validated();
      await harness.publish(request, request.submission.id);
      const { failed } = await outcomeOf(request.submission.id, 60_000);
      expect(failed).toMatchObject({ code: "archive-unavailable", retriable: true, caseNumber: null });
      expect(failed?.message).toContain("outage");
      expect(failed?.attempts).toBeGreaterThan(1);
    } finally {
      await down.stop();
      adapter = await startServiceProcess("archive-adapter", adapterEnv());
      await waitUntilConsuming(adapter);
    }
  }, 90_000);
});
