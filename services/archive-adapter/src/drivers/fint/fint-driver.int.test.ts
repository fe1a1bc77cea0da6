import { createHash, randomUUID } from "node:crypto";
import { PermanentError } from "@flyt/errors";
import type { Arkivsak } from "@flyt/schemas";
import { afterEach, describe, expect, it } from "vitest";
import {
  type FakeFintOptions,
  type FakeFintServer,
  startFakeFintServer,
} from "../../../test-support/fake-fint-server";
import type { ArchiveDriver, SentWrite } from "../archive-driver";
import { ArchiveRefusedError, ArchiveUnavailableError, UnrecognisedWriteError } from "../archive-errors";
import type { CodeToCheck } from "../destination-check";
import { createFintDriver, type FintDriverOptions } from "./fint-driver";
import { incomingLetter, landAcquisitionCase, pdfFile } from "./flyt-records.fixtures";

const started: FakeFintServer[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((fake) => fake.close()));
});

/** A fake FINT arkiv and a driver for it (the same adapter unless told), sharing a clock the test can move. */
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
    ...(fakeOptions.adapter ? { adapter: fakeOptions.adapter } : {}),
    ...(fakeOptions.consumer ? { consumer: fakeOptions.consumer } : {}),
    ...overrides,
  });
  return { fake, driver, clock };
}

const externalId = () => `sub_${randomUUID()}`;
const year = new Date().getUTCFullYear();
const yy = String(year % 100).padStart(2, "0");
/** The first case number each archive gives in a year. */
const firstCase = { P360: `${yy}/00001`, ELEMENTS: `${year}/1` } as const;

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

const sentAt = (at: Date, marker?: string): SentWrite => ({
  firstSentAt: at,
  lastSentAt: at,
  sends: 1,
  ...(marker === undefined ? {} : { marker }),
});

/** What the fake archive holds of its first case (or journal post), failing the test when it holds none. */
function held<T extends { resource: Readonly<Record<string, unknown>> }>(stored: T | undefined) {
  if (!stored) throw new Error("the archive holds nothing");
  return stored.resource as Record<string, unknown> & { _links: Record<string, unknown> };
}

const writes = (fake: FakeFintServer, method: string, path: string) =>
  fake.requests().filter((request) => request.method === method && request.path === path).length;

