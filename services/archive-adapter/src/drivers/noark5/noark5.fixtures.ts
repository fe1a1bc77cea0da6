import { randomBytes } from "node:crypto";
import type { Arkivsak, FileReference, Journalpost } from "@flyt/schemas";
import { uniqueName } from "@flyt/testing";
import { afterEach } from "vitest";
import {
  type FakeNoark5Options,
  type FakeNoark5Server,
  startFakeNoark5Server,
} from "../../../test-support/fake-noark5-server";
import type { ArchiveDriver } from "../archive-driver";
import { createNoark5Driver, type Noark5DriverOptions } from "./noark5-driver";
import { sha256Hex } from "./staged-files";

/** The noark5 driver's tests' setting: a fake archive per test, closed after it, and Flyt records to send. */

let fake: FakeNoark5Server | undefined;

/** Closes the test's fake archive after each test (call once at the top of a test file). */
export function closeFakeAfterEach(): void {
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
}

/** What a destination's settings give the driver for this fake. */
export function driverOptionsFor(server: FakeNoark5Server): Noark5DriverOptions {
  return {
    baseUrl: server.baseUrl,
    // No token URL: the driver finds it from the archive's OpenID configuration, as the standard has it.
    oauth: {
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      scope: "noark5",
    },
    requestTimeoutMs: 500,
    defaultArkivdel: "PERSONAL",
  };
}

export async function setUp(
  fakeOptions: FakeNoark5Options = {},
  driverOptions: Partial<Noark5DriverOptions> = {},
): Promise<{ fake: FakeNoark5Server; driver: ArchiveDriver }> {
  fake = await startFakeNoark5Server(fakeOptions);
  const driver = createNoark5Driver({ ...driverOptionsFor(fake), ...driverOptions });
  return { fake, driver };
}

export function arkivsak(overrides: Partial<Arkivsak> = {}): Arkivsak {
  return {
    tittel: uniqueName("Byggesak Storgata 1"),
    offentligTittel: null,
    saksansvarlig: "kari",
    administrativEnhet: "Plan og bygg",
    arkivdel: "SAK",
    journalenhet: null,
    saksmappetype: null,
    saksstatus: null,
    tilgangsgruppe: null,
    klassering: [{ ordningsprinsipp: "GBNR", ordningsverdi: "12/4", beskrivelse: "Storgata 1" }],
    part: [
      { navn: "Bygg og Bolig AS", rolle: "KLI", organisasjonsnummer: "912345678" },
      { navn: "Ola Nordmann", rolle: null, organisasjonsnummer: null },
    ],
    skjerming: null,
    ...overrides,
  };
}

export interface TestFile {
  readonly reference: FileReference;
  readonly content: Buffer;
}

export function testFile(filename: string, mimeType: string, text: string | Buffer): TestFile {
  const content = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  return {
    reference: {
      fileId: uniqueName("file"),
      filename,
      mimeType,
      sizeBytes: content.length,
      sha256: sha256Hex(content),
    },
    content,
  };
}

export function journalpost(files: readonly TestFile[], overrides: Partial<Journalpost> = {}): Journalpost {
  return {
    tittel: uniqueName("Søknad om rammetillatelse"),
    offentligTittel: null,
    journalposttype: "I",
    dokumentdato: "2026-02-27",
    journalstatus: null,
    saksbehandler: "ola",
    administrativEnhet: "Plan og bygg",
    journalenhet: null,
    skjerming: null,
    korrespondansepart: [
      {
        korrespondanseparttype: "avsender",
        navn: "Bygg og Bolig AS",
        organisasjonsnummer: "912345678",
        postadresse: { adresselinje: ["Storgata 1"], postnummer: "0150", poststed: "Oslo" },
        epost: null,
      },
      {
        korrespondanseparttype: "kopimottaker",
        navn: "Kari Nordmann",
        organisasjonsnummer: null,
        postadresse: null,
        epost: "kari@example.no",
      },
    ],
    dokumenter: files.map((file, index) => ({
      tittel: index === 0 ? "Søknad" : `Vedlegg ${index}`,
      tilknyttetRegistreringSom: index === 0 ? "H" : "V",
      file: file.reference,
    })),
    ...overrides,
  };
}

export function twoFiles(): TestFile[] {
  return [
    testFile("søknad_æøå.pdf", "application/pdf", `%PDF-1.7 ${uniqueName("søknad")}`),
    testFile("Situasjonskart – nord.png", "image/png", `PNG ${uniqueName("kart")}`),
  ];
}

export async function upload(
  driver: ArchiveDriver,
  files: readonly TestFile[],
): Promise<Map<string, string>> {
  const refs = new Map<string, string>();
  for (const file of files)
    refs.set(file.reference.fileId, await driver.uploadFile(file.reference, file.content));
  return refs;
}

export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error,
  );
}

/** A file of `size` random bytes. */
export function bigFile(filename: string, size: number): TestFile {
  return testFile(filename, "application/pdf", randomBytes(size));
}
