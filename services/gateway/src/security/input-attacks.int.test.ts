import { request as httpRequest } from "node:http";
import { gzipSync } from "node:zlib";
import { createKafka, createTopicsAndWait } from "@flyt/kafka";
import { createLogger } from "@flyt/logging";
import { newSigningKey, type RunningAuthorizationServer, startAuthorizationServer } from "@flyt/oauth-server";
import { createDatabase } from "@flyt/postgres";
import { migrateRegistry, RegistryStore, seedDemoCounty } from "@flyt/registry";
import type { SubmissionReceived } from "@flyt/schemas";
import {
  createTestDatabase,
  type ServiceProcess,
  startServiceProcess,
  testInfra,
  uniqueName,
} from "@flyt/testing";
import { topicCatalogue } from "@flyt/topics";
import { importJWK, type JWK, SignJWT } from "jose";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateGateway } from "../adapters/postgres/migrations";
import { createApp } from "../app";
import { listen, testAppDependencies } from "../app.fixtures";
import { ERRORS_CHECKED, LISTED_ERRORS } from "../contract/body-limits";
import { amplificationBody, deepBody, manyErrorsBody, manyKeysBody, maximalBody } from "./hostile-bodies";

// The gateway's standing security suite (issue 12): what an attacker holding a valid token sends, and what the
// gateway must answer. Through the app where a request's answer is the point; against the gateway process where
// the process is (its event loop, its stderr).

const AUDIENCE = "urn:flyt:gateway:test";
const source = { clientId: "demo-egrunnerverv-test", clientSecret: "security-suite" };
const admin = { clientId: "flyt-platform-admin", clientSecret: "security-suite", roles: ["flyt.admin"] };
/** The production default: every attack here fits within it. */
const BODY_LIMIT_BYTES = 50 * 1024 * 1024;

let signingKey: JWK;
let oauth: RunningAuthorizationServer;
let db: Knex;
let databaseUrl: string;
let dropDatabase: () => Promise<void>;
const tokens = { source: "", admin: "" };

beforeAll(async () => {
  signingKey = await newSigningKey();
  oauth = await startAuthorizationServer({ audience: AUDIENCE, clients: [source, admin], signingKey });
  const database = await createTestDatabase();
  dropDatabase = database.drop;
  databaseUrl = database.url;
  db = createDatabase({ url: database.url, applicationName: "flyt.security-test" });
  await migrateRegistry(db);
  await migrateGateway(db);
  await seedDemoCounty(new RegistryStore(db));
  tokens.source = await oauth.tokenFor(source);
  tokens.admin = await oauth.tokenFor(admin);
}, 60_000);

afterAll(async () => {
  await oauth.stop();
  await db.destroy();
  await dropDatabase();
});

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: number;
  readonly body: Record<string, unknown> & { errors?: { code: string; pointer: string; detail: string }[] };
}

async function send(
  base: string,
  method: string,
  path: string,
  body?: string | Uint8Array,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${tokens.source}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    bytes: Buffer.byteLength(text),
    body: text ? JSON.parse(text) : {},
  };
}

function expectProblem(answer: Answer, status: number, type: string) {
  expect({ status: answer.status, type: answer.body.type }).toEqual({
    status,
    type: `urn:flyt:problem:${type}`,
  });
  expect(answer.headers.get("content-type")).toContain("application/problem+json");
}

