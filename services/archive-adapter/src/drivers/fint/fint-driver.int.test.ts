import { createHash, randomUUID } from "node:crypto";
import type { Arkivsak } from "@flyt/schemas";
import { afterEach, describe, expect, it } from "vitest";
import {
  type FakeFintOptions,
  type FakeFintServer,
  startFakeFintServer,
} from "../../../test-support/fake-fint-server";
import type { ArchiveDriver } from "../archive-driver";
import { ArchiveRefusedError, ArchiveUnavailableError } from "../archive-errors";
import { createFintDriver, type FintDriverOptions } from "./fint-driver";
import { incomingLetter, landAcquisitionCase, pdfFile } from "./flyt-records.fixtures";

const started: FakeFintServer[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((fake) => fake.close()));
});

/** A fake FINT arkiv and a driver for it, sharing a clock the test can move forward. */
async function fintArchive(
  fakeOptions: FakeFintOptions = {},
  driverOptions: Partial<FintDriverOptions> & { clientCredentials?: boolean } = {},
) {
  const clock = { offsetMs: 0 };
  const fake = await startFakeFintServer({
    now: () => new Date(Date.now() + clock.offsetMs),
    ...fakeOptions,
  });
  started.push(fake);
  const { clientCredentials, ...overrides } = driverOptions;
  const driver = createFintDriver({
    baseUrl: fake.baseUrl,
    oauth: {
      tokenUrl: fake.tokenUrl,
      clientId: fake.credentials.clientId,
      clientSecret: fake.credentials.clientSecret,
      ...(clientCredentials
        ? {}
        : { username: fake.credentials.username, password: fake.credentials.password }),
      scope: "fint-client",
    },
    requestTimeoutMs: 2000,
    poll: { initialMs: 5, maxMs: 50, totalMs: 2000 },
    now: () => Date.now() + clock.offsetMs,
    ...overrides,
  });
  return { fake, driver, clock };
}

const externalId = () => `sub_${randomUUID()}`;
const year = new Date().getUTCFullYear();

function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the archive call to fail");
    },
    (error: unknown) => error,
  );
}

async function archiveOneCase(driver: ArchiveDriver, arkivsak: Arkivsak = landAcquisitionCase) {
  const submission = externalId();
  const archivedCase = await driver.createCase(arkivsak, submission);
  return { archivedCase, submission };
}

