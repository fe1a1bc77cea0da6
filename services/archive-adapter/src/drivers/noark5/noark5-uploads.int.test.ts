import { uniqueName } from "@flyt/testing";
import { describe, expect, it } from "vitest";
import { ArchiveUnavailableError } from "../archive-errors";
import {
  arkivsak,
  bigFile,
  closeFakeAfterEach,
  driverOptionsFor,
  failureOf,
  journalpost,
  setUp,
  testFile,
  upload,
} from "./noark5.fixtures";
import { createNoark5Driver } from "./noark5-driver";
import { inMemoryUploadSessions } from "./upload-sessions";

// Files as the standard has them uploaded (06-konsepter_og_prinsipper.rst:1346–1583 at tag versjon-1.1, and the
// post-1.1 text on its HEAD): whole up to the archive's bulkgrense, in chunks above it.

closeFakeAfterEach();

const chunked = { chunkBytes: 400, contentRange: "v1.1" as const };

async function archiveOne(
  driver: Awaited<ReturnType<typeof setUp>>["driver"],
  file: ReturnType<typeof bigFile>,
  externalId = uniqueName("post"),
) {
  const archivedCase = await driver.createCase(arkivsak(), uniqueName("sub"));
  const refs = await upload(driver, [file]);
  const post = journalpost([file], { korrespondansepart: [] });
  return { archivedCase, refs, post, externalId };
}

