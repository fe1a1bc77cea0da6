import { afterEach, describe, expect, it } from "vitest";
import {
  type FakeFintOptions,
  type FakeFintServer,
  startFakeFintServer,
} from "../../../test-support/fake-fint-server";

// The fake FINT arkiv refuses what FINT's consumers and archive adapters refuse, as read in their sources
// (each behaviour cites its source in test-support/fake-fint-server.ts). These tests hold the fake to that,
// with plain HTTP, so the driver's tests against it mean something.

const started: FakeFintServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((fake) => fake.close()));
});

async function fintApi(options: FakeFintOptions = {}) {
  const fake = await startFakeFintServer(options);
  started.push(fake);
  const basic = Buffer.from(`${fake.credentials.clientId}:${fake.credentials.clientSecret}`).toString(
    "base64",
  );
  const tokenAnswer = await fetch(fake.tokenUrl, {
    method: "POST",
    headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  });
  const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
  async function call(method: string, path: string, body?: unknown, contentType = "application/json") {
    const response = await fetch(`${fake.baseUrl}${path}`, {
      method,
      redirect: "manual",
      headers: { authorization: `Bearer ${token}`, "content-type": contentType },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return {
      status: response.status,
      location: response.headers.get("location"),
      json: json as Record<string, unknown>,
    };
  }
  /** A write followed to its end: the status URL's last answer. */
  async function write(method: string, path: string, body: unknown) {
    const accepted = await call(method, path, body);
    expect(accepted.status).toBe(202);
    const statusPath = new URL(accepted.location ?? "").pathname;
    for (;;) {
      const status = await call("GET", statusPath);
      if (status.status !== 202) return { ...status, statusPath };
    }
  }
  const query = (filter: string) => call("POST", "/arkiv/noark/sak/$query", filter, "text/plain");
  const link = (href: string) => [{ href }];
  /** A case every fake archive takes, with these links over the usual. */
  const sak = (links: Record<string, string> = {}, extra: Record<string, unknown> = {}) => {
    const arkivdel = options.adapter === "P360" ? "60005" : "SAK";
    return {
      tittel: "Grunnerverv gnr 12 bnr 4",
      klasse: [
        {
          klasseId: "12/4",
          tittel: "12/4",
          rekkefolge: 1,
          _links: {
            klassifikasjonssystem: link(
              fake.codeHref("klassifikasjonssystem", options.adapter === "P360" ? "1" : "GBNR"),
            ),
          },
        },
      ],
      noekkelord: ["flyt-external-id:sub_1"],
      ...extra,
      _links: Object.fromEntries(
        Object.entries({ arkivdel: fake.codeHref("arkivdel", arkivdel), ...links }).map(
          ([relation, href]) => [relation, link(href)],
        ),
      ),
    };
  };
  return { fake, call, write, query, sak, link };
}

describe("the fake's FINT filter grammar (fint-antlr OData.g4)", () => {
  it("refuses Flyt's old keyword lambda, a doubled quote, a double space and characters outside it: classic 500", async () => {
    const { query } = await fintApi();
    for (const filter of [
      "noekkelord/any(k:k eq 'flyt-external-id:sub_1')",
      "tittel eq 'Kari''s sak'",
      "tittel eq  'A'",
      "tittel eq 'Café'",
      "tittel eq 'A' and (arkivdel eq 'SAK')",
    ]) {
      const answer = await query(filter);
      expect(answer.status, filter).toBe(500);
      expect(answer.json).toMatchObject({ status: 500, error: "Internal Server Error" });
    }
  });

  it("answers the core consumer's 400 for the same", async () => {
    const { query } = await fintApi({ consumer: "core" });
    const answer = await query("noekkelord/any(k:k eq 'x')");
    expect(answer).toMatchObject({ status: 400, json: { detail: "Invalid OData filter" } });
  });

  it("parses a lambda over a property, which the adapters then ignore", async () => {
    const { write, query, sak } = await fintApi({ adapter: "P360" });
    await write("POST", "/arkiv/noark/sak", sak());
    const answer = await query("noekkelord/any(k:k/verdi eq 'flyt')");
    expect(answer.status).toBe(200);
    expect((answer.json._embedded as { _entries: unknown[] })._entries).toHaveLength(1);
  });
});

describe("the fake's archive adapters", () => {
  it("search only by their own properties, eq only: anything else is an ERROR event, 500", async () => {
    const p360 = await fintApi({ adapter: "P360" });
    expect(await p360.query("administrativenhet eq '215'")).toMatchObject({
      status: 500,
      json: {
        responseStatus: "ERROR",
        message: expect.stringContaining("OData property administrativenhet is not supported"),
      },
    });
    const elements = await fintApi({ adapter: "ELEMENTS" });
    expect((await elements.query("saksstatus eq 'B'")).status).toBe(500);
    expect((await elements.query("tittel ne 'A'")).json.message).toContain(
      "OData operator ne is not supported",
    );
  });

  it("Public 360 ignores the primary classification's system; Elements does not", async () => {
    const p360 = await fintApi({ adapter: "P360" });
    await p360.write("POST", "/arkiv/noark/sak", p360.sak());
    const wrongSystem = "klassifikasjon/primar/ordning eq '2' and klassifikasjon/primar/verdi eq '12/4'";
    expect(((await p360.query(wrongSystem)).json._embedded as { _entries: unknown[] })._entries).toHaveLength(
      1,
    );
    const elements = await fintApi({ adapter: "ELEMENTS" });
    await elements.write("POST", "/arkiv/noark/sak", elements.sak());
    expect((await elements.query(wrongSystem)).status).toBe(404);
  });

  it("answer nothing found as Public 360's empty 200 and Elements' 404", async () => {
    expect(await (await fintApi({ adapter: "P360" })).query("tittel eq 'Ingen'")).toMatchObject({
      status: 200,
      json: { total_items: 0 },
    });
    expect(await (await fintApi({ adapter: "ELEMENTS" })).query("tittel eq 'Ingen'")).toMatchObject({
      status: 404,
      json: { responseStatus: "REJECTED", statusCode: "NOT_FOUND" },
    });
  });

  it("number as the archive does, are read by mappeid with the raw slash, and refuse an encoded one", async () => {
    const { write, call, sak } = await fintApi({ adapter: "P360" });
    const done = await write("POST", "/arkiv/noark/sak", sak());
    const caseNumber = (done.json.mappeId as { identifikatorverdi: string }).identifikatorverdi;
    expect(caseNumber).toMatch(/^\d{2}\/00001$/);
    expect((await call("GET", `/arkiv/noark/sak/mappeid/${caseNumber}`)).status).toBe(200);
    expect((await call("GET", `/arkiv/noark/sak/mappeid/${caseNumber.replace("/", "%2F")}`)).status).toBe(
      400,
    );
    expect(await call("GET", "/arkiv/noark/sak/mappeid/19/99999")).toMatchObject({
      status: 404,
      json: { statusCode: "NOT_FOUND", message: "Zero cases found" },
    });
  });

  it("drop Flyt's keywords: Public 360 answers its archive codes instead, and no class id", async () => {
    const p360 = await fintApi({ adapter: "P360" });
    const done = await p360.write("POST", "/arkiv/noark/sak", p360.sak());
    expect(done.json.noekkelord).toEqual(["GBNR", "12/4"]);
    expect(done.json.klasse).toEqual([expect.not.objectContaining({ klasseId: expect.anything() })]);
    const elements = await fintApi({ adapter: "ELEMENTS" });
    expect((await elements.write("POST", "/arkiv/noark/sak", elements.sak())).json).not.toHaveProperty(
      "noekkelord",
    );
  });

  it("serve Public 360's code lists with its record numbers and the merged Noark duplicates, and no arkivressurs", async () => {
    const { call } = await fintApi({ adapter: "P360" });
    const list = await call("GET", "/arkiv/kodeverk/journalposttype");
    const entries = (
      list.json._embedded as { _entries: { systemId: { identifikatorverdi: string }; kode: string }[] }
    )._entries;
    expect(
      entries.filter((entry) => entry.kode === "I").map((entry) => entry.systemId.identifikatorverdi),
    ).toEqual(["I", "110"]);
    expect((await call("GET", "/arkiv/noark/arkivressurs")).status).toBe(404);
    expect((await call("GET", "/arkiv/kodeverk/journalposttype/systemid/110")).status).toBe(200);
  });

  it("refuse an unknown code link at the status URL: 400 REJECTED", async () => {
    const { fake, write, sak } = await fintApi({ adapter: "ELEMENTS" });
    const done = await write(
      "POST",
      "/arkiv/noark/sak",
      sak({ saksstatus: `${fake.baseUrl}/arkiv/kodeverk/saksstatus/systemid/Q` }),
    );
    expect(done).toMatchObject({
      status: 400,
      json: {
        responseStatus: "REJECTED",
        statusCode: "BAD_REQUEST",
        message: "saksstatus: unknown saksstatus Q",
      },
    });
  });

  it("refuse an administrative unit or case officer that is not a number: For input string", async () => {
    const p360 = await fintApi({ adapter: "P360" });
    const unit = `${p360.fake.baseUrl}/arkiv/noark/administrativenhet/systemid/ØKO`;
    expect(
      await p360.write("POST", "/arkiv/noark/sak", p360.sak({ administrativEnhet: unit })),
    ).toMatchObject({
      status: 400,
      json: { responseStatus: "REJECTED", message: 'For input string: "ØKO"' },
    });
    const officer = `${p360.fake.baseUrl}/arkiv/noark/arkivressurs/systemid/KNO`;
    expect((await p360.write("POST", "/arkiv/noark/sak", p360.sak({ saksansvarlig: officer }))).status).toBe(
      400,
    );
    // Elements looks a case officer up by initials too.
    const elements = await fintApi({ adapter: "ELEMENTS" });
    const initials = `${elements.fake.baseUrl}/administrasjon/personal/personalressurs/brukernavn/KNO`;
    expect(
      (await elements.write("POST", "/arkiv/noark/sak", elements.sak({ saksansvarlig: initials }))).status,
    ).toBe(201);
  });

  it("refuse a document without a file format (a fake option: the real refusal is unverified)", async () => {
    for (const requireFilformat of [true, false]) {
      const { fake, write, sak } = await fintApi({ adapter: "ELEMENTS", requireFilformat });
      const created = await write("POST", "/arkiv/noark/sak", sak());
      const caseNumber = (created.json.mappeId as { identifikatorverdi: string }).identifikatorverdi;
      const post = {
        journalpost: [
          {
            tittel: "Brev",
            _links: { journalposttype: [{ href: fake.codeHref("journalposttype", "I") }] },
            dokumentbeskrivelse: [{ tittel: "Brev", dokumentobjekt: [{ _links: {} }] }],
          },
        ],
      };
      const done = await write("PUT", `/arkiv/noark/sak/mappeid/${caseNumber}`, post);
      expect(done.status).toBe(400);
      expect(JSON.stringify(done.json).includes("Filformat mangler")).toBe(requireFilformat);
    }
  });
});

describe("the fake's status URLs (fint-consumer-arkiv-noark StatusCache, fint-core-consumer)", () => {
  it("answers a conflict 409, a forgotten status 410, and the core consumer's refusals 400", async () => {
    let clock = Date.now();
    const classic = await fintApi({ now: () => new Date(clock), statusExpiresAfterMs: 60_000 });
    classic.fake.inject({ method: "POST", path: "/arkiv/noark/sak", answer: { kind: "status-conflict" } });
    expect((await classic.write("POST", "/arkiv/noark/sak", classic.sak())).status).toBe(409);
    const accepted = await classic.call("POST", "/arkiv/noark/sak", classic.sak());
    clock += 61_000;
    expect((await classic.call("GET", new URL(accepted.location ?? "").pathname)).status).toBe(410);

    const core = await fintApi({ consumer: "core" });
    core.fake.inject({
      method: "POST",
      path: "/arkiv/noark/sak",
      answer: { kind: "status-error", status: 404, message: "x" },
    });
    expect((await core.write("POST", "/arkiv/noark/sak", core.sak())).status).toBe(400);
    expect((await core.write("POST", "/arkiv/noark/sak", core.sak())).status).toBe(201);
  });

  it("answers a finished write 303 when the classic consumer is not configured for 201", async () => {
    const { write, sak } = await fintApi({ completedStatus: 303 });
    expect(await write("POST", "/arkiv/noark/sak", sak())).toMatchObject({
      status: 303,
      location: expect.stringContaining("/mappeid/"),
    });
  });
});