describe.each(["P360", "ELEMENTS"] as const)(
  "the fint driver against a fake FINT arkiv with %s",
  (adapter) => {
    it("creates a case, uploads a file and adds journal posts: the archive's numbers and its own code links", async () => {
      const { fake, driver } = await fintArchive({ adapter });
      const submission = externalId();

      const archivedCase = await driver.createCase(landAcquisitionCase, submission);
      expect(archivedCase).toEqual({
        caseNumber: firstCase[adapter],
        systemId: expect.any(String),
        arkivdel: adapter === "P360" ? "60005" : "SAK",
      });
      const [stored] = fake.cases();
      const links = stored?.resource._links as Record<string, { href: string }[]>;
      expect(links.arkivdel).toEqual([
        { href: fake.codeHref("arkivdel", adapter === "P360" ? "60005" : "SAK") },
      ]);
      expect(links.saksmappetype).toEqual([
        { href: fake.codeHref("saksmappetype", adapter === "P360" ? "500" : "SAK") },
      ]);
      expect(stored?.resource).not.toHaveProperty(
        "noekkelord",
        expect.arrayContaining([expect.stringMatching(/flyt/)]),
      );

      const content = Buffer.from("%PDF-1.7 søknad");
      const file = pdfFile({
        sizeBytes: content.length,
        sha256: createHash("sha256").update(content).digest("hex"),
      });
      const fileRef = await driver.uploadFile(file, content);
      expect(fake.files()[0]).toMatchObject({
        filename: "søknad_æøå.pdf",
        contentType: "application/pdf",
        href: fileRef,
      });

      const files = new Map([[file.fileId, fileRef]]);
      const post = await driver.addJournalPost(archivedCase, incomingLetter(file), files, `${submission}/0`);
      expect(post.number).toBe(`${firstCase[adapter]}-1`);
      const second = await driver.addJournalPost(
        archivedCase,
        incomingLetter(file),
        files,
        `${submission}/1`,
      );
      expect(second.number).toBe(`${firstCase[adapter]}-2`);

      const [put] = fake.requests().filter((request) => request.method === "PUT");
      expect(JSON.parse(put?.body ?? "{}").journalpost[0]._links.journalposttype).toEqual([
        { href: fake.codeHref("journalposttype", adapter === "P360" ? "110" : "I") },
      ]);
      const [journalPost] = fake.journalPosts();
      expect(journalPost?.resource).toMatchObject({
        tittel: "Søknad om grunnerverv",
        // Public 360 answers the type by its code.
        _links: { journalposttype: [{ href: fake.codeHref("journalposttype", "I") }] },
        dokumentbeskrivelse: [
          {
            dokumentobjekt: [
              {
                _links: {
                  referanseDokumentfil: [{ href: fileRef }],
                  filformat: [{ href: fake.codeHref("format", adapter === "P360" ? "201" : "RA-PDF") }],
                  variantFormat: [{ href: fake.codeHref("variantformat", adapter === "P360" ? "1" : "P") }],
                },
              },
            ],
          },
        ],
      });
      expect(fake.requests().filter((request) => request.status === 401)).toEqual([]);
      expect(fake.tokensIssued()).toEqual(["password"]);
    });

    it("reads a case by its number as the archive writes it, and nothing else as a number", async () => {
      const { driver } = await fintArchive({ adapter });
      const { archivedCase } = await archiveOneCase(driver);
      expect(await driver.caseByNumber(firstCase[adapter])).toEqual(archivedCase);
      expect(await driver.caseByNumber(adapter === "P360" ? `${yy}/00999` : `${year}/999`)).toBeUndefined();
      expect(await driver.caseByNumber("../../oauth/token")).toBeUndefined();
    });

    it("tells whether a case is in archive sections named as the configuration names them", async () => {
      const { fake, driver } = await fintArchive({ adapter });
      const { archivedCase } = await archiveOneCase(driver);
      const arkivdel = archivedCase.arkivdel ?? "";
      expect(await driver.inSections?.({ ...archivedCase, arkivdel }, ["SAK"])).toBe(true);
      expect(
        await driver.inSections?.({ ...archivedCase, arkivdel }, [fake.codeHref("arkivdel", arkivdel)]),
      ).toBe(true);
      expect(await driver.inSections?.({ ...archivedCase, arkivdel }, ["EIENDOM", "UKJENT"])).toBe(false);
    });

    it("searches with the archive's system ids, and finds nothing as nothing", async () => {
      const { fake, driver } = await fintArchive({ adapter });
      const { archivedCase } = await archiveOneCase(driver);
      await archiveOneCase(driver, {
        ...landAcquisitionCase,
        tittel: "Kari sin sak",
        klassering: [{ ordningsprinsipp: "GBNR", ordningsverdi: "13/1", beskrivelse: null }],
      });
      const criteria = {
        arkivdel: "SAK",
        "klassering.ordningsprinsipp": "GBNR",
        "klassering.ordningsverdi": "12/4",
      };
      expect(await driver.searchCases(criteria)).toEqual([archivedCase]);
      const [filter] = fake.requests().filter((request) => request.path === "/arkiv/noark/sak/$query");
      expect(filter?.body).toBe(
        adapter === "P360"
          ? "arkivdel eq '60005' and klassifikasjon/primar/ordning eq '1' and klassifikasjon/primar/verdi eq '12/4'"
          : "arkivdel eq 'SAK' and klassifikasjon/primar/ordning eq 'GBNR' and klassifikasjon/primar/verdi eq '12/4'",
      );
      expect(await driver.searchCases({ arkivdel: "SAK" })).toHaveLength(2);
      expect(await driver.searchCases({ tittel: "Ingen slik sak" })).toEqual([]);
    });

    it("refuses a search it cannot send, without sending it", async () => {
      const { fake, driver } = await fintArchive({ adapter });
      await expect(driver.searchCases({ tittel: "Kari's sak" })).rejects.toBeInstanceOf(ArchiveRefusedError);
      const other = adapter === "P360" ? { administrativEnhet: "215" } : { saksstatus: "B" };
      await expect(driver.searchCases(other)).rejects.toBeInstanceOf(ArchiveRefusedError);
      expect(writes(fake, "POST", "/arkiv/noark/sak/$query")).toBe(0);
    });

    it("refuses a code the archive does not know, or knows twice, naming field and value, before writing", async () => {
      const { fake, driver } = await fintArchive({ adapter });
      const unknown = await failureOf(
        driver.createCase({ ...landAcquisitionCase, saksstatus: "Q" }, externalId()),
      );
      expect(unknown).toBeInstanceOf(ArchiveRefusedError);
      expect((unknown as ArchiveRefusedError).archiveMessage).toContain('the archive has no saksstatus "Q"');
      expect(writes(fake, "POST", "/arkiv/noark/sak")).toBe(0);

      const twice = await fintArchive({ adapter });
      // An archive section titled like another's id (Public 360: two sections with one code).
      twice.fake.addCode("arkivdel", { systemId: "60007", tittel: "SAK" });
      const error = await failureOf(twice.driver.createCase(landAcquisitionCase, externalId()));
      expect((error as ArchiveRefusedError).archiveMessage).toContain('arkivdel "SAK" names several entries');
      expect(writes(twice.fake, "POST", "/arkiv/noark/sak")).toBe(0);
    });

    it("writes a file format for each MIME type from the destination's mapping over the Noark defaults", async () => {
      const { fake, driver } = await fintArchive(
        { adapter },
        {
          fileFormats: { "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX" },
        },
      );
      const { archivedCase, submission } = await archiveOneCase(driver);
      const docx = pdfFile({
        fileId: "file_docx",
        filename: "kontrakt.docx",
        mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      });
      const ref = await driver.uploadFile(docx, Buffer.from("PK"));
      await driver.addJournalPost(
        archivedCase,
        incomingLetter(docx),
        new Map([[docx.fileId, ref]]),
        `${submission}/0`,
      );
      const [description] = held(fake.journalPosts()[0]).dokumentbeskrivelse as {
        dokumentobjekt: { _links: unknown }[];
      }[];
      const object = description?.dokumentobjekt[0];
      expect(object?._links).toMatchObject({
        filformat: [{ href: fake.codeHref("format", adapter === "P360" ? "203" : "DOCX") }],
      });

      const odt = pdfFile({ fileId: "file_odt", mimeType: "application/vnd.oasis.opendocument.text" });
      const error = await failureOf(
        driver.addJournalPost(
          archivedCase,
          incomingLetter(odt),
          new Map([[odt.fileId, ref]]),
          `${submission}/1`,
        ),
      );
      expect(error).toBeInstanceOf(PermanentError);
      expect((error as Error).message).toContain(
        "no file format is configured for application/vnd.oasis.opendocument.text",
      );
    });

    it("links screening to the legal basis's code resource", async () => {
      const { fake, driver } = await fintArchive({ adapter });
      await archiveOneCase(driver);
      const skjerming = fake.cases()[0]?.resource.skjerming as { _links: Record<string, { href: string }[]> };
      expect(skjerming._links.skjermingshjemmel).toEqual([
        { href: fake.codeHref("skjermingshjemmel", adapter === "P360" ? "400" : "offl.13.fvl.13") },
      ]);
    });
  },
);