describe("Noark 5 file uploads", () => {
  it("sends a file above the archive's bulkgrense in chunks, with v1.1's headers", async () => {
    const { fake, driver } = await setUp({ bulkgrense: 1000 }, { upload: chunked });
    const file = bigFile("stor.pdf", 2500);
    const { archivedCase, refs, post, externalId } = await archiveOne(driver, file);
    await driver.addJournalPost(archivedCase, post, refs, externalId);

    const [stored] = fake.journalposter()[0]?.dokumenter[0]?.objekter ?? [];
    expect(stored?.file?.content.equals(file.content)).toBe(true);
    const uploads = fake.requests.filter((request) => request.operation.startsWith("upload"));
    expect(
      uploads.map((request) => [request.operation, request.status, request.headers.contentRange]),
    ).toEqual([
      ["upload-session", 200, undefined],
      ["upload-chunk", 200, "bytes 0-399/2500"],
      ["upload-chunk", 200, "bytes 400-799/2500"],
      ["upload-chunk", 200, "bytes 800-1199/2500"],
      ["upload-chunk", 200, "bytes 1200-1599/2500"],
      ["upload-chunk", 200, "bytes 1600-1999/2500"],
      ["upload-chunk", 200, "bytes 2000-2399/2500"],
      ["upload-chunk", 201, "bytes 2400-2499/2500"],
    ]);
    expect(uploads[0]).toMatchObject({
      bytes: 0,
      headers: { xUploadContentLength: "2500", xUploadContentType: "application/pdf" },
    });
    expect(fake.uploadSessions()).toBe(0);
  });

  it("follows a new Location per chunk and reads Range without its unit (after v1.1)", async () => {
    const { fake, driver } = await setUp(
      { bulkgrense: 1000, chunkProtocol: "2025" },
      { upload: { chunkBytes: 1000, contentRange: "2025" } },
    );
    const file = bigFile("stor.pdf", 2500);
    const { archivedCase, refs, post, externalId } = await archiveOne(driver, file);
    await driver.addJournalPost(archivedCase, post, refs, externalId);

    const chunks = fake.requests.filter((request) => request.operation === "upload-chunk");
    expect(chunks.map((request) => request.headers.contentRange)).toEqual([
      "0-999/2500",
      "1000-1999/2500",
      "2000-2499/2500",
    ]);
    expect(new Set(chunks.map((request) => request.query)).size).toBe(3);
    expect(fake.journalposter()[0]?.dokumenter[0]?.objekter[0]?.file?.content.equals(file.content)).toBe(
      true,
    );
  });

  it("sends in chunks when the archive answers a whole upload 403 (and reads the default bulkgrense)", async () => {
    // No admin/system: the driver takes the default 150 MiB and tries the whole file; the archive, whose limit
    // is lower, says 403 (post-1.1).
    const { fake, driver } = await setUp({ bulkgrense: 1000, adminSystem: false }, { upload: chunked });
    const file = bigFile("stor.pdf", 1500);
    const { archivedCase, refs, post, externalId } = await archiveOne(driver, file);
    await driver.addJournalPost(archivedCase, post, refs, externalId);

    expect(
      fake.requests
        .filter((request) => request.operation.startsWith("upload"))
        .map((request) => request.status),
    ).toEqual([403, 200, 200, 200, 200, 201]);
    expect(fake.journalposter()[0]?.dokumenter[0]?.objekter).toHaveLength(1);
  });

  it("sends a file whole below the bulkgrense, and whole when admin/system leaves it out", async () => {
    const { fake, driver } = await setUp({ bulkgrense: null }, { upload: chunked });
    const file = bigFile("middels.pdf", 2500);
    const { archivedCase, refs, post, externalId } = await archiveOne(driver, file);
    await driver.addJournalPost(archivedCase, post, refs, externalId);
    expect(
      fake.requests
        .filter((request) => request.operation.startsWith("upload"))
        .map((request) => request.operation),
    ).toEqual(["upload"]);
  });

  it("goes on from the last Range the archive acknowledged, after a restart", async () => {
    const sessions = inMemoryUploadSessions();
    const { fake, driver } = await setUp({ bulkgrense: 1000 }, { upload: chunked, uploadSessions: sessions });
    const file = bigFile("stor.pdf", 2500);
    const { archivedCase, refs, post, externalId } = await archiveOne(driver, file);
    // The third chunk never gets an answer (nor does the archive take it).
    fake.failNext(1, { kind: "hang" }, { operation: "upload-chunk", skip: 2 });
    const cutOff = await failureOf(driver.addJournalPost(archivedCase, post, refs, externalId));
    expect(cutOff).toBeInstanceOf(ArchiveUnavailableError);

    const restarted = createNoark5Driver({
      ...driverOptionsFor(fake),
      upload: chunked,
      uploadSessions: sessions,
      contentOf: async () => file.content,
    });
    const before = fake.requests.length;
    await restarted.addJournalPost(archivedCase, post, refs, externalId);

    const after = fake.requests.slice(before).filter((request) => request.operation.startsWith("upload"));
    expect(after.map((request) => request.headers.contentRange)).toEqual([
      "bytes 800-1199/2500",
      "bytes 1200-1599/2500",
      "bytes 1600-1999/2500",
      "bytes 2000-2399/2500",
      "bytes 2400-2499/2500",
    ]);
    const objekter = fake.journalposter()[0]?.dokumenter[0]?.objekter ?? [];
    expect(objekter).toHaveLength(1);
    expect(objekter[0]?.file?.content.equals(file.content)).toBe(true);
  });

  for (const status of [400, 404, 410]) {
    it(`deletes the half-made dokumentobjekt and starts over when the archive no longer knows the session (${status})`, async () => {
      const sessions = inMemoryUploadSessions();
      const { fake, driver } = await setUp(
        { bulkgrense: 1000, unknownSessionStatus: status },
        { upload: chunked, uploadSessions: sessions },
      );
      const file = bigFile("stor.pdf", 2500);
      const { archivedCase, refs, post, externalId } = await archiveOne(driver, file);
      fake.failNext(1, { kind: "hang" }, { operation: "upload-chunk", skip: 2 });
      await failureOf(driver.addJournalPost(archivedCase, post, refs, externalId));
      const halfMade = fake.journalposter()[0]?.dokumenter[0]?.objekter[0]?.systemID;
      fake.forgetUploadSessions();

      await driver.addJournalPost(archivedCase, post, refs, externalId);
      const deletes = fake.requests.filter((request) => request.operation === "delete");
      expect(deletes.map((request) => [request.path.endsWith(halfMade ?? "?"), request.status])).toEqual([
        [true, 204],
      ]);
      const objekter = fake.journalposter()[0]?.dokumenter[0]?.objekter ?? [];
      expect(objekter.map((objekt) => objekt.systemID)).not.toContain(halfMade);
      expect(objekter).toHaveLength(1);
      expect(objekter[0]?.file?.content.equals(file.content)).toBe(true);
    });
  }

  it("starts over once going on with a session failed sessionMaxFailures times in a row (a forgotten session answered 500)", async () => {
    const sessions = inMemoryUploadSessions();
    const { fake, driver } = await setUp(
      { bulkgrense: 1000, unknownSessionStatus: 500 },
      { upload: { ...chunked, sessionMaxFailures: 2 }, uploadSessions: sessions },
    );
    const file = bigFile("stor.pdf", 2500);
    const { archivedCase, refs, post, externalId } = await archiveOne(driver, file);
    fake.failNext(1, { kind: "hang" }, { operation: "upload-chunk", skip: 2 });
    await failureOf(driver.addJournalPost(archivedCase, post, refs, externalId));
    const halfMade = fake.journalposter()[0]?.dokumenter[0]?.objekter[0]?.systemID;
    fake.forgetUploadSessions();

    // The first failure may pass: tried again later.
    expect(await failureOf(driver.addJournalPost(archivedCase, post, refs, externalId))).toBeInstanceOf(
      ArchiveUnavailableError,
    );
    // The second in a row gives the session up: the half-made dokumentobjekt goes, the file is sent anew.
    await driver.addJournalPost(archivedCase, post, refs, externalId);
    const deletes = fake.requests.filter((request) => request.operation === "delete");
    expect(deletes.map((request) => [request.path.endsWith(halfMade ?? "?"), request.status])).toEqual([
      [true, 204],
    ]);
    const objekter = fake.journalposter()[0]?.dokumenter[0]?.objekter ?? [];
    expect(objekter).toHaveLength(1);
    expect(objekter[0]?.file?.content.equals(file.content)).toBe(true);
  });

  it("starts over rather than go on with a session the archive acknowledged nothing of for sessionMaxAgeMs", async () => {
    const sessions = inMemoryUploadSessions();
    let clock = Date.now();
    const { fake, driver } = await setUp(
      { bulkgrense: 1000 },
      { upload: { ...chunked, sessionMaxAgeMs: 60_000 }, uploadSessions: sessions, now: () => clock },
    );
    const file = bigFile("stor.pdf", 2500);
    const { archivedCase, refs, post, externalId } = await archiveOne(driver, file);
    fake.failNext(1, { kind: "hang" }, { operation: "upload-chunk", skip: 2 });
    await failureOf(driver.addJournalPost(archivedCase, post, refs, externalId));
    clock += 120_000;

    const before = fake.requests.length;
    await driver.addJournalPost(archivedCase, post, refs, externalId);
    const after = fake.requests
      .slice(before)
      .filter((request) => request.operation === "delete" || request.operation.startsWith("upload"));
    expect(after.slice(0, 3).map((request) => [request.operation, request.headers.contentRange])).toEqual([
      ["delete", undefined],
      ["upload-session", undefined],
      ["upload-chunk", "bytes 0-399/2500"],
    ]);
    expect(fake.journalposter()[0]?.dokumenter[0]?.objekter[0]?.file?.content.equals(file.content)).toBe(
      true,
    );
  });

  it("goes on from what the archive says it has: Range as bytes=, part of a chunk kept, even of the last, and a bare 200 at the end", async () => {
    const { fake, driver } = await setUp(
      {
        bulkgrense: 500,
        chunkQuirks: { rangeWithEquals: true, keepsAtMostBytes: 300, bareLastAnswer: true },
      },
      { upload: chunked },
    );
    const file = bigFile("stor.pdf", 1000);
    const { archivedCase, refs, post, externalId } = await archiveOne(driver, file);
    await driver.addJournalPost(archivedCase, post, refs, externalId);

    const chunks = fake.requests.filter((request) => request.operation === "upload-chunk");
    expect(chunks.map((request) => [request.headers.contentRange, request.status])).toEqual([
      ["bytes 0-399/1000", 200],
      ["bytes 300-699/1000", 200],
      // What was meant as the last chunk: the archive kept 300 of its 400 bytes.
      ["bytes 600-999/1000", 200],
      ["bytes 900-999/1000", 200],
    ]);
    expect(fake.journalposter()[0]?.dokumenter[0]?.objekter[0]?.file?.content.equals(file.content)).toBe(
      true,
    );
  });

  it("checks that a chunked file the archive said was complete is there, and sends it again to a new dokumentobjekt when not", async () => {
    const { fake, driver } = await setUp(
      { bulkgrense: 1000, chunkQuirks: { bareLastAnswer: true } },
      { upload: chunked },
    );
    const file = bigFile("stor.pdf", 2500);
    const { archivedCase, refs, post, externalId } = await archiveOne(driver, file);
    fake.loseCompletedUploads(1);
    await driver.addJournalPost(archivedCase, post, refs, externalId);

    expect(
      fake.requests.filter((request) => request.operation === "delete").map((request) => request.status),
    ).toEqual([204]);
    const objekter = fake.journalposter()[0]?.dokumenter[0]?.objekter ?? [];
    expect(objekter).toHaveLength(1);
    expect(objekter[0]?.file?.content.equals(file.content)).toBe(true);
  });

  it("checks a chunked file's size on the next attempt when checking it failed, and never takes a short one", async () => {
    const { fake, driver } = await setUp({ bulkgrense: 1000 }, { upload: chunked });
    const file = bigFile("stor.pdf", 2500);
    const { archivedCase, refs, post, externalId } = await archiveOne(driver, file);
    fake.shortenCompletedUploads(1);
    // The check that the file is there, whole, gets no answer this time.
    fake.failNext(1, { kind: "status", status: 503 }, { operation: "download" });
    const unchecked = await failureOf(driver.addJournalPost(archivedCase, post, refs, externalId));
    expect(unchecked).toBeInstanceOf(ArchiveUnavailableError);

    await driver.addJournalPost(archivedCase, post, refs, externalId);
    const objekter = fake.journalposter()[0]?.dokumenter[0]?.objekter ?? [];
    expect(objekter).toHaveLength(1);
    expect(objekter[0]?.file?.content.equals(file.content)).toBe(true);
  });

  it("deletes the leftovers of an upload the archive failed (422) and sends the file to a new dokumentobjekt", async () => {
    const { fake, driver } = await setUp();
    const file = testFile("svar.pdf", "application/pdf", "%PDF-1.7 svar");
    const { archivedCase, refs, post, externalId } = await archiveOne(driver, file);
    fake.failNext(1, { kind: "status", status: 422, text: "lagring feilet" }, { operation: "upload" });
    await driver.addJournalPost(archivedCase, post, refs, externalId);

    expect(
      fake.requests.filter((request) => request.operation === "delete").map((request) => request.status),
    ).toEqual([204]);
    const objekter = fake.journalposter()[0]?.dokumenter[0]?.objekter ?? [];
    expect(objekter).toHaveLength(1);
    expect(objekter[0]?.file?.content.equals(file.content)).toBe(true);
  });

  it("fails retriably, leaving no half-made dokumentobjekt, when the archive keeps failing the upload", async () => {
    const { fake, driver } = await setUp();
    const file = testFile("svar.pdf", "application/pdf", "%PDF-1.7 svar");
    const { archivedCase, refs, post, externalId } = await archiveOne(driver, file);
    fake.failNext(2, { kind: "status", status: 422 }, { operation: "upload" });
    const failure = await failureOf(driver.addJournalPost(archivedCase, post, refs, externalId));
    expect(failure).toBeInstanceOf(ArchiveUnavailableError);
    expect(failure).toMatchObject({ uncertain: false });
    expect(fake.journalposter()[0]?.dokumenter[0]?.objekter).toEqual([]);
    // The next attempt finishes it.
    await driver.addJournalPost(archivedCase, post, refs, externalId);
    expect(fake.journalposter()[0]?.dokumenter[0]?.objekter).toHaveLength(1);
  });

  it("names the file in filnavn, and in X-File-Name only where Latin-1 holds the name exactly", async () => {
    const { fake, driver } = await setUp();
    const files = [
      testFile("søknad_æøå.pdf", "application/pdf", "%PDF-1.7 a"),
      testFile("Situasjonskart – nord.png", "image/png", "PNG b"),
    ];
    const archivedCase = await driver.createCase(arkivsak(), uniqueName("sub"));
    await driver.addJournalPost(
      archivedCase,
      journalpost(files),
      await upload(driver, files),
      uniqueName("post"),
    );
    const uploads = fake.requests.filter((request) => request.operation === "upload");
    expect(uploads.map((request) => request.headers.xFileName)).toEqual(["søknad_æøå.pdf", undefined]);
    const stored = fake.journalposter()[0]?.dokumenter.map((dokument) => dokument.objekter[0]);
    expect(stored?.map((objekt) => [objekt?.fields.filnavn, objekt?.file?.filename])).toEqual([
      ["søknad_æøå.pdf", "søknad_æøå.pdf"],
      ["Situasjonskart – nord.png", "Situasjonskart – nord.png"],
    ]);
  });
});