describe("hostile bodies, through the app", () => {
  const published: SubmissionReceived[] = [];
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const deps = testAppDependencies({
      db,
      oauth,
      audience: AUDIENCE,
      publish: async (event) => {
        published.push(event);
      },
      uploadLimitBytes: 1024 * 1024,
    });
    const server = await listen(
      createApp({ ...deps, api: { ...deps.api, bodyLimitBytes: BODY_LIMIT_BYTES } }),
    );
    base = server.base;
    close = server.close;
  });

  afterAll(() => close());

  it("refuses lists within lists (a million errors once) with one small 400 naming the budget", async () => {
    const answer = await send(base, "POST", "/api/v1/cases", amplificationBody());
    expectProblem(answer, 400, "body-too-complex");
    expect(answer.body.errors).toEqual([expect.objectContaining({ code: "too-many-values", pointer: "" })]);
    expect(answer.bytes).toBeLessThan(2_000);
  });

  it("refuses a million different field names before parsing them", async () => {
    const answer = await send(base, "POST", "/api/v1/cases", manyKeysBody());
    expectProblem(answer, 400, "body-too-complex");
    expect(answer.body.errors).toEqual([expect.objectContaining({ code: "too-many-names" })]);
  });

  it("refuses a body deeper than 32 levels on every JSON route, before anything recursive runs: never a 500", async () => {
    // Deep enough to overflow the stack of anything recursive; the callback route takes 16 KB at most.
    const deep = deepBody(100_000);
    const answers = [
      await send(base, "POST", "/api/v1/cases", deep, { "idempotency-key": uniqueName("deep") }),
      await send(base, "POST", "/api/v1/cases/2026%2F123/journal-posts", deep, {
        "idempotency-key": "deep-2",
      }),
      await send(base, "PUT", "/api/v1/callback", deepBody(5_000)),
      await send(
        base,
        "PUT",
        "/admin/v1/tenants/demo/integrations/egrunnerverv-sak/configuration/draft",
        deep,
        {
          authorization: `Bearer ${tokens.admin}`,
        },
      ),
    ];
    for (const answer of answers) {
      expectProblem(answer, 400, "body-too-complex");
      expect(answer.body.errors).toEqual([expect.objectContaining({ code: "too-deep" })]);
    }
    // One level less than the limit is read, and refused only for what it is (an unknown field).
    const nested = `{"integrationId":"egrunnerverv-sak","sourceInstanceId":"NEST-31","case":{"tittel":"t"},"x":${"[".repeat(31)}${"]".repeat(31)}}`;
    const within = await send(base, "POST", "/api/v1/cases", nested, {
      "idempotency-key": uniqueName("nest"),
    });
    expectProblem(within, 400, "invalid-request");
    expect(within.body.errors).toEqual([expect.objectContaining({ code: "unknown-field", pointer: "/x" })]);
  });

  it("lists the first hundred errors of a body wrong everywhere and counts the rest, in a bounded answer", async () => {
    const answer = await send(base, "POST", "/api/v1/cases", manyErrorsBody());
    expectProblem(answer, 400, "invalid-request");
    expect(answer.body.errors).toHaveLength(LISTED_ERRORS);
    expect(answer.body.errors?.[0]?.pointer).toBe(
      "/journalPosts/0/korrespondansepart/0/postadresse/adresselinje/0",
    );
    // It stops looking after a thousand: the rest found is counted, never listed.
    expect(answer.body.moreErrors).toBeGreaterThanOrEqual(ERRORS_CHECKED - LISTED_ERRORS);
    expect(answer.body.detail).toMatch(/first 100 are listed/);
    expect(answer.bytes).toBeLessThan(40_000);
  });

  it("takes the largest body the contract allows, untouched", async () => {
    const upload = await fetch(`${base}/api/v1/files`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${tokens.source}`,
        "content-type": "application/pdf",
        "content-disposition": "attachment; filename=vedlegg.pdf",
      },
      body: "%PDF-1.7\n",
    });
    const { fileId } = (await upload.json()) as { fileId: string };
    const sourceInstanceId = uniqueName("MAX");
    const body = maximalBody(sourceInstanceId, fileId);
    const accepted = await send(base, "POST", "/api/v1/cases", JSON.stringify(body));
    expect(accepted.status).toBe(202);
    const event = published.find((e) => e.submission.sourceInstanceId === sourceInstanceId);
    expect(event?.journalPosts).toHaveLength(100);
    // The same body again is the same submission: what was stored is what was sent.
    const again = await send(base, "POST", "/api/v1/cases", JSON.stringify(body));
    expect({ status: again.status, id: again.body.id }).toEqual({ status: 202, id: accepted.body.id });
  }, 60_000);

  it("refuses unpaired surrogates in ids and text with a field error, and keeps real pairs as sent", async () => {
    const refused = await send(
      base,
      "POST",
      "/api/v1/cases",
      JSON.stringify({
        integrationId: "egrunnerverv-sak",
        sourceInstanceId: "GRV-\ud800",
        case: { tittel: "Erverv \udc00", "x\ud83d": 1 },
      }),
    );
    expectProblem(refused, 400, "invalid-request");
    expect(refused.body.errors?.map((error) => [error.code, error.pointer])).toEqual([
      ["unpaired-surrogate", "/case/tittel"],
      ["unpaired-surrogate", "/case/x\ud83d"],
      ["unpaired-surrogate", "/sourceInstanceId"],
    ]);

    const id = uniqueName("GRV-😀-\u{10437}");
    const accepted = await send(
      base,
      "POST",
      "/api/v1/cases",
      JSON.stringify({
        integrationId: "egrunnerverv-sak",
        sourceInstanceId: id,
        case: { tittel: "😀" },
      }).replace("😀", "\\ud83d\\ude00"),
    );
    expect(accepted.status).toBe(202);
    const polled = await send(
      base,
      "GET",
      `/api/v1/submissions?integrationId=egrunnerverv-sak&sourceInstanceId=${encodeURIComponent(id)}`,
    );
    expect({ status: polled.status, sourceInstanceId: polled.body.sourceInstanceId }).toEqual({
      status: 200,
      sourceInstanceId: id,
    });
  });

  it("refuses ids that are not UTF-8 text in queries, paths and bodies, instead of reading them as U+FFFD", async () => {
    const query = await send(
      base,
      "GET",
      "/api/v1/submissions?integrationId=egrunnerverv-sak&sourceInstanceId=GRV-%ED%A0%80",
    );
    expectProblem(query, 400, "invalid-query");
    expect(query.body.errors).toEqual([
      expect.objectContaining({ code: "invalid-encoding", pointer: "/sourceInstanceId" }),
    ]);
    const path = await send(base, "POST", "/api/v1/cases/%ED%A0%80/journal-posts", "{}");
    expectProblem(path, 400, "invalid-case-ref");
    const bytes = new TextEncoder().encode(
      '{"integrationId":"egrunnerverv-sak","sourceInstanceId":"GRV-XX"}',
    );
    bytes.set([0xed, 0xa0], bytes.indexOf(0x58));
    const body = await send(base, "POST", "/api/v1/cases", bytes);
    expectProblem(body, 400, "malformed-json");
    expect(body.body.errors).toEqual([expect.objectContaining({ detail: "The body is not UTF-8." })]);
  });

  it("strips bidirectional text controls from file names, uploaded and inline", async () => {
    const controls = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C";
    const uploaded = await fetch(`${base}/api/v1/files`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${tokens.source}`,
        "content-type": "application/pdf",
        "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(`faktura\u202Efdp.exe${controls}.pdf`)}`,
      },
      body: "%PDF-1.7\n",
    });
    expect(uploaded.status).toBe(201);
    expect(((await uploaded.json()) as { filename: string }).filename).toBe("fakturafdp.exe.pdf");

    const sourceInstanceId = uniqueName("BIDI");
    const inline = await send(
      base,
      "POST",
      "/api/v1/cases",
      JSON.stringify({
        integrationId: "egrunnerverv-sak",
        sourceInstanceId,
        case: { tittel: "t" },
        journalPosts: [
          {
            tittel: "t",
            journalposttype: "I",
            dokumenter: [
              {
                tittel: "d",
                tilknyttetRegistreringSom: "H",
                filnavn: `kontrakt\u2066${controls}\u2069.pdf`,
                mimeType: "application/pdf",
                innhold: Buffer.from("%PDF-1.7\n").toString("base64"),
              },
            ],
          },
        ],
      }),
    );
    expect(inline.status).toBe(202);
    const event = published.find((e) => e.submission.sourceInstanceId === sourceInstanceId);
    expect(event?.journalPosts[0]?.dokumenter[0]?.file.filename).toBe("kontrakt.pdf");
  });

  it("inflates a compressed body only up to the body limit (a decompression bomb is a 413), and takes one within it", async () => {
    // 60 MB of JSON in about 60 KB of gzip.
    const bomb = gzipSync(`{"integrationId":"egrunnerverv-sak","x":"${"0".repeat(60 * 1024 * 1024)}"}`);
    expect(bomb.length).toBeLessThan(100_000);
    const refused = await send(base, "POST", "/api/v1/cases", bomb, { "content-encoding": "gzip" });
    expectProblem(refused, 413, "body-too-large");
    const sourceInstanceId = uniqueName("GZIP");
    const body = { integrationId: "egrunnerverv-sak", sourceInstanceId, case: { tittel: "Komprimert" } };
    const taken = await send(base, "POST", "/api/v1/cases", gzipSync(JSON.stringify(body)), {
      "content-encoding": "gzip",
    });
    expect(taken.status).toBe(202);
    // Not gzip at all, or cut short: the client's mistake, a 400, never a 500.
    for (const broken of [
      Buffer.from("definitely not gzip"),
      gzipSync(JSON.stringify(body)).subarray(0, 20),
    ]) {
      const answer = await send(base, "POST", "/api/v1/cases", broken, { "content-encoding": "gzip" });
      expectProblem(answer, 400, "malformed-json");
    }
  });

  it("takes an inline document of megabytes (its base64 check once overflowed the stack: a 500)", async () => {
    const content = Buffer.alloc(6 * 1024 * 1024, "%PDF-1.7 ").toString("base64");
    const answer = await send(
      base,
      "POST",
      "/api/v1/cases",
      JSON.stringify({
        integrationId: "egrunnerverv-sak",
        sourceInstanceId: uniqueName("BIG"),
        case: { tittel: "t" },
        journalPosts: [
          {
            tittel: "t",
            journalposttype: "I",
            dokumenter: [
              {
                tittel: "d",
                tilknyttetRegistreringSom: "H",
                filnavn: "stor.pdf",
                mimeType: "application/pdf",
                innhold: content,
              },
            ],
          },
        ],
      }),
    );
    expect(answer.status).toBe(202);
  });

  it("answers a token for another issuer or audience with 401 naming the claims, never the values we expect", async () => {
    const minted = async (claims: { iss: string; aud: string }) =>
      new SignJWT({ client_id: source.clientId })
        .setProtectedHeader({ alg: "RS256", kid: signingKey.kid as string })
        .setIssuer(claims.iss)
        .setAudience(claims.aud)
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(await importJWK(signingKey, "RS256"));
    for (const token of [
      await minted({ iss: "https://evil.example", aud: AUDIENCE }),
      await minted({ iss: oauth.issuer, aud: "urn:flyt:gateway:production" }),
    ]) {
      for (const path of [
        "/api/v1/submissions/sub_01M8TDKR1AZFPY8QR5SBVYFMHY",
        "/admin/v1/tenants/demo/integrations",
      ]) {
        const answer = await send(base, "GET", path, undefined, { authorization: `Bearer ${token}` });
        expectProblem(answer, 401, "invalid-token");
        expect(answer.body.detail).toBe("The token was not issued for this API (iss, aud).");
        for (const said of [JSON.stringify(answer.body), answer.headers.get("www-authenticate") ?? ""]) {
          expect(said).not.toContain(oauth.issuer);
          expect(said).not.toContain(AUDIENCE);
        }
      }
    }
  });
});