describe("the fint driver's code lists", () => {
  const listReads = (fake: FakeFintServer, path: string) =>
    fake.requests().filter((request) => request.method === "GET" && request.path === `/${path}`).length;

  it("reads each list once while it is fresh, again after the refresh interval, and at once on a miss", async () => {
    const { fake, driver, clock } = await fintArchive({ adapter: "P360" }, { codeListRefreshMs: 60_000 });
    await archiveOneCase(driver);
    await archiveOneCase(driver);
    expect(listReads(fake, "arkiv/noark/arkivdel")).toBe(1);
    clock.offsetMs = 61_000;
    await archiveOneCase(driver);
    expect(listReads(fake, "arkiv/noark/arkivdel")).toBe(2);
    // A code added in the archive since: found by reading the list again, not refused.
    fake.addCode("saksstatus", { systemId: "19", kode: "R", navn: "Reservert" });
    clock.offsetMs = 80_000;
    await archiveOneCase(driver, { ...landAcquisitionCase, saksstatus: "R" });
    expect(listReads(fake, "arkiv/kodeverk/saksstatus")).toBe(3);
  });

  it("links Public 360's case officers by their numeric id, and refuses another id before writing", async () => {
    const { fake, driver } = await fintArchive({ adapter: "P360" });
    await archiveOneCase(driver);
    expect(held(fake.cases()[0])._links.saksansvarlig).toEqual([
      { href: `${fake.baseUrl}/arkiv/noark/arkivressurs/systemid/10023` },
    ]);
    const byInitials = await failureOf(
      driver.createCase({ ...landAcquisitionCase, saksansvarlig: "KNO" }, externalId()),
    );
    expect((byInitials as ArchiveRefusedError).archiveMessage).toContain("numeric id");
    const unit = await failureOf(
      driver.createCase(
        {
          ...landAcquisitionCase,
          administrativEnhet: `${fake.baseUrl}/arkiv/noark/administrativenhet/systemid/ØKO`,
        },
        externalId(),
      ),
    );
    expect((unit as ArchiveRefusedError).archiveMessage).toContain(
      "Public 360 takes administrativEnhet only by its numeric id",
    );
    expect(writes(fake, "POST", "/arkiv/noark/sak")).toBe(1);
  });

  it("finds Elements' case officers by initials in its list of people", async () => {
    const { fake, driver } = await fintArchive({ adapter: "ELEMENTS" });
    await archiveOneCase(driver, { ...landAcquisitionCase, saksansvarlig: "KNO" });
    expect(held(fake.cases()[0])._links.saksansvarlig).toEqual([
      { href: fake.codeHref("arkivressurs", "10023") },
    ]);
  });
});

