import { afterEach, describe, expect, it } from "vitest";
import {
  type FakeNoark5Options,
  type FakeNoark5Server,
  startFakeNoark5Server,
} from "../../../test-support/fake-noark5-server";

// The fake Noark 5 server is what the driver's tests trust; here it is held to the sources it cites
// (test-support/fake-noark5/*.ts): each refusal a real server makes, the fake makes too.

const API = "https://rel.arkivverket.no/noark5/v5/api";
const JSON_TYPE = "application/vnd.noark5+json";

let fake: FakeNoark5Server | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

type Links = Record<string, { href: string }>;
interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

async function client(options: FakeNoark5Options = {}) {
  fake = await startFakeNoark5Server(options);
  const server = fake;
  const tokenAnswer = await fetch(server.tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: server.clientId,
      client_secret: server.clientSecret,
    }),
  });
  const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };

  async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: JSON_TYPE,
        ...(body === undefined ? {} : { "content-type": JSON_TYPE }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>),
    } satisfies Answer;
  }
  const linkOf = (answer: Answer, rel: string) => {
    const link = (answer.body._links as Links | undefined)?.[rel];
    if (!link) throw new Error(`no ${rel} in ${JSON.stringify(answer.body)}`);
    return link.href.replace(/\{[^}]*\}$/, "");
  };
  async function arkivdel(): Promise<Answer> {
    const root = await call("GET", server.baseUrl);
    const arkivstruktur = await call("GET", linkOf(root, `${API}/arkivstruktur/`));
    const list = await call(
      "GET",
      `${linkOf(arkivstruktur, `${API}/arkivstruktur/arkivdel/`)}?$filter=tittel eq 'PERSONAL'`,
    );
    const [first] = list.body.results as Record<string, unknown>[];
    return { status: 200, headers: new Headers(), body: first ?? {} };
  }
  async function newSaksmappe(body: Record<string, unknown>): Promise<Answer> {
    return call("POST", linkOf(await arkivdel(), `${API}/sakarkiv/ny-saksmappe/`), {
      tittel: "Sak",
      ...body,
    });
  }
  async function newJournalpost(body: Record<string, unknown>): Promise<Answer> {
    const saksmappe = await newSaksmappe({});
    return call("POST", linkOf(saksmappe, `${API}/sakarkiv/ny-journalpost/`), {
      tittel: "Post",
      journalposttype: { kode: "I" },
      ...body,
    });
  }
  return { server, call, linkOf, newSaksmappe, newJournalpost };
}

const beskrivelse = (answer: Answer) =>
  (answer.body.feil as { beskrivelse?: string } | undefined)?.beskrivelse;