describe("the fint driver against a fake FINT arkiv", () => {
  it("creates a case, uploads a file with its Norwegian name, and adds a journal post: archive numbers", async () => {
    const { fake, driver } = await fintArchive();
    const submission = externalId();

    const archivedCase = await driver.createCase(landAcquisitionCase, submission);
    expect(archivedCase).toEqual({
      caseNumber: `${year}/1`,
      systemId: expect.any(String),
      arkivdel: landAcquisitionCase.arkivdel,
    });

    const content = Buffer.from("%PDF-1.7 søknad");
    const file = pdfFile({
      sizeBytes: content.length,
      sha256: createHash("sha256").update(content).digest("hex"),
    });
    const fileRef = await driver.uploadFile(file, content);
    const [stored] = fake.files();
    expect(stored).toMatchObject({
      filename: "søknad_æøå.pdf",
      contentType: "application/pdf",
      href: fileRef,
    });
    expect(stored?.content.equals(content)).toBe(true);

    const post = await driver.addJournalPost(
      archivedCase,
      incomingLetter(file),
      new Map([[file.fileId, fileRef]]),
      `${submission}/0`,
    );
    expect(post.number).toBe(`${year}/1-1`);
    const second = await driver.addJournalPost(
      archivedCase,
      incomingLetter(file),
      new Map([[file.fileId, fileRef]]),
      `${submission}/1`,
    );
    expect(second.number).toBe(`${year}/1-2`);

    const [journalPost] = fake.journalPosts();
    expect(journalPost?.resource).toMatchObject({
      tittel: "Søknad om grunnerverv",
      dokumentbeskrivelse: [{ dokumentobjekt: [{ _links: { referanseDokumentfil: [{ href: fileRef }] } }] }],
    });
    // Every write went 202 → status polled → 201 → read; every request carried a token the fake accepted.
    const protocol = fake.requests().map(({ method, path, status }) => `${method} ${path} ${status}`);
    expect(protocol.slice(0, 5)).toEqual([
      "POST /oauth/token 200",
      "POST /arkiv/noark/sak 202",
      expect.stringMatching(/^GET \/arkiv\/noark\/sak\/status\/\w+ 202$/),
      expect.stringMatching(/^GET \/arkiv\/noark\/sak\/status\/\w+ 201$/),
      `GET /arkiv/noark/sak/mappeid/${year}/1 200`,
    ]);
    expect(fake.requests().filter((request) => request.status === 401)).toEqual([]);
    expect(fake.tokensIssued()).toEqual(["password"]);
  });

  it("numbers cases per year, one after another", async () => {
    const { driver } = await fintArchive();
    const first = await archiveOneCase(driver);
    const second = await archiveOneCase(driver);
    expect([first.archivedCase.caseNumber, second.archivedCase.caseNumber]).toEqual([
      `${year}/1`,
      `${year}/2`,
    ]);
  });

  it("finds cases by search criteria, by number and by external id", async () => {
    const { driver } = await fintArchive();
    const { archivedCase, submission } = await archiveOneCase(driver);
    const other = await archiveOneCase(driver, {
      ...landAcquisitionCase,
      tittel: "Kari's sak",
      klassering: [{ ordningsprinsipp: "GBNR", ordningsverdi: "13/1", beskrivelse: null }],
    });

    expect(
      await driver.searchCases({
        arkivdel: "SAK",
        "klassering.ordningsprinsipp": "GBNR",
        "klassering.ordningsverdi": "12/4",
      }),
    ).toEqual([archivedCase]);
    expect(await driver.searchCases({ tittel: "Kari's sak" })).toEqual([other.archivedCase]);
    expect(await driver.searchCases({ tittel: "Kari's sak' or tittel eq 'x" })).toEqual([]);
    expect(await driver.searchCases({ arkivdel: "SAK" })).toHaveLength(2);

    expect(await driver.caseByNumber(archivedCase.caseNumber)).toEqual(archivedCase);
    expect(await driver.caseByNumber(`${year}/999`)).toBeUndefined();
    expect(await driver.caseByNumber("../../oauth/token")).toBeUndefined();

    expect(await driver.caseByExternalId(submission)).toEqual(archivedCase);
    expect(await driver.caseByExternalId(externalId())).toBeUndefined();
  });

  it("finds a journal post by its external id", async () => {
    const { driver } = await fintArchive();
    const { archivedCase, submission } = await archiveOneCase(driver);
    const file = pdfFile();
    const fileRef = await driver.uploadFile(file, Buffer.from("%PDF"));
    const post = await driver.addJournalPost(
      archivedCase,
      incomingLetter(file),
      new Map([[file.fileId, fileRef]]),
      `${submission}/0`,
    );
    expect(await driver.journalPostByExternalId(archivedCase, `${submission}/0`)).toEqual(post);
    expect(await driver.journalPostByExternalId(archivedCase, `${submission}/1`)).toBeUndefined();
  });

  it("follows a status that answers 303 See Other, as FINT does unless configured to answer 201", async () => {
    const { driver } = await fintArchive({ completedStatus: 303, pollsUntilComplete: 3 });
    expect((await archiveOneCase(driver)).archivedCase.caseNumber).toBe(`${year}/1`);
  });

  it("works with the client credentials grant too", async () => {
    const { fake, driver } = await fintArchive(
      { grants: ["client_credentials"] },
      { clientCredentials: true },
    );
    await archiveOneCase(driver);
    expect(fake.tokensIssued()).toEqual(["client_credentials"]);
  });
});

