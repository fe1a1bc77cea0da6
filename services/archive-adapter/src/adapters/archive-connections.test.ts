import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadArchiveConnections } from "./archive-connections";

const folder = await mkdtemp(join(tmpdir(), "flyt-connections-"));
afterAll(() => rm(folder, { recursive: true, force: true }));

async function fileWith(content: unknown): Promise<string> {
  const path = join(folder, `${Math.random()}.json`);
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

describe("loadArchiveConnections", () => {
  it("reads FINT and Noark 5 connections with defaults for what is left out", async () => {
    const path = await fileWith({
      "vestland-elements": {
        driver: "FINT",
        baseUrl: "https://api.felleskomponent.no",
        oauth: {
          tokenUrl: "https://idp.felleskomponent.no/nidp/oauth/nam/token",
          clientId: "c",
          clientSecret: "s",
          username: "u",
          password: "p",
        },
      },
      "agder-noark": {
        driver: "NOARK5",
        baseUrl: "https://arkiv.agder.no/noark5v5",
        oauth: { tokenUrl: "https://login.agder.no/token", clientId: "c", clientSecret: "s" },
      },
    });
    const connections = await loadArchiveConnections(path);
    expect(connections["vestland-elements"]).toMatchObject({
      driver: "FINT",
      requestTimeoutMs: 30_000,
      poll: { initialMs: 500, maxMs: 10_000, totalMs: 300_000 },
    });
    expect(connections["agder-noark"]).toMatchObject({
      driver: "NOARK5",
      screening: { form: "inline", saksmappe: ["TM1", "NPS"], journalpost: ["TR1", "NA", "NM"] },
      upload: { chunkBytes: 8 * 1024 * 1024, contentRange: "v1.1" },
    });
  });

  it("takes a Noark 5 connection without a token URL (found from the archive), and its screening and chunks", async () => {
    const path = await fileWith({
      "agder-noark": {
        driver: "NOARK5",
        baseUrl: "https://arkiv.agder.no/noark5v5/api/",
        oauth: { clientId: "c", clientSecret: "s" },
        screening: { form: "relation", journalpost: ["TR1"] },
        upload: { chunkBytes: 1024 * 1024, contentRange: "2025", sessionMaxFailures: 5 },
      },
    });
    expect((await loadArchiveConnections(path))["agder-noark"]).toEqual({
      driver: "NOARK5",
      baseUrl: "https://arkiv.agder.no/noark5v5/api/",
      oauth: { clientId: "c", clientSecret: "s" },
      requestTimeoutMs: 30_000,
      screening: { form: "relation", saksmappe: ["TM1", "NPS"], journalpost: ["TR1"] },
      upload: {
        chunkBytes: 1024 * 1024,
        contentRange: "2025",
        sessionMaxAgeMs: 3_600_000,
        sessionMaxFailures: 5,
      },
    });
  });

  it("refuses a Noark 5 screening code outside M502 and chunks too small to be worth it", async () => {
    const path = await fileWith({
      "agder-noark": {
        driver: "NOARK5",
        baseUrl: "https://arkiv.agder.no/api/",
        oauth: { clientId: "c", clientSecret: "s" },
        screening: { form: "sideways", saksmappe: ["XX"] },
        upload: { chunkBytes: 100 },
      },
    });
    const failure = await loadArchiveConnections(path).catch((error: Error) => error.message);
    expect(failure).toContain("/agder-noark/screening/form");
    expect(failure).toContain("/agder-noark/screening/saksmappe/0");
    expect(failure).toContain("/agder-noark/upload/chunkBytes");
  });

  it("is empty without a file: only the simulator is served then", async () => {
    expect(await loadArchiveConnections(undefined)).toEqual({});
  });

  it("names every problem by pointer and never echoes a secret", async () => {
    const path = await fileWith({
      "vestland-elements": {
        driver: "FINT",
        baseUrl: "not a url",
        oauth: { clientId: "c", clientSecret: "hunter2" },
      },
      "Bad Id": { driver: "SFTP" },
    });
    const failure = await loadArchiveConnections(path).catch((error: Error) => error.message);
    expect(failure).toContain("/vestland-elements/baseUrl");
    expect(failure).toContain("/vestland-elements/oauth/tokenUrl");
    expect(failure).toContain("/Bad Id");
    expect(failure).not.toContain("hunter2");
    expect(
      await loadArchiveConnections(await fileWith("{ not json")).catch((error: Error) => error.message),
    ).toMatch(/is not JSON/);
  });

  it("takes a FINT destination's archive, consumer, file formats and windows, with FINT's defaults", async () => {
    const fint = {
      driver: "FINT",
      baseUrl: "https://api.felleskomponent.no",
      oauth: { tokenUrl: "https://idp.felleskomponent.no/token", clientId: "c", clientSecret: "s" },
    };
    const path = await fileWith({
      "vestland-p360": {
        ...fint,
        adapter: "P360",
        consumer: "core",
        fileFormats: { "application/vnd.oasis.opendocument.text": "ODT" },
        statusWindowMs: 3_600_000,
      },
      "agder-elements": fint,
    });
    const connections = await loadArchiveConnections(path);
    expect(connections["vestland-p360"]).toMatchObject({
      adapter: "P360",
      consumer: "core",
      fileFormats: { "application/vnd.oasis.opendocument.text": "ODT" },
      statusWindowMs: 3_600_000,
      variantFormat: "P",
      dokumentstatus: "F",
    });
    expect(connections["agder-elements"]).toMatchObject({
      consumer: "classic",
      statusWindowMs: 1_800_000,
      createdSkewMs: 120_000,
      codeListRefreshMs: 900_000,
      fileFormats: {},
    });
    expect(connections["agder-elements"]).not.toHaveProperty("adapter");
    const wrong = await fileWith({
      "vestland-p360": { ...fint, adapter: "Websak", fileFormats: { pdf: "RA-PDF" } },
    });
    const failure = await loadArchiveConnections(wrong).catch((error: Error) => error.message);
    expect(failure).toContain("/vestland-p360/adapter");
    expect(failure).toContain("/vestland-p360/fileFormats/pdf");
  });
});
