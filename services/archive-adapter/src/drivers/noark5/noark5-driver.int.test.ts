import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { PermanentError } from "@flyt/errors";
import { uniqueName } from "@flyt/testing";
import { describe, expect, it } from "vitest";
import { ArchiveRefusedError, ArchiveUnavailableError } from "../archive-errors";
import {
  arkivsak,
  closeFakeAfterEach,
  driverOptionsFor,
  failureOf,
  journalpost,
  setUp,
  type TestFile,
  testFile,
  twoFiles,
  upload,
} from "./noark5.fixtures";
import { createNoark5Driver } from "./noark5-driver";

closeFakeAfterEach();

describe("Noark 5 driver against a fake tjenestegrensesnitt", () => {
  it("finds everything from the root, asking the root once", async () => {
    const { fake, driver } = await setUp();
    const created = await driver.createCase(arkivsak(), uniqueName("sub"));
    const files = twoFiles();
    await driver.addJournalPost(created, journalpost(files), await upload(driver, files), uniqueName("post"));
    await driver.caseByNumber(created.caseNumber);

    expect(fake.unadvertisedRequests()).toEqual([]);
    const roots = fake.requests.filter((request) => request.operation === "root");
    // Once without a token (to find where to log in), once with it.
    expect(roots.map((request) => request.headers.authorization?.split(" ")[0])).toEqual([
      undefined,
      "Bearer",
    ]);
    expect(fake.requests.filter((request) => request.operation === "entry")).toHaveLength(2);
    const open = new Set(["token", "discovery", "root"]);
    for (const request of fake.requests.filter((each) => !open.has(each.operation))) {
      expect(request.headers.authorization).toMatch(/^Bearer /);
    }
  });

  it("logs in as the standard has it: the root without a token, its login/oidc link, the token endpoint", async () => {
    const { fake, driver } = await setUp();
    await driver.caseByNumber("2026/1");
    expect(fake.requests.slice(0, 4).map((request) => [request.operation, request.status])).toEqual([
      ["root", 200],
      ["discovery", 200],
      ["token", 200],
      ["root", 200],
    ]);
    expect(fake.requests[0]?.headers.authorization).toBeUndefined();
    expect(fake.requests[2]?.headers.authorization).toMatch(/^Basic /);
  });

  it("finds the OpenID configuration where the standard puts it when the root does not link it", async () => {
    const { fake, driver } = await setUp({ login: { withoutOidcLink: true } });
    expect(await driver.caseByNumber("2026/1")).toBeUndefined();
    expect(fake.requests.filter((request) => request.operation === "discovery")).toHaveLength(1);
  });

  it("authenticates with form fields where the provider takes only those", async () => {
    const { fake, driver } = await setUp({ login: { authMethods: ["client_secret_post"] } });
    expect(await driver.caseByNumber("2026/1")).toBeUndefined();
    const [token] = fake.requests.filter((request) => request.operation === "token");
    expect(token).toMatchObject({ status: 200, headers: { authorization: undefined } });
  });

  it("refuses a provider without the client credentials grant, saying so", async () => {
    const { fake, driver } = await setUp({ login: { grantTypes: ["authorization_code", "password"] } });
    const failure = await failureOf(driver.caseByNumber("2026/1"));
    expect(failure).toBeInstanceOf(ArchiveRefusedError);
    expect((failure as ArchiveRefusedError).archiveMessage).toMatch(/client_credentials/);
    expect(fake.requests.filter((request) => request.operation === "token")).toEqual([]);
  });

  it("uses a configured token URL, for an archive whose root wants a token", async () => {
    const { fake, driver } = await setUp({ login: { rootNeedsToken: true } });
    const failure = await failureOf(driver.caseByNumber("2026/1"));
    expect((failure as ArchiveRefusedError).archiveMessage).toMatch(/token URL/);

    const configured = createNoark5Driver({
      ...driverOptionsFor(fake),
      oauth: { tokenUrl: fake.tokenUrl, clientId: fake.clientId, clientSecret: fake.clientSecret },
    });
    const before = fake.requests.length;
    expect(await configured.caseByNumber("2026/1")).toBeUndefined();
    expect(fake.requests.slice(before).filter((request) => request.operation === "discovery")).toEqual([]);
  });

  it("catches a URL made by hand (the check above is not vacuous)", async () => {
    const { fake, driver } = await setUp();
    await driver.caseByNumber("2026/1");
    const token = await fetch(fake.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: fake.clientId,
        client_secret: fake.clientSecret,
      }),
    }).then((response) => response.json() as Promise<{ access_token: string }>);
    const guessed = await fetch(`${fake.baseUrl}sakarkiv/saksmappe`, {
      headers: { authorization: `Bearer ${token.access_token}` },
    });
    expect(guessed.status).toBe(404);
    expect(fake.unadvertisedRequests().map((request) => request.path)).toEqual([
      new URL(guessed.url).pathname,
    ]);
  });

  it("creates a case under its klasse, with its parties, numbered by the archive", async () => {
    const { fake, driver } = await setUp();
    const externalId = uniqueName("sub");
    const firstCase = arkivsak();
    const first = await driver.createCase(firstCase, externalId);
    const second = await driver.createCase(arkivsak({ part: [] }), uniqueName("sub"));
    const unclassified = await driver.createCase(
      arkivsak({ klassering: [], arkivdel: null }),
      uniqueName("sub"),
    );

    const year = new Date().getUTCFullYear();
    expect(first.caseNumber).toBe(`${year}/1`);
    expect(second.caseNumber).toBe(`${year}/2`);
    expect(unclassified.caseNumber).toBe(`${year}/3`);
    const [stored, , storedUnclassified] = fake.saksmapper();
    expect(stored).toMatchObject({ systemID: first.systemId, arkivdel: "SAK", klasseID: "12/4" });
    expect(stored?.fields).toMatchObject({
      tittel: firstCase.tittel,
      saksansvarlig: "kari",
      saksstatus: { kode: "B" },
      virksomhetsspesifikkeMetadata: { "vnd-flyt-v1:eksternid": externalId, "vnd-flyt-v1:fullfoert": true },
    });
    expect(stored?.parter.map((part) => part.fields)).toEqual([
      {
        navn: "Bygg og Bolig AS",
        partRolle: { kode: "KLI" },
        enhetsidentifikator: { organisasjonsnummer: "912345678" },
      },
      { navn: "Ola Nordmann" },
    ]);
    // One klasse for 12/4, made the first time and found the second.
    expect(fake.klasser()).toMatchObject([{ fields: { klasseID: "12/4" }, klassifikasjonssystem: "GBNR" }]);
    // No klassering: directly under the default arkivdel.
    expect(storedUnclassified).toMatchObject({ arkivdel: "PERSONAL", klasseID: undefined });
  }, 30_000);

  it("adds journal posts with their documents and files, keeping UTF-8 file names", async () => {
    const { fake, driver } = await setUp();
    const archivedCase = await driver.createCase(arkivsak(), uniqueName("sub"));
    const files = twoFiles();
    const refs = await upload(driver, files);
    for (const ref of refs.values()) expect(ref).not.toContain("søknad");

    const firstPost = await driver.addJournalPost(archivedCase, journalpost(files), refs, uniqueName("post"));
    const secondFiles = [testFile("svar.pdf", "application/pdf", "%PDF-1.7 svar")];
    const secondPost = await driver.addJournalPost(
      archivedCase,
      journalpost(secondFiles, { journalposttype: "U", korrespondansepart: [] }),
      await upload(driver, secondFiles),
      uniqueName("post"),
    );

    expect(firstPost.number).toBe(`${archivedCase.caseNumber}-1`);
    expect(secondPost.number).toBe(`${archivedCase.caseNumber}-2`);
    const [stored] = fake.journalposter();
    expect(stored?.saksmappe).toBe(archivedCase.systemId);
    expect(stored?.fields).toMatchObject({
      journalposttype: { kode: "I" },
      journalstatus: { kode: "J" },
      dokumentetsDato: "2026-02-27T00:00:00+01:00",
      journalpostnummer: 1,
    });
    expect(
      stored?.korrespondanseparter.map((part) => [part.type, part.fields.korrespondanseparttype]),
    ).toEqual([
      ["korrespondansepartenhet", { kode: "EA" }],
      ["korrespondansepartperson", { kode: "EK" }],
      ["korrespondansepartintern", { kode: "IM" }],
    ]);
    expect(stored?.dokumenter.map((dokument) => dokument.fields.tilknyttetRegistreringSom)).toEqual([
      { kode: "H" },
      { kode: "V" },
    ]);
    for (const [index, dokument] of (stored?.dokumenter ?? []).entries()) {
      const file = files[index] as TestFile;
      expect(dokument.objekter).toHaveLength(1);
      expect(dokument.objekter[0]?.file).toEqual({
        content: file.content,
        mimeType: file.reference.mimeType,
        filename: file.reference.filename,
      });
      expect(dokument.objekter[0]?.fields).toMatchObject({
        sjekksum: file.reference.sha256,
        sjekksumAlgoritme: "SHA-256",
      });
    }
    const uploads = fake.requests.filter((request) => request.operation === "upload");
    expect(uploads[0]?.headers.contentDisposition).toContain(
      "filename*=UTF-8''s%C3%B8knad_%C3%A6%C3%B8%C3%A5.pdf",
    );
    // Marked finished with the ETag it was read with: If-Match, and the same as an ETag header, which the
    // reference server requires on updates.
    const patches = fake.requests.filter((request) => request.operation === "patch");
    expect(patches.length).toBeGreaterThan(0);
    for (const patch of patches) {
      expect(patch.headers.ifMatch).toMatch(/^"\d+"$/);
      expect(patch.headers.etag).toBe(patch.headers.ifMatch);
    }
  }, 30_000);

  it("finds cases by external id, by number and by search, and journal posts by external id", async () => {
    const { driver } = await setUp({ pageSize: 2 });
    const externalId = uniqueName("sub");
    const quoted = uniqueName("O'Brien's sak");
    const created = await driver.createCase(arkivsak({ tittel: quoted }), externalId);
    for (let i = 0; i < 4; i += 1) {
      await driver.createCase(arkivsak({ tittel: "Samlesak", klassering: [] }), uniqueName("sub"));
    }
    const files = twoFiles();
    const postId = uniqueName("post");
    const post = await driver.addJournalPost(
      created,
      journalpost(files),
      await upload(driver, files),
      postId,
    );

    expect(await driver.caseByExternalId(externalId)).toEqual(created);
    expect(await driver.caseByExternalId(uniqueName("unknown"))).toBeUndefined();
    expect(await driver.caseByNumber(created.caseNumber)).toEqual(created);
    // Its archive section, which decides whether an integration opened to whole sections may reach it.
    expect(await driver.arkivdelOf?.(created)).toBe("SAK");
    expect(await driver.caseByNumber("1999/1")).toBeUndefined();
    expect(await driver.searchCases({ tittel: quoted })).toEqual([created]);
    expect(
      await driver.searchCases({
        arkivdel: "SAK",
        "klassering.ordningsverdi": "12/4",
        "klassering.ordningsprinsipp": "GBNR",
      }),
    ).toEqual([created]);
    // Four hits over two pages of two.
    expect(await driver.searchCases({ tittel: "Samlesak" })).toHaveLength(4);
    expect(await driver.journalPostByExternalId(created, postId)).toEqual(post);
    expect(await driver.journalPostByExternalId(created, uniqueName("unknown"))).toBeUndefined();
    await expect(driver.searchCases({ tilgangsgruppe: "x" })).rejects.toBeInstanceOf(ArchiveRefusedError);
  }, 30_000);

  it("sends no case type, and refuses to search by one: v1.1 has no mappetype", async () => {
    const { fake, driver } = await setUp();
    const created = await driver.createCase(arkivsak({ saksmappetype: "BYGG" }), uniqueName("sub"));
    expect(created.caseNumber).toMatch(/^\d{4}\/1$/);
    expect(JSON.stringify(fake.saksmapper()[0]?.fields)).not.toContain("BYGG");
    const search = await failureOf(driver.searchCases({ saksmappetype: "BYGG", tittel: "x" }));
    expect(search).toBeInstanceOf(ArchiveRefusedError);
    expect((search as ArchiveRefusedError).archiveMessage).toMatch(/mappetype was removed/);
    expect(fake.requests.filter((request) => request.query.includes("mappetype"))).toEqual([]);
  });

  it("screens with skjermingshjemmel and the destination's skjermingMetadata, inside skjerming (v1.1)", async () => {
    const { fake, driver } = await setUp();
    const skjerming = { tilgangsrestriksjon: "13", skjermingshjemmel: "Offl. § 13" };
    const archivedCase = await driver.createCase(arkivsak({ skjerming }), uniqueName("sub"));
    const files = twoFiles();
    await driver.addJournalPost(
      archivedCase,
      journalpost(files, { skjerming }),
      await upload(driver, files),
      uniqueName("post"),
    );
    expect(fake.saksmapper()[0]?.fields.skjerming).toEqual({
      tilgangsrestriksjon: { kode: "13" },
      skjermingshjemmel: "Offl. § 13",
      skjermingMetadata: [{ kode: "TM1" }, { kode: "NPS" }],
    });
    expect(fake.journalposter()[0]?.fields.skjerming).toMatchObject({
      skjermingMetadata: [{ kode: "TR1" }, { kode: "NA" }, { kode: "NM" }],
    });
  });

  it("adds skjermingMetadata through its own relation where the archive refuses it inline (Nikita 2021)", async () => {
    const skjerming = { tilgangsrestriksjon: "13", skjermingshjemmel: "Offl. § 13" };
    const { fake, driver } = await setUp({ screening: "nikita-2021" });
    const refused = await failureOf(driver.createCase(arkivsak({ skjerming }), uniqueName("sub")));
    expect(refused).toBeInstanceOf(ArchiveRefusedError);
    expect((refused as ArchiveRefusedError).archiveMessage).toMatch(/skjermingMetadata/);

    const relation = createNoark5Driver({
      ...driverOptionsFor(fake),
      screening: { form: "relation", saksmappe: ["TM1", "NPS"], journalpost: ["TR1"] },
    });
    const archivedCase = await relation.createCase(arkivsak({ skjerming }), uniqueName("sub"));
    const files = twoFiles();
    await relation.addJournalPost(
      archivedCase,
      journalpost(files, { skjerming }),
      await upload(relation, files),
      uniqueName("post"),
    );
    const stored = fake.saksmapper().find((mappe) => mappe.systemID === archivedCase.systemId);
    expect(stored?.fields.skjerming).toEqual({
      tilgangsrestriksjon: { kode: "13" },
      skjermingshjemmel: "Offl. § 13",
    });
    expect(stored?.skjermingMetadata).toEqual(["TM1", "NPS"]);
    expect(fake.journalposter()[0]?.skjermingMetadata).toEqual(["TR1"]);
  });

  it("refuses before writing where the archive takes no business-specific metadata on a saksmappe", async () => {
    const { fake, driver } = await setUp({ businessMetadataOn: ["journalpost"] });
    const failure = await failureOf(driver.createCase(arkivsak(), uniqueName("sub")));
    expect(failure).toBeInstanceOf(ArchiveRefusedError);
    expect((failure as ArchiveRefusedError).archiveMessage).toMatch(
      /virksomhetsspesifikkeMetadata on saksmappe/,
    );
    expect(
      fake.requests.filter((request) => request.operation === "ny-saksmappe" && request.method === "POST"),
    ).toEqual([]);
  });

  it("says so when the archive takes no JSON Merge Patch", async () => {
    const { fake, driver } = await setUp();
    fake.failNext(
      2,
      { kind: "status", status: 415, text: "Content type not supported" },
      { operation: "patch" },
    );
    const failure = await failureOf(driver.createCase(arkivsak(), uniqueName("sub")));
    expect(failure).toBeInstanceOf(ArchiveRefusedError);
    expect((failure as ArchiveRefusedError).archiveMessage).toMatch(/JSON Merge Patch/);
  });

  it("keeps the reference server's message from its error body, not its stack trace", async () => {
    const { driver } = await setUp({ errorBodies: "nikita-2021" });
    const failure = await failureOf(driver.createCase(arkivsak({ arkivdel: "UKJENT" }), uniqueName("sub")));
    expect(failure).toBeInstanceOf(ArchiveRefusedError);
    const archivedCase = await driver.createCase(arkivsak(), uniqueName("sub"));
    const files = twoFiles();
    const invalid = journalpost(files, {
      korrespondansepart: [
        {
          korrespondanseparttype: "nabo",
          navn: "N",
          organisasjonsnummer: null,
          postadresse: null,
          epost: null,
        },
      ],
    });
    const refused = await failureOf(
      driver.addJournalPost(archivedCase, invalid, await upload(driver, files), "p"),
    );
    expect((refused as ArchiveRefusedError).archiveMessage).toBe("ugyldig korrespondanseparttype «nabo»");
  });

  it("reads an empty search (count 0, no results) as no hits", async () => {
    const { fake, driver } = await setUp();
    expect(await driver.searchCases({ tittel: uniqueName("ingen") })).toEqual([]);
    const [search] = fake.requests.filter((request) => request.operation === "search");
    expect(search?.status).toBe(200);
  });

  it("takes 503 with Retry-After as transient and certain: nothing was written", async () => {
    const { fake, driver } = await setUp();
    fake.failNext(1, { kind: "status", status: 503, retryAfter: "2" }, { operation: "ny-saksmappe" });
    const failure = await failureOf(driver.createCase(arkivsak(), uniqueName("sub")));
    expect(failure).toBeInstanceOf(ArchiveUnavailableError);
    expect(failure).toMatchObject({ uncertain: false, retryAfterMs: 2000, retriable: true });
    expect(fake.saksmapper()).toHaveLength(0);
  });

  it("probes the archive with one read of its root: unavailable while it answers 503, then fine", async () => {
    const { fake, driver } = await setUp();
    fake.failNext(1, { kind: "status", status: 503 }, { operation: "root" });
    expect(await failureOf(driver.probe?.() ?? Promise.resolve())).toBeInstanceOf(ArchiveUnavailableError);
    await driver.probe?.();
    const roots = fake.requests.filter((request) => request.operation === "root");
    // The login reads the root without a token first; then the probe reads it with one.
    expect([roots.at(0)?.status, roots.at(-1)?.status]).toEqual([503, 200]);
    expect(
      fake.requests.filter((request) => !["root", "token", "discovery"].includes(request.operation)),
    ).toEqual([]);
  });

  it("takes 429 as transient with the archive's Retry-After", async () => {
    const { fake, driver } = await setUp();
    fake.failNext(1, { kind: "status", status: 429, retryAfter: "3" }, { operation: "search" });
    const failure = await failureOf(driver.caseByNumber("2026/1"));
    expect(failure).toBeInstanceOf(ArchiveUnavailableError);
    expect(failure).toMatchObject({ uncertain: false, retryAfterMs: 3000 });
  });

  it("takes a 502 after the archive wrote as uncertain, and finishes that case instead of making another", async () => {
    const { fake, driver } = await setUp();
    const externalId = uniqueName("sub");
    fake.failNext(1, { kind: "status", status: 502, afterWrite: true }, { operation: "ny-saksmappe" });
    const failure = await failureOf(driver.createCase(arkivsak(), externalId));
    expect(failure).toMatchObject({ uncertain: true });

    // Written but without its parties: not the finished case yet.
    expect(fake.saksmapper()).toHaveLength(1);
    expect(await driver.caseByExternalId(externalId)).toBeUndefined();
    const created = await driver.createCase(arkivsak(), externalId);
    expect(fake.saksmapper()).toHaveLength(1);
    expect(fake.saksmapper()[0]?.parter).toHaveLength(2);
    expect(await driver.caseByExternalId(externalId)).toEqual(created);
  });

  it("takes a write that timed out as uncertain, and finishes that journal post on the next try", async () => {
    const { fake, driver } = await setUp();
    const archivedCase = await driver.createCase(arkivsak(), uniqueName("sub"));
    const files = twoFiles();
    const refs = await upload(driver, files);
    const post = journalpost(files);
    const externalId = uniqueName("post");
    fake.failNext(1, { kind: "delay", ms: 2000, afterWrite: true }, { operation: "ny-journalpost" });

    const failure = await failureOf(driver.addJournalPost(archivedCase, post, refs, externalId));
    expect(failure).toBeInstanceOf(ArchiveUnavailableError);
    expect(failure).toMatchObject({ uncertain: true });
    expect((failure as Error).message).toMatch(/did not answer in time/);
    // The archive did write it; only the answer was lost.
    expect(fake.journalposter()).toHaveLength(1);
    expect(await driver.journalPostByExternalId(archivedCase, externalId)).toBeUndefined();

    const added = await driver.addJournalPost(archivedCase, post, refs, externalId);
    expect(added.number).toBe(`${archivedCase.caseNumber}-1`);
    const stored = fake.journalposter();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.korrespondanseparter).toHaveLength(3);
    expect(
      stored[0]?.dokumenter.map((dokument) => dokument.objekter.map((objekt) => objekt.file?.filename)),
    ).toEqual([["søknad_æøå.pdf"], ["Situasjonskart – nord.png"]]);
    expect(await driver.journalPostByExternalId(archivedCase, externalId)).toEqual(added);
  });

  it("resumes after an upload that never answered, sending a file only if the archive lacks it", async () => {
    const { fake, driver } = await setUp();
    const archivedCase = await driver.createCase(arkivsak(), uniqueName("sub"));
    const files = twoFiles();
    const refs = await upload(driver, files);
    const post = journalpost(files);
    const externalId = uniqueName("post");
    // The first file arrives but its answer never comes; the second is never sent.
    fake.failNext(1, { kind: "hang", afterWrite: true }, { operation: "upload" });

    const failure = await failureOf(driver.addJournalPost(archivedCase, post, refs, externalId));
    expect(failure).toMatchObject({ uncertain: true });
    expect(fake.journalposter()[0]?.dokumenter[0]?.objekter[0]?.file).toBeDefined();
    await driver.addJournalPost(archivedCase, post, refs, externalId);

    const [stored] = fake.journalposter();
    expect(stored?.dokumenter).toHaveLength(2);
    for (const dokument of stored?.dokumenter ?? []) {
      expect(dokument.objekter).toHaveLength(1);
      expect(dokument.objekter[0]?.file).toBeDefined();
    }
    const uploads = fake.requests.filter((request) => request.operation === "upload");
    expect(uploads).toHaveLength(2);
  });

  it("takes a refusal as permanent, with the archive's text", async () => {
    const { fake, driver } = await setUp();
    const archivedCase = await driver.createCase(arkivsak(), uniqueName("sub"));
    const files = twoFiles();
    const refs = await upload(driver, files);

    fake.failNext(
      1,
      { kind: "status", status: 422, text: "Saken er avsluttet" },
      { operation: "ny-journalpost" },
    );
    const injected = await failureOf(
      driver.addJournalPost(archivedCase, journalpost(files), refs, uniqueName("post")),
    );
    expect(injected).toBeInstanceOf(ArchiveRefusedError);
    expect(injected).toMatchObject({ archiveMessage: "Saken er avsluttet", status: 422, retriable: false });

    // The archive's own validation: an unknown correspondent type.
    const invalid = journalpost(files, {
      korrespondansepart: [
        {
          korrespondanseparttype: "nabo",
          navn: "N",
          organisasjonsnummer: null,
          postadresse: null,
          epost: null,
        },
      ],
    });
    const validation = await failureOf(
      driver.addJournalPost(archivedCase, invalid, refs, uniqueName("post")),
    );
    expect(validation).toBeInstanceOf(ArchiveRefusedError);
    expect((validation as ArchiveRefusedError).archiveMessage).toContain("korrespondanseparttype");

    const unknownArkivdel = await failureOf(
      driver.createCase(arkivsak({ arkivdel: "UKJENT" }), uniqueName("sub")),
    );
    expect(unknownArkivdel).toBeInstanceOf(ArchiveRefusedError);
  });

  it("fails a share of requests when told to", async () => {
    const sequence = [0.1, 0.9, 0.9];
    let calls = 0;
    const { fake, driver } = await setUp({ random: () => sequence[calls++ % sequence.length] as number });
    fake.failShare(1 / 3, { kind: "status", status: 500 }, { operation: "search" });
    const outcomes = await Promise.allSettled([0, 1, 2].map(() => driver.caseByNumber("2026/9")));
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "fulfilled", "rejected"]);
  });

  it("takes an unreachable archive as transient and certain", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { driver } = await setUp({}, { baseUrl: `http://127.0.0.1:${port}/api/` });
    const failure = await failureOf(driver.caseByNumber("2026/1"));
    expect(failure).toBeInstanceOf(ArchiveUnavailableError);
    expect(failure).toMatchObject({ uncertain: false });
  });

  it("renews its token before it expires, and when the archive rejects it", async () => {
    let now = Date.now();
    const { fake, driver } = await setUp({ tokenTtlSeconds: 60 }, { now: () => now });
    await driver.caseByNumber("2026/1");
    expect(fake.tokensIssued()).toBe(1);
    await driver.caseByNumber("2026/1");
    expect(fake.tokensIssued()).toBe(1);

    now += 55_000; // within the last tenth of its minute
    await driver.caseByNumber("2026/1");
    expect(fake.tokensIssued()).toBe(2);

    fake.revokeTokens();
    expect(await driver.caseByNumber("2026/1")).toBeUndefined();
    expect(fake.tokensIssued()).toBe(3);
    expect(fake.requests.filter((request) => request.status === 401)).toHaveLength(1);
  });

  it("refuses when the token endpoint refuses the client, and waits when it is down", async () => {
    const { fake, driver } = await setUp({}, {});
    const wrong = createNoark5Driver({
      ...driverOptionsFor(fake),
      oauth: { clientId: fake.clientId, clientSecret: "wrong" },
    });
    expect(await failureOf(wrong.caseByNumber("2026/1"))).toBeInstanceOf(ArchiveRefusedError);

    fake.failNext(1, { kind: "status", status: 503 }, { operation: "token" });
    expect(await failureOf(driver.caseByNumber("2026/1"))).toBeInstanceOf(ArchiveUnavailableError);
    expect(await driver.caseByNumber("2026/1")).toBeUndefined();
  });

  it("reads the object again and retries when its ETag is stale", async () => {
    const { fake, driver } = await setUp();
    fake.failNext(1, { kind: "status", status: 409 }, { operation: "patch" });
    const created = await driver.createCase(arkivsak(), uniqueName("sub"));
    expect(
      fake.requests.filter((request) => request.operation === "patch").map((request) => request.status),
    ).toEqual([409, 200]);
    expect(fake.saksmapper()[0]?.fields).toMatchObject({
      virksomhetsspesifikkeMetadata: { "vnd-flyt-v1:fullfoert": true },
    });
    expect(created.caseNumber).toMatch(/^\d{4}\/1$/);
  });

  it("needs the file's content again after a restart, and takes it from contentOf", async () => {
    const { fake, driver } = await setUp();
    const archivedCase = await driver.createCase(arkivsak(), uniqueName("sub"));
    const files = twoFiles();
    const refs = await upload(driver, files);
    const options = driverOptionsFor(fake);

    const restarted = createNoark5Driver(options);
    const lost = await failureOf(
      restarted.addJournalPost(archivedCase, journalpost(files), refs, uniqueName("post")),
    );
    expect(lost).toBeInstanceOf(PermanentError);
    expect(fake.journalposter()).toHaveLength(0);

    const withStore = createNoark5Driver({
      ...options,
      contentOf: async (file) =>
        files.find((each) => each.reference.fileId === file.fileId)?.content ?? Buffer.alloc(0),
    });
    const added = await withStore.addJournalPost(archivedCase, journalpost(files), refs, uniqueName("post"));
    expect(added.number).toBe(`${archivedCase.caseNumber}-1`);
  });

  it("refuses a file whose content is not what was recorded", async () => {
    const { driver } = await setUp();
    const file = testFile("a.pdf", "application/pdf", "%PDF-1.7 a");
    await expect(driver.uploadFile(file.reference, Buffer.from("something else"))).rejects.toBeInstanceOf(
      PermanentError,
    );
  });
});