describe("the fint driver's tokens", () => {
  it("renews the token before it expires", async () => {
    const { fake, driver, clock } = await fintArchive({ tokenLifetimeSeconds: 600 });
    await archiveOneCase(driver);
    clock.offsetMs = 601_000;
    await archiveOneCase(driver);
    expect(fake.tokensIssued()).toHaveLength(2);
    expect(fake.requests().filter((request) => request.status === 401)).toEqual([]);
  });

  it("renews the token once when the archive no longer accepts it", async () => {
    const { fake, driver } = await fintArchive();
    await archiveOneCase(driver);
    fake.revokeTokens();
    const { archivedCase } = await archiveOneCase(driver);
    expect(archivedCase.caseNumber).toBe(`${year}/2`);
    expect(fake.tokensIssued()).toHaveLength(2);
    expect(fake.requests().filter((request) => request.status === 401)).toHaveLength(1);
  });

  it("reports credentials the token endpoint refuses as unavailable, not as refused content", async () => {
    const { fake } = await fintArchive();
    const driver = createFintDriver({
      baseUrl: fake.baseUrl,
      oauth: { ...fake.credentials, tokenUrl: fake.tokenUrl, password: "not the password" },
      requestTimeoutMs: 1000,
      poll: { initialMs: 5, maxMs: 50, totalMs: 500 },
    });
    const error = await failureOf(driver.createCase(landAcquisitionCase, externalId()));
    expect(error).toBeInstanceOf(ArchiveUnavailableError);
    expect(fake.cases()).toEqual([]);
  });
});