/** The land acquisition case titled as FINT's search can hold it (no en dash). */
const searchableCase: Arkivsak = { ...landAcquisitionCase, tittel: "Grunnerverv gnr 12 bnr 4 Fv. 5070" };

/** A ledger in which these case or journal post numbers are other submissions'. */
const othersWrote =
  (...numbers: string[]) =>
  async (asked: readonly string[]) =>
    new Set(asked.filter((number) => numbers.includes(number)));

describe("the fint driver finds its own earlier writes as FINT's adapters allow", () => {
  it("recognises a case create whose answer was lost by what was sent and when", async () => {
    const { fake, driver } = await fintArchive({ adapter: "P360" }, { requestTimeoutMs: 300 });
    const submission = externalId();
    const before = new Date();
    fake.inject({
      method: "POST",
      path: "/arkiv/noark/sak",
      answer: { kind: "hang", afterProcessing: true },
    });
    const error = await failureOf(driver.createCase(searchableCase, submission));
    expect(error).toMatchObject({ uncertain: true });
    expect(fake.cases()).toHaveLength(1);

    // An archivist's case from before with the same title, and another section's: neither is taken.
    fake.seedCase({
      tittel: searchableCase.tittel,
      arkivdel: "60005",
      klasse: "12/4",
      createdAt: new Date(before.getTime() - 3_600_000),
    });
    fake.seedCase({ tittel: searchableCase.tittel, arkivdel: "60006", klasse: "12/4" });
    const found = await driver.caseByExternalId(submission, {
      arkivsak: searchableCase,
      sent: sentAt(before),
    });
    expect(found?.caseNumber).toBe(firstCase.P360);
    const [query] = fake.requests().filter((request) => request.path === "/arkiv/noark/sak/$query");
    expect(query?.body).toBe(
      "tittel eq 'Grunnerverv gnr 12 bnr 4 Fv. 5070' and arkivdel eq '60005' and klassifikasjon/primar/verdi eq '12/4'",
    );
  });

  it("refuses to guess when the title cannot be searched: an archivist is told what to look for", async () => {
    const { fake, driver } = await fintArchive({ adapter: "P360" });
    await archiveOneCase(driver, landAcquisitionCase);
    const error = await failureOf(
      driver.caseByExternalId(externalId(), { arkivsak: landAcquisitionCase, sent: sentAt(new Date()) }),
    );
    expect(error).toBeInstanceOf(UnrecognisedWriteError);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(/cannot search by the case's title/);
    expect((error as Error).message).toMatch(/An archivist must look in arkivdel SAK .* made between/);
    expect(fake.requests().filter((request) => request.path === "/arkiv/noark/sak/$query")).toEqual([]);
  });

  it("never takes a case the ledger records as another submission's", async () => {
    const { driver } = await fintArchive({ adapter: "ELEMENTS" });
    const before = new Date();
    const others = await driver.createCase(searchableCase, externalId());
    const ours = await driver.createCase(searchableCase, externalId());
    const earlier = { arkivsak: searchableCase, sent: sentAt(before) };
    expect(await failureOf(driver.caseByExternalId(externalId(), earlier))).toBeInstanceOf(
      UnrecognisedWriteError,
    );
    const found = await driver.caseByExternalId(externalId(), {
      ...earlier,
      writtenByOthers: othersWrote(others.caseNumber),
    });
    expect(found?.caseNumber).toBe(ours.caseNumber);
  });

  it("never takes a case made after FINT's status window had closed on the send", async () => {
    const { fake, driver, clock } = await fintArchive({ adapter: "ELEMENTS" });
    const sent = sentAt(new Date());
    // Two hours later an archivist makes a case just like it by hand.
    clock.offsetMs = 2 * 3_600_000;
    fake.seedCase({ tittel: searchableCase.tittel, arkivdel: "SAK", klasse: "12/4" });
    expect(await driver.caseByExternalId(externalId(), { arkivsak: searchableCase, sent })).toBeUndefined();
  });

  it("never takes a case with another responsible than the one sent", async () => {
    const { fake, driver } = await fintArchive({ adapter: "P360" });
    const before = new Date();
    fake.seedCase({
      tittel: searchableCase.tittel,
      arkivdel: "60005",
      klasse: "12/4",
      saksansvarlig: "10099",
    });
    const earlier = { arkivsak: searchableCase, sent: sentAt(before) };
    // Not it: FINT may still pass the create on, so it waits.
    expect(await failureOf(driver.caseByExternalId(externalId(), earlier))).toBeInstanceOf(
      ArchiveUnavailableError,
    );
    const same = fake.seedCase({
      tittel: searchableCase.tittel,
      arkivdel: "60005",
      klasse: "12/4",
      saksansvarlig: "10023",
    });
    expect((await driver.caseByExternalId(externalId(), earlier))?.caseNumber).toBe(same.caseNumber);
  });

  it("recognises a case sent without a responsible or unit that the archive filled in with its own", async () => {
    const { fake, driver } = await fintArchive(
      { adapter: "P360", caseDefaults: { saksansvarlig: "10077", administrativEnhet: "216" } },
      { requestTimeoutMs: 300 },
    );
    const unassigned: Arkivsak = { ...searchableCase, saksansvarlig: null, administrativEnhet: null };
    const before = new Date();
    fake.inject({
      method: "POST",
      path: "/arkiv/noark/sak",
      answer: { kind: "hang", afterProcessing: true },
    });
    await failureOf(driver.createCase(unassigned, externalId()));
    expect(held(fake.cases()[0])._links.saksansvarlig).toEqual([
      { href: fake.codeHref("arkivressurs", "10077") },
    ]);
    const found = await driver.caseByExternalId(externalId(), { arkivsak: unassigned, sent: sentAt(before) });
    expect(found?.caseNumber).toBe(firstCase.P360);
  });

  it("asks an archivist rather than guess between several cases like it", async () => {
    const { fake, driver } = await fintArchive({ adapter: "ELEMENTS" });
    const before = new Date();
    await archiveOneCase(driver, searchableCase);
    fake.seedCase({ tittel: searchableCase.tittel, arkivdel: "SAK", klasse: "12/4" });
    const error = await failureOf(
      driver.caseByExternalId(externalId(), { arkivsak: searchableCase, sent: sentAt(before) }),
    );
    expect(error).toBeInstanceOf(UnrecognisedWriteError);
    expect((error as Error).message).toContain("an archivist must decide");
  });

  it("waits while FINT may still pass a lost create on, and lets it be sent again after its status window", async () => {
    const { driver, clock } = await fintArchive({ adapter: "ELEMENTS" }, { statusWindowMs: 30 * 60_000 });
    const sent = sentAt(new Date());
    const waiting = await failureOf(
      driver.caseByExternalId(externalId(), { arkivsak: searchableCase, sent }),
    );
    expect(waiting).toBeInstanceOf(ArchiveUnavailableError);
    expect((waiting as ArchiveUnavailableError).retryAfterMs).toBeGreaterThan(29 * 60_000);
    clock.offsetMs = 30 * 60_000 + 1_000;
    expect(await driver.caseByExternalId(externalId(), { arkivsak: searchableCase, sent })).toBeUndefined();
  });

  it("does not wait for a create the archive answered as failed, once it is not found", async () => {
    const { driver } = await fintArchive({ adapter: "ELEMENTS" });
    const sent = { ...sentAt(new Date()), answeredFailed: true };
    expect(await driver.caseByExternalId(externalId(), { arkivsak: searchableCase, sent })).toBeUndefined();
  });

  it("looks for nothing when nothing was recorded as sent", async () => {
    const { fake, driver } = await fintArchive();
    expect(await driver.caseByExternalId(externalId(), { arkivsak: landAcquisitionCase })).toBeUndefined();
    expect(await driver.caseByExternalId(externalId())).toBeUndefined();
    expect(fake.requests()).toEqual([]);
  });

  it("recognises a journal post whose answer was lost: newer than the number recorded before it was sent", async () => {
    const { fake, driver, clock } = await fintArchive({ adapter: "P360" }, { requestTimeoutMs: 300 });
    const { archivedCase, submission } = await archiveOneCase(driver);
    const file = pdfFile();
    const files = new Map([[file.fileId, await driver.uploadFile(file, Buffer.from("%PDF"))]]);
    await driver.addJournalPost(archivedCase, incomingLetter(file), files, `${submission}/0`);

    const markers: string[] = [];
    const before = new Date();
    fake.inject({
      method: "PUT",
      path: "/arkiv/noark/sak/mappeid/",
      answer: { kind: "hang", afterProcessing: true },
    });
    const error = await failureOf(
      driver.addJournalPost(
        archivedCase,
        incomingLetter(file),
        files,
        `${submission}/1`,
        undefined,
        async (marker) => {
          markers.push(marker);
        },
      ),
    );
    expect(error).toMatchObject({ uncertain: true });
    expect(markers).toEqual(["1"]);
    const earlier = { post: incomingLetter(file), sent: sentAt(before, "1") };
    expect(await driver.journalPostByExternalId(archivedCase, `${submission}/1`, earlier)).toEqual({
      systemId: `${firstCase.P360}-2`,
      number: `${firstCase.P360}-2`,
    });
    // Recorded before the first post: both look like it.
    const ambiguous = await failureOf(
      driver.journalPostByExternalId(archivedCase, `${submission}/1`, {
        ...earlier,
        sent: sentAt(before, "0"),
      }),
    );
    expect(ambiguous).toBeInstanceOf(UnrecognisedWriteError);
    // Recorded after both: none yet, so wait out FINT's window, then it may be sent again.
    const none = { ...earlier, sent: sentAt(before, "2") };
    await expect(
      driver.journalPostByExternalId(archivedCase, `${submission}/1`, none),
    ).rejects.toBeInstanceOf(ArchiveUnavailableError);
    clock.offsetMs = 31 * 60_000;
    expect(await driver.journalPostByExternalId(archivedCase, `${submission}/1`, none)).toBeUndefined();
  });

  it("never takes a journal post the ledger records as another submission's, nor one of another type", async () => {
    const { fake, driver } = await fintArchive({ adapter: "ELEMENTS" });
    const { archivedCase, submission } = await archiveOneCase(driver);
    const file = pdfFile();
    const files = new Map([[file.fileId, await driver.uploadFile(file, Buffer.from("%PDF"))]]);
    const before = new Date();
    const others = await driver.addJournalPost(archivedCase, incomingLetter(file), files, externalId());
    const outgoing = { ...incomingLetter(file), journalposttype: "U" as const };
    await driver.addJournalPost(archivedCase, outgoing, files, externalId());
    const earlier = { post: incomingLetter(file), sent: sentAt(before, "0") };
    // The other submission's is the only incoming letter above the marker: not ours, and still maybe coming.
    await expect(
      driver.journalPostByExternalId(archivedCase, `${submission}/0`, {
        ...earlier,
        writtenByOthers: othersWrote(others.number),
      }),
    ).rejects.toBeInstanceOf(ArchiveUnavailableError);
    const ours = await driver.addJournalPost(archivedCase, incomingLetter(file), files, externalId());
    expect(
      await driver.journalPostByExternalId(archivedCase, `${submission}/0`, {
        ...earlier,
        writtenByOthers: othersWrote(others.number),
      }),
    ).toEqual(ours);
    expect(fake.journalPosts()).toHaveLength(3);
  });

  it("recognises a journal post an older adapter sent without a marker by the time it was made", async () => {
    const { driver, clock } = await fintArchive({ adapter: "ELEMENTS" });
    const { archivedCase, submission } = await archiveOneCase(driver);
    const file = pdfFile();
    const files = new Map([[file.fileId, await driver.uploadFile(file, Buffer.from("%PDF"))]]);
    // The same letter added by hand a day before: outside the window of the send.
    await driver.addJournalPost(archivedCase, incomingLetter(file), files, externalId());
    clock.offsetMs = 24 * 3_600_000;
    const before = new Date(Date.now() + clock.offsetMs);
    const ours = await driver.addJournalPost(archivedCase, incomingLetter(file), files, externalId());
    expect(
      await driver.journalPostByExternalId(archivedCase, `${submission}/0`, {
        post: incomingLetter(file),
        sent: sentAt(before),
      }),
    ).toEqual(ours);
  });

  it("tells a status that expired (410) from a write the archive failed or refused as conflicting", async () => {
    const { fake, driver, clock } = await fintArchive(
      { statusExpiresAfterMs: 60_000 },
      { requestTimeoutMs: 500 },
    );
    const accepted: string[] = [];
    fake.inject({ method: "POST", path: "/arkiv/noark/sak", answer: { kind: "status-never-completes" } });
    await failureOf(
      driver.createCase(landAcquisitionCase, externalId(), async (url) => {
        accepted.push(url);
      }),
    );
    clock.offsetMs = 61_000;
    expect(await driver.finishCaseCreate?.(accepted[0] ?? "")).toBe("unknown");

    for (const answer of [
      { kind: "status-error", status: 500, message: "Elements svarte ikke" },
      { kind: "status-conflict" },
    ] as const) {
      fake.inject({ method: "POST", path: "/arkiv/noark/sak", answer });
      await failureOf(
        driver.createCase(landAcquisitionCase, externalId(), async (url) => {
          accepted.push(url);
        }),
      );
      expect(await driver.finishCaseCreate?.(accepted.at(-1) ?? "")).toBe("failed");
    }
  });
});

describe("the fint driver and FINT's consumers", () => {
  it("follows a status that answers 303 See Other, as the classic consumer does unless configured for 201", async () => {
    const { driver } = await fintArchive({ completedStatus: 303, pollsUntilComplete: 3 });
    expect((await archiveOneCase(driver)).archivedCase.caseNumber).toBe(firstCase.ELEMENTS);
  });

  it("works with the core consumer: 201 only, and its 400 for a search it cannot take", async () => {
    const { fake, driver } = await fintArchive({ consumer: "core", adapter: "P360" });
    expect((await archiveOneCase(driver)).archivedCase.caseNumber).toBe(firstCase.P360);
    fake.inject({
      path: "/arkiv/noark/sak/$query",
      answer: { kind: "status", status: 400, body: "Invalid OData filter" },
    });
    await expect(driver.searchCases({ tittel: "A" })).rejects.toBeInstanceOf(ArchiveRefusedError);
  });

  it("takes the classic consumer's 500 for a search the adapter cannot take as permanent, not a passing trouble", async () => {
    // Configured as Elements, the archive is Public 360: it fails the search by administrativenhet every time.
    const { fake, driver } = await fintArchive({ adapter: "P360" }, { adapter: "ELEMENTS" });
    const error = await failureOf(driver.searchCases({ administrativEnhet: "215" }));
    expect(error).toBeInstanceOf(ArchiveRefusedError);
    expect((error as ArchiveRefusedError).archiveMessage).toContain(
      "OData property administrativenhet is not supported",
    );
    expect(fake.requests().at(-1)?.status).toBe(500);
  });

  it("reports a conflict answered at the status URL as refused", async () => {
    const { fake, driver } = await fintArchive();
    fake.inject({ method: "POST", path: "/arkiv/noark/sak", answer: { kind: "status-conflict" } });
    const error = await failureOf(driver.createCase(landAcquisitionCase, externalId()));
    expect(error).toBeInstanceOf(ArchiveRefusedError);
    expect(error).toMatchObject({ status: 409 });
    // The body is what the archive holds: none of it is passed on.
    expect((error as ArchiveRefusedError).archiveMessage).not.toContain("Grunnerverv");
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

  it("takes a code list FINT answers empty (its cache still filling) as unavailable, and writes once it is filled", async () => {
    const { fake, driver, clock } = await fintArchive({ adapter: "ELEMENTS" });
    const empty = { _embedded: { _entries: [] }, total_items: 0, size: 0, offset: 0 };
    fake.inject({
      method: "GET",
      path: "/arkiv/noark/arkivdel",
      answer: { kind: "status", status: 200, body: empty },
    });
    const error = await failureOf(driver.createCase(landAcquisitionCase, externalId()));
    expect(error).toBeInstanceOf(ArchiveUnavailableError);
    expect((error as Error).message).toContain("/arkiv/noark/arkivdel has no entries");
    expect(fake.cases()).toEqual([]);
    clock.offsetMs += 11_000;
    await archiveOneCase(driver);
    expect(fake.cases()).toHaveLength(1);
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

  it("reports a status URL that never completes as unavailable and uncertain, once its polling bound is spent", async () => {
    // The driver's own clock, moved only by its waits: what it does within the bound is told by its polls.
    let virtualMs = Date.now();
    const waits: number[] = [];
    const { fake, driver } = await fintArchive(
      {},
      {
        poll: { initialMs: 5, maxMs: 40, totalMs: 300 },
        now: () => virtualMs,
        sleep: async (ms) => {
          waits.push(ms);
          virtualMs += ms;
        },
      },
    );
    fake.inject({ method: "POST", path: "/arkiv/noark/sak", answer: { kind: "status-never-completes" } });
    const error = await failureOf(driver.createCase(landAcquisitionCase, externalId()));
    expect(error).toBeInstanceOf(ArchiveUnavailableError);
    expect(error).toMatchObject({ uncertain: true });
    // Backoff doubling up to its maximum, the last wait cut to what is left of the bound, then no more polls.
    expect(waits).toEqual([5, 10, 20, 40, 40, 40, 40, 40, 40, 25]);
    const polls = fake.requests().filter((request) => request.path.startsWith("/arkiv/noark/sak/status/"));
    expect(polls).toHaveLength(waits.length);
    expect(polls.every((poll) => poll.status === 202)).toBe(true);
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

describe("the fint driver's connection check", () => {
  const used = (field: CodeToCheck["field"], value: string): CodeToCheck => ({
    field,
    value,
    usedBy: ["egrunnerverv-sak"],
  });

  it("reaches the API, gets a token, reads the code lists and finds every configured value once", async () => {
    const { fake, driver } = await fintArchive({ adapter: "P360" });
    const check = await driver.check?.([
      used("arkivdel", "SAK"),
      used("journalstatus", "J"),
      used("skjermingshjemmel", "offl.13.fvl.13"),
      used("saksansvarlig", "10023"),
      used("klassifikasjonssystem", "GBNR"),
      used("mimeType", "application/pdf"),
      used("tilgangsgruppe", fake.codeHref("tilgangsgruppe", "600")),
    ]);
    expect(check?.steps.map(({ step, ok }) => [step, ok])).toEqual([
      ["reach", true],
      ["authenticate", true],
      ["code-lists", true],
      ["codes", true],
    ]);
    expect(check?.unknownCodes).toEqual([]);
    // It only reads.
    expect(
      fake.requests().filter((request) => request.method !== "GET" && request.path !== "/oauth/token"),
    ).toEqual([]);
  });

  it("reports each value the archive does not know, or knows twice, in words an archivist can act on", async () => {
    const { fake, driver } = await fintArchive({ adapter: "P360" });
    fake.addCode("arkivdel", { systemId: "60007", tittel: "SAK" });
    const check = await driver.check?.([
      used("arkivdel", "SAK"),
      used("journalstatus", "Q"),
      used("administrativEnhet", "ØKO"),
      used("tilgangsgruppe", `${fake.baseUrl}/arkiv/kodeverk/tilgangsgruppe/systemid/999`),
      used("mimeType", "application/vnd.oasis.opendocument.text"),
      used("saksmappetype", "SAK"),
    ]);
    expect(check?.steps.at(-1)).toMatchObject({ step: "codes", ok: false });
    expect(check?.unknownCodes.map(({ field, value, why }) => [field, value, why])).toEqual([
      [
        "arkivdel",
        "SAK",
        expect.stringContaining("names several entries of /arkiv/noark/arkivdel (system ids 60005, 60007)"),
      ],
      ["journalstatus", "Q", expect.stringContaining('the archive has no journalstatus "Q"')],
      ["administrativEnhet", "ØKO", expect.stringContaining('the archive has no administrativEnhet "ØKO"')],
      ["tilgangsgruppe", expect.any(String), expect.stringContaining("the archive has no tilgangsgruppe")],
      [
        "mimeType",
        "application/vnd.oasis.opendocument.text",
        expect.stringContaining("no file format is configured"),
      ],
    ]);
    expect(check?.unknownCodes[0]?.usedBy).toEqual(["egrunnerverv-sak"]);
  });

  it("reports the destination's own codes the archive lacks", async () => {
    const { driver } = await fintArchive({ adapter: "ELEMENTS" }, { variantFormat: "Q" });
    const check = await driver.check?.([]);
    expect(check?.steps.at(-1)).toMatchObject({
      step: "codes",
      ok: false,
      detail: expect.stringContaining(`the destination's variantFormat "Q"`),
    });
  });

  it("stops at credentials the identity provider refuses", async () => {
    const { fake } = await fintArchive();
    const driver = createFintDriver({
      baseUrl: fake.baseUrl,
      oauth: { ...fake.credentials, tokenUrl: fake.tokenUrl, password: "not the password" },
      requestTimeoutMs: 1000,
      poll: { initialMs: 5, maxMs: 50, totalMs: 500 },
    });
    const check = await driver.check?.([used("arkivdel", "SAK")]);
    expect(check?.steps.map(({ step, ok }) => [step, ok])).toEqual([
      ["reach", true],
      ["authenticate", false],
    ]);
    expect(check?.steps[1]?.detail).toContain("check the client id, secret");
  });

  it("stops at a code list the client may not read", async () => {
    const { fake, driver } = await fintArchive();
    fake.inject({ method: "GET", path: "/arkiv/kodeverk/format", answer: { kind: "status", status: 403 } });
    const check = await driver.check?.([]);
    expect(check?.steps.at(-1)).toMatchObject({
      step: "code-lists",
      ok: false,
      detail: expect.stringContaining("Flyt cannot read /arkiv/kodeverk/format"),
    });
  });

  it("stops at a code list FINT answers empty, saying to run the check again", async () => {
    const { fake, driver } = await fintArchive({ adapter: "ELEMENTS" });
    const empty = { _embedded: { _entries: [] }, total_items: 0, size: 0, offset: 0 };
    fake.inject({
      method: "GET",
      path: "/arkiv/kodeverk/journalstatus",
      answer: { kind: "status", status: 200, body: empty },
    });
    const check = await driver.check?.([used("journalstatus", "J")]);
    expect(check?.steps.at(-1)).toMatchObject({
      step: "code-lists",
      ok: false,
      detail: expect.stringContaining("/arkiv/kodeverk/journalstatus answered no entries"),
    });
  });

  it("stops at a base URL that cannot be reached", async () => {
    const gone = await startFakeFintServer();
    await gone.close();
    const driver = createFintDriver({
      baseUrl: gone.baseUrl,
      oauth: { tokenUrl: gone.tokenUrl, clientId: "c", clientSecret: "s" },
      requestTimeoutMs: 1000,
      poll: { initialMs: 5, maxMs: 50, totalMs: 500 },
    });
    const check = await driver.check?.([used("arkivdel", "SAK")]);
    expect(check?.steps).toEqual([
      { step: "reach", ok: false, detail: expect.stringContaining("could not be reached (ECONNREFUSED)") },
    ]);
    expect(check?.unknownCodes).toEqual([]);
  });
});