describe("the fake Noark 5 server refuses what the sources show", () => {
  it("takes only datetimes with a time zone, with the standard's error body", async () => {
    const { newJournalpost } = await client();
    for (const date of ["2026-01-05", "2026-01-05Z", "2026-01-05T00:00:00", "05.01.2026"]) {
      const answer = await newJournalpost({ dokumentetsDato: date });
      expect(answer.status, date).toBe(400);
      expect(answer.body).toEqual({
        feil: { kode: 400, beskrivelse: expect.stringContaining("dokumentetsDato") },
      });
    }
    for (const date of ["2026-01-05T00:00:00+01:00", "2026-01-05T00:00:00Z", "2026-07-05T12:30:00.5+02:00"]) {
      expect((await newJournalpost({ dokumentetsDato: date })).status, date).toBe(201);
    }
    // Nested ones too.
    const nested = await newJournalpost({
      skjerming: {
        tilgangsrestriksjon: { kode: "13" },
        skjermingshjemmel: "Offl. § 13",
        skjermingMetadata: [{ kode: "TR1" }],
        skjermingOpphoererDato: "2090-01-01",
      },
    });
    expect(beskrivelse(nested)).toContain("skjerming.skjermingOpphoererDato");
  });

  it("refuses mappetype on a saksmappe and in a search", async () => {
    const { server, call, linkOf, newSaksmappe } = await client();
    const refused = await newSaksmappe({ mappetype: { kode: "BYGG" } });
    expect(refused.status).toBe(400);
    expect(beskrivelse(refused)).toContain("[mappetype]");
    const root = await call("GET", server.baseUrl);
    const sakarkiv = await call("GET", linkOf(root, `${API}/sakarkiv/`));
    const search = await call(
      "GET",
      `${linkOf(sakarkiv, `${API}/sakarkiv/saksmappe/`)}?$filter=${encodeURIComponent("mappetype/kode eq 'BYGG'")}`,
    );
    expect(search.status).toBe(400);
  });

  it("needs skjermingshjemmel and, as v1.1 reads, skjermingMetadata", async () => {
    const { newSaksmappe } = await client();
    const restriction = { tilgangsrestriksjon: { kode: "13" } };
    const metadata = { skjermingMetadata: [{ kode: "TM1" }] };
    expect(beskrivelse(await newSaksmappe({ skjerming: { ...restriction, ...metadata } }))).toMatch(
      /skjermingshjemmel is missing/,
    );
    expect(
      beskrivelse(await newSaksmappe({ skjerming: { ...restriction, skjermingshjemmel: "Offl. § 13" } })),
    ).toMatch(/skjermingMetadata/);
    expect(
      (
        await newSaksmappe({
          skjerming: {
            ...restriction,
            skjermingshjemmel: "Offl. § 13",
            skjermingMetadata: [{ kode: "XYZ" }],
          },
        })
      ).status,
    ).toBe(400);
    expect(
      (await newSaksmappe({ skjerming: { ...restriction, skjermingshjemmel: "Offl. § 13", ...metadata } }))
        .status,
    ).toBe(201);
  });

  it("refuses skjermingMetadata inside skjerming as the reference server of 2021 does, and takes it by relation", async () => {
    const { call, linkOf, newSaksmappe } = await client({
      screening: "nikita-2021",
      errorBodies: "nikita-2021",
    });
    const screening = { tilgangsrestriksjon: { kode: "13" }, skjermingshjemmel: "Offl. § 13" };
    const inline = await newSaksmappe({ skjerming: { ...screening, skjermingMetadata: [{ kode: "TM1" }] } });
    expect(inline.status).toBe(400);
    expect(inline.body).toMatchObject({ status: 400, message: expect.stringContaining("skjermingMetadata") });
    const created = await newSaksmappe({ skjerming: screening });
    expect(created.status).toBe(201);
    const added = await call(
      "POST",
      linkOf(created, "https://nikita.arkivlab.no/noark5/v5/ny-skjermingmetadata/"),
      { kode: "TM1" },
    );
    expect(added.status).toBe(201);
  });

  it("lets a saksmappe list its journal posts only as registreringer", async () => {
    const { newSaksmappe } = await client();
    const links = (await newSaksmappe({})).body._links as Links;
    expect(links[`${API}/arkivstruktur/registrering/`]).toBeDefined();
    expect(links[`${API}/sakarkiv/journalpost/`]).toBeUndefined();
  });

  it("shows its root's login mechanisms without a token, and the rest only with one", async () => {
    const { server, call } = await client();
    const open = await fetch(server.baseUrl, { headers: { accept: JSON_TYPE } });
    expect(open.status).toBe(200);
    const openLinks = Object.keys(((await open.json()) as { _links: Links })._links);
    expect(openLinks.sort()).toEqual([`${API}/login/oidc/`, `${API}/login/rfc6749/`]);
    const withToken = Object.keys((await call("GET", server.baseUrl)).body._links as Links);
    expect(withToken).toEqual(
      expect.arrayContaining([
        `${API}/arkivstruktur/`,
        `${API}/sakarkiv/`,
        `${API}/metadata/`,
        `${API}/admin/system/`,
      ]),
    );
  });

  it("serves an OpenID configuration whose token endpoint takes client credentials as announced", async () => {
    const { server } = await client({ login: { authMethods: ["client_secret_post"] } });
    const root = (await (await fetch(server.baseUrl)).json()) as { _links: Links };
    const configurationUrl = root._links[`${API}/login/oidc/`]?.href ?? "";
    expect(configurationUrl).toBe(`${server.baseUrl}.well-known/openid-configuration`);
    const configuration = (await (await fetch(configurationUrl)).json()) as Record<string, unknown>;
    expect(configuration).toMatchObject({
      token_endpoint: server.tokenUrl,
      grant_types_supported: expect.arrayContaining(["client_credentials"]),
      token_endpoint_auth_methods_supported: ["client_secret_post"],
    });
    const basic = await fetch(server.tokenUrl, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${server.clientId}:${server.clientSecret}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    });
    expect(basic.status).toBe(401);
  });

  it("tells its bulkgrense in admin/system, refuses a whole upload above it (403), and takes it in chunks", async () => {
    const { server, call, linkOf, newJournalpost } = await client({ bulkgrense: 10 });
    const system = await call("GET", linkOf(await call("GET", server.baseUrl), `${API}/admin/system/`));
    expect(system.body).toMatchObject({ bulkgrense: 10, protokollversjon: "1.1" });

    const journalpost = await newJournalpost({});
    const beskrivelse = await call(
      "POST",
      linkOf(journalpost, `${API}/arkivstruktur/ny-dokumentbeskrivelse/`),
      {
        tittel: "Dok",
        tilknyttetRegistreringSom: { kode: "H" },
      },
    );
    const objekt = await call("POST", linkOf(beskrivelse, `${API}/arkivstruktur/ny-dokumentobjekt/`), {
      versjonsnummer: 1,
      variantformat: { kode: "A" },
      mimeType: "text/plain",
      filstoerrelse: 16,
    });
    const fil = linkOf(objekt, `${API}/arkivstruktur/fil/`);
    const content = Buffer.from("0123456789abcdef");
    // No Content-Disposition needed (the standard has none): refused for its size only.
    const tooBig = await fetch(fil, {
      method: "POST",
      headers: { authorization: (await authorization(server)) ?? "", "content-type": "text/plain" },
      body: content,
    });
    expect(tooBig.status).toBe(403);

    const auth = (await authorization(server)) ?? "";
    const start = await fetch(fil, {
      method: "POST",
      headers: {
        authorization: auth,
        "x-upload-content-type": "text/plain",
        "x-upload-content-length": "16",
      },
      body: "",
    });
    expect(start.status).toBe(200);
    const session = start.headers.get("location") ?? "";
    const put = (range: string, bytes: Buffer) =>
      fetch(session, {
        method: "PUT",
        headers: { authorization: auth, "content-type": "text/plain", "content-range": range },
        body: bytes,
      });
    const first = await put("bytes 0-7/16", content.subarray(0, 8));
    expect([first.status, first.headers.get("range")]).toEqual([200, "bytes 0-7"]);
    // A chunk that does not go on where the last ended.
    expect((await put("bytes 9-15/16", content.subarray(9))).status).toBe(400);
    const last = await put("8-15/16", content.subarray(8));
    expect(last.status).toBe(201);
    expect(((await last.json()) as Record<string, unknown>).filstoerrelse).toBe(16);
  });
});

/** A bearer token of the fake's client, for requests made by hand. */
async function authorization(server: FakeNoark5Server): Promise<string | undefined> {
  const answer = await fetch(server.tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: server.clientId,
      client_secret: server.clientSecret,
    }),
  });
  const { access_token: token } = (await answer.json()) as { access_token?: string };
  return token && `Bearer ${token}`;
}