describe("the fint driver's failures", () => {
  it("reports 5xx as unavailable, and nothing was created", async () => {
    const { fake, driver } = await fintArchive();
    fake.inject({ method: "POST", path: "/arkiv/noark/sak", answer: { kind: "status", status: 503 } });
    const error = await failureOf(driver.createCase(landAcquisitionCase, externalId()));
    expect(error).toBeInstanceOf(ArchiveUnavailableError);
    expect(error).toMatchObject({ uncertain: false });
    expect(fake.cases()).toEqual([]);
  });

  it("reports a share of failing searches as unavailable while it lasts", async () => {
    const { fake, driver } = await fintArchive({ random: () => 0.2 });
    await archiveOneCase(driver);
    fake.inject({ path: "/arkiv/noark/sak/$query", share: 0.5, answer: { kind: "status", status: 502 } });
    await expect(driver.searchCases({ arkivdel: "SAK" })).rejects.toBeInstanceOf(ArchiveUnavailableError);
    await expect(driver.searchCases({ arkivdel: "SAK" })).rejects.toBeInstanceOf(ArchiveUnavailableError);
    fake.clearFailures();
    expect(await driver.searchCases({ arkivdel: "SAK" })).toHaveLength(1);
  });

  it("reports 429 as unavailable with the archive's Retry-After", async () => {
    const { fake, driver } = await fintArchive();
    fake.inject({
      path: "/arkiv/noark/sak/mappeid",
      answer: { kind: "status", status: 429, headers: { "retry-after": "3" } },
    });
    const error = await failureOf(driver.caseByNumber(`${year}/1`));
    expect(error).toBeInstanceOf(ArchiveUnavailableError);
    expect(error).toMatchObject({ retryAfterMs: 3000 });
  });

  it("reports a write that timed out as uncertain, and the case it made is found by external id", async () => {
    const { fake, driver } = await fintArchive({}, { requestTimeoutMs: 300 });
    const submission = externalId();
    fake.inject({
      method: "POST",
      path: "/arkiv/noark/sak",
      answer: { kind: "hang", afterProcessing: true },
    });
    const error = await failureOf(driver.createCase(landAcquisitionCase, submission));
    expect(error).toBeInstanceOf(ArchiveUnavailableError);
    expect(error).toMatchObject({ uncertain: true });
    expect(fake.cases()).toHaveLength(1);
    expect(await driver.caseByExternalId(submission)).toMatchObject({ caseNumber: `${year}/1` });
  });

  it("reports a slow read as unavailable but certain", async () => {
    const { fake, driver } = await fintArchive({}, { requestTimeoutMs: 200 });
    fake.inject({ method: "GET", path: "/arkiv/noark/sak/mappeid", answer: { kind: "delay", ms: 600 } });
    const error = await failureOf(driver.caseByNumber(`${year}/1`));
    expect(error).toBeInstanceOf(ArchiveUnavailableError);
    expect(error).toMatchObject({ uncertain: false });
  });

  it("answers a slow archive that is still within the timeout", async () => {
    const { fake, driver } = await fintArchive();
    fake.inject({ method: "POST", path: "/arkiv/noark/sak", answer: { kind: "delay", ms: 100 } });
    expect((await archiveOneCase(driver)).archivedCase.caseNumber).toBe(`${year}/1`);
  });

  it("reports the archive's validation as refused, with its text", async () => {
    const { fake, driver } = await fintArchive();
    const error = await failureOf(
      driver.createCase({ ...landAcquisitionCase, arkivdel: null }, externalId()),
    );
    expect(error).toBeInstanceOf(ArchiveRefusedError);
    expect(error).toMatchObject({
      archiveMessage: "Validering feilet; arkivdel: Arkivdel mangler",
      status: 400,
    });
    expect(fake.cases()).toEqual([]);
  });

  it("reports a 4xx answered at once as refused, with its text", async () => {
    const { fake, driver } = await fintArchive();
    const { archivedCase, submission } = await archiveOneCase(driver);
    fake.inject({
      method: "POST",
      path: "/arkiv/noark/dokumentfil",
      answer: { kind: "status", status: 415, body: { message: "Filformatet er ikke tillatt" } },
    });
    const error = await failureOf(driver.uploadFile(pdfFile(), Buffer.from("%PDF")));
    expect(error).toMatchObject({ archiveMessage: "Filformatet er ikke tillatt", status: 415 });
    const unknownFile = await failureOf(
      driver.addJournalPost(
        archivedCase,
        incomingLetter(),
        new Map([[pdfFile().fileId, `${fake.baseUrl}/arkiv/noark/dokumentfil/systemid/404`]]),
        `${submission}/0`,
      ),
    );
    expect(unknownFile).toBeInstanceOf(ArchiveRefusedError);
    expect((unknownFile as ArchiveRefusedError).archiveMessage).toContain("Dokumentfil finnes ikke");
  });

  it("reports a status URL that never completes as unavailable and uncertain, within the bound", async () => {
    const { fake, driver } = await fintArchive(
      {},
      { poll: { initialMs: 5, maxMs: 40, totalMs: 300 }, requestTimeoutMs: 500 },
    );
    fake.inject({ method: "POST", path: "/arkiv/noark/sak", answer: { kind: "status-never-completes" } });
    const startedAt = Date.now();
    const error = await failureOf(driver.createCase(landAcquisitionCase, externalId()));
    expect(Date.now() - startedAt).toBeLessThan(300 + 500 + 500);
    expect(error).toBeInstanceOf(ArchiveUnavailableError);
    expect(error).toMatchObject({ uncertain: true });
  });

  it("reports the archive failing an accepted write as unavailable and uncertain", async () => {
    const { fake, driver } = await fintArchive();
    fake.inject({
      method: "POST",
      path: "/arkiv/noark/sak",
      answer: { kind: "status-error", status: 500, message: "Elements svarte ikke" },
    });
    const error = await failureOf(driver.createCase(landAcquisitionCase, externalId()));
    expect(error).toBeInstanceOf(ArchiveUnavailableError);
    expect(error).toMatchObject({
      uncertain: true,
      message: expect.stringContaining("Elements svarte ikke"),
    });
  });

  it("reports an archive that cannot be reached as unavailable, and a write as certainly not done", async () => {
    const gone = await startFakeFintServer();
    await gone.close();
    const driver = createFintDriver({
      baseUrl: gone.baseUrl,
      oauth: { tokenUrl: gone.tokenUrl, clientId: "c", clientSecret: "s" },
      requestTimeoutMs: 1000,
      poll: { initialMs: 5, maxMs: 50, totalMs: 500 },
    });
    const error = await failureOf(driver.createCase(landAcquisitionCase, externalId()));
    expect(error).toBeInstanceOf(ArchiveUnavailableError);
    expect(error).toMatchObject({ uncertain: false });
  });
});