describe("hostile requests, against the gateway process", () => {
  let gateway: ServiceProcess;

  beforeAll(async () => {
    const infra = testInfra();
    const namespace = uniqueName("gwsec");
    const kafkaAdmin = createKafka({
      clientId: "flyt.test",
      brokers: infra.kafkaBrokers,
      logger: createLogger({ service: "t", level: "silent" }),
    }).admin();
    await kafkaAdmin.connect();
    await createTopicsAndWait(kafkaAdmin, [
      { topic: topicCatalogue({ namespace }).submissionReceived.topic, numPartitions: 1 },
    ]);
    await kafkaAdmin.disconnect();
    gateway = await startServiceProcess("gateway", {
      FLYT_ENVIRONMENT: "test",
      OAUTH_ISSUER: oauth.issuer,
      OAUTH_AUDIENCE: AUDIENCE,
      OAUTH_JWKS_URI: oauth.jwksUri,
      FLYT_TOPIC_NAMESPACE: namespace,
      REGISTER_SCHEMAS: "true",
      DATABASE_URL: databaseUrl,
      BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES),
      RATE_LIMIT_BURST: "1000",
      RATE_LIMIT_PER_SECOND: "1000",
    });
  }, 60_000);

  afterAll(async () => {
    expect(await gateway.stop()).toBe(0);
  });

  it("answers /livez while four clients send hostile bodies at once, each answered with a small 400", async () => {
    const hostile = [amplificationBody(), manyKeysBody(), deepBody(1_000_000), manyErrorsBody()];
    const answers: Answer[] = [];
    let running = true;
    const attacks = Promise.all(
      hostile.map(async (body) => {
        for (let round = 0; round < 3; round += 1)
          answers.push(await send(gateway.baseUrl, "POST", "/api/v1/cases", body));
      }),
    ).finally(() => {
      running = false;
    });
    const livez: number[] = [];
    while (running) livez.push((await fetch(`${gateway.baseUrl}/livez`)).status);
    await attacks;

    expect(livez.length).toBeGreaterThan(0);
    expect(new Set(livez)).toEqual(new Set([200]));
    expect(answers).toHaveLength(12);
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.headers.get("content-type")).toContain("application/problem+json");
      expect(answer.bytes).toBeLessThan(40_000);
    }
  }, 120_000);

  it("logs a request the client abandons halfway as one structured line, and writes nothing to stderr", async () => {
    const abandoned = () => gateway.records.filter((record) => /client went away/.test(String(record.msg)));
    // An upload twice (once the second is logged, any second line about the first would have been too), then a
    // JSON body.
    const requests = [
      { path: "/api/v1/files", type: "application/pdf" },
      { path: "/api/v1/files", type: "application/pdf" },
      { path: "/api/v1/cases", type: "application/json" },
    ];
    for (const [index, { path, type }] of requests.entries()) {
      await abandon(gateway.baseUrl, path, type);
      await waitFor(() => abandoned().length > index);
    }
    expect(abandoned().map((record) => record.path)).toEqual(requests.map((request) => request.path));
    // And nothing else about them: no 500, no error with its stack.
    expect(gateway.records.filter((record) => record.method === "POST")).toHaveLength(3);
    expect(abandoned()[0]).toMatchObject({ level: "info", method: "POST", clientId: source.clientId });
    expect(JSON.stringify(abandoned())).not.toMatch(/\n\s+at /);

    // The ordinary refusals on the way: none writes to stderr either.
    const refusals = [
      await send(gateway.baseUrl, "GET", "/api/v1/submissions/x", undefined, {
        authorization: "Bearer x.y.z",
      }),
      await send(gateway.baseUrl, "GET", "/nowhere"),
      await send(gateway.baseUrl, "POST", "/api/v1/cases", "{"),
      await send(gateway.baseUrl, "POST", "/api/v1/cases", "<sak/>", { "content-type": "application/xml" }),
      await send(gateway.baseUrl, "POST", "/api/v1/cases", "{}", { "content-encoding": "zstd" }),
    ];
    expect(refusals.map((answer) => answer.status)).toEqual([401, 404, 400, 415, 415]);
    // Nothing above, nor the hostile bodies before it, put a line on stderr.
    expect(gateway.stderr()).toBe("");
  });
});

/** Starts a 4 MB request, sends a quarter of it, and goes away. */
function abandon(base: string, path: string, contentType: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const upload = httpRequest(`${base}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${tokens.source}`,
        "content-type": contentType,
        "content-disposition": "attachment; filename=halvveis.pdf",
        "content-length": String(4 * 1024 * 1024),
      },
    });
    upload.on("error", () => resolve());
    upload.on("close", () => resolve());
    const quarter =
      contentType === "application/json" ? `["${"x".repeat(1024 * 1024)}` : "%PDF-1.7 ".repeat(116_509);
    upload.write(quarter, () => upload.destroy());
  });
}

/** Polls until `done` holds (the process logs asynchronously); fails after 10 s. */
async function waitFor(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("not seen within 10 s");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
