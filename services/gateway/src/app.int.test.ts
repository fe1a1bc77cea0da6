import { createHash, randomBytes, randomUUID } from "node:crypto";
import { PostgresFileStore } from "@flyt/file-store";
import { createTopicsAndWait } from "@flyt/kafka";
import { testKafka } from "@flyt/kafka/testing";
import { createLogger } from "@flyt/logging";
import { type RunningAuthorizationServer, startAuthorizationServer } from "@flyt/oauth-server";
import { checkOutboundUrl } from "@flyt/outbound-guard";
import { createDatabase } from "@flyt/postgres";
import { migrateRegistry, RegistryStore, seedDemoCounty } from "@flyt/registry";
import { type SubmissionReceived, submissionReceivedV1Schema } from "@flyt/schemas";
import { createTestDatabase, testInfra, uniqueName } from "@flyt/testing";
import { topicCatalogue } from "@flyt/topics";
import fc from "fast-check";
import type { Consumer } from "kafkajs";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { migrateGateway } from "./adapters/postgres/migrations";
import { createApp } from "./app";
import { listen, testAppDependencies } from "./app.fixtures";
import { openApiDocument } from "./contract/openapi";

const AUDIENCE = "urn:flyt:gateway:test";
const egrunnerverv = { clientId: "demo-egrunnerverv-test", clientSecret: "s1" };
const vigo = { clientId: "demo-vigo-test", clientSecret: "s2" };
const otherTenant = { clientId: "vestland-egrunnerverv-test", clientSecret: "s3" };

const logger = createLogger({ service: "gateway-test", level: "silent" });
const infra = testInfra();
const { kafka, registry, producer } = testKafka(infra, "flyt.gateway-test", logger);
const topics = topicCatalogue({ namespace: uniqueName("gw") });
const received: { key: string; headers: Record<string, string>; event: SubmissionReceived }[] = [];

let oauth: RunningAuthorizationServer;
let db: Knex;
let dropDatabase: () => Promise<void>;
let consumer: Consumer;
let server: Awaited<ReturnType<typeof listen>>;
let base: string;
let files: PostgresFileStore;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  oauth = await startAuthorizationServer({ audience: AUDIENCE, clients: [egrunnerverv, vigo, otherTenant] });
  const database = await createTestDatabase();
  dropDatabase = database.drop;
  db = createDatabase({ url: database.url, applicationName: "flyt.gateway-test" });
  await migrateRegistry(db);
  await migrateGateway(db);
  const store = new RegistryStore(db);
  await seedDemoCounty(store);
  await store.addTenant({ id: "vestland", name: "Vestland fylkeskommune", organisationNumber: null });
  await store.addClient({
    clientId: otherTenant.clientId,
    tenantId: "vestland",
    sourceApplicationId: "egrunnerverv",
    environment: "test",
    description: null,
  });
  await store.addIntegration({
    tenantId: "vestland",
    integrationId: "egrunnerverv-sak",
    sourceApplicationId: "egrunnerverv",
    name: "Arkivsak",
    state: "ACTIVE",
  });

  const admin = kafka.admin();
  await admin.connect();
  await createTopicsAndWait(admin, [{ topic: topics.submissionReceived.topic, numPartitions: 3 }]);
  await admin.disconnect();
  await producer.connect();
  consumer = kafka.consumer({ groupId: uniqueName("flyt.gateway-test") });
  await consumer.connect();
  await consumer.subscribe({ topic: topics.submissionReceived.topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      received.push({
        key: String(message.key),
        headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        event: await registry.decode<SubmissionReceived>(message.value, submissionReceivedV1Schema),
      });
    },
  });

  files = new PostgresFileStore(db);
  const app = createApp(
    testAppDependencies({
      db,
      oauth,
      audience: AUDIENCE,
      publish: (event, key, headers) =>
        producer.publish(topics.submissionReceived, { key, value: event, headers }, { timeoutMs: 10_000 }),
      // Local-run policy: http and loopback allowed, nothing else private; names resolve without DNS here.
      checkUrl: (url) =>
        checkOutboundUrl(url, { allowHttp: true, allowlist: ["127.0.0.1"] }, async (host) =>
          host === "fagsystem.example"
            ? [{ address: "93.184.215.14", family: 4 }]
            : [{ address: "10.1.2.3", family: 4 }],
        ),
      secretOverlapMs: 24 * 3_600_000,
      uploadLimitBytes: 3 * 1024 * 1024,
      openApi: openApiDocument({ tokenUrl: oauth.tokenEndpoint }),
    }),
  );
  server = await listen(app);
  base = server.base;
  for (const client of [egrunnerverv, vigo, otherTenant])
    tokens[client.clientId] = await oauth.tokenFor(client);
});

afterAll(async () => {
  await server.close();
  await consumer.disconnect();
  await producer.disconnect();
  await oauth.stop();
  await db.destroy();
  await dropDatabase();
});

const pdf = Buffer.from("%PDF-1.7\n% Flyt test document\n");

function caseBody(sourceInstanceId: string, overrides: Record<string, unknown> = {}) {
  return {
    integrationId: "egrunnerverv-sak",
    sourceInstanceId,
    case: {
      tittel: "Erverv av grunn - gnr 12 bnr 4",
      klassering: [{ ordningsprinsipp: "GBNR", ordningsverdi: "12/4" }],
      part: [{ navn: "Kari Hansen", rolle: "GRUNNEIER" }],
    },
    journalPosts: [
      {
        tittel: "Kjøpekontrakt",
        journalposttype: "I",
        dokumentdato: "2026-11-20",
        dokumenter: [
          {
            tittel: "Kjøpekontrakt signert",
            tilknyttetRegistreringSom: "H",
            filnavn: "søknad_æøå.pdf",
            mimeType: "application/pdf",
            innhold: pdf.toString("base64"),
          },
        ],
      },
    ],
    ...overrides,
  };
}

async function request(
  method: string,
  path: string,
  options: { client?: { clientId: string }; body?: unknown; raw?: string; contentType?: string } = {},
) {
  const client = options.client ?? egrunnerverv;
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${tokens[client.clientId]}`,
      ...(options.body !== undefined || options.raw !== undefined
        ? { "content-type": options.contentType ?? "application/json" }
        : {}),
    },
    ...(options.raw !== undefined
      ? { body: options.raw }
      : options.body !== undefined
        ? { body: JSON.stringify(options.body) }
        : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

type AppOptions = Parameters<typeof testAppDependencies>[0];

/** A gateway of a test's own over the same database and issuer, publishing its own way. */
const gatewayPublishingWith = (publish: AppOptions["publish"], overrides: Partial<AppOptions> = {}) =>
  listen(createApp(testAppDependencies({ db, oauth, audience: AUDIENCE, publish, ...overrides })));

/** A case posted to a gateway of a test's own, as the registered eGrunnerverv client. */
const postCase = (gatewayBase: string, body: unknown) =>
  fetch(`${gatewayBase}/api/v1/cases`, {
    method: "POST",
    headers: { authorization: `Bearer ${tokens[egrunnerverv.clientId]}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

const eventsFor = (sourceInstanceId: string) =>
  received.filter((r) => r.event.submission.sourceInstanceId === sourceInstanceId);

describe("POST /api/v1/cases", () => {
  it("accepts a one-step case: 202 only once it is in Kafka, with the document stored and referenced", async () => {
    const accepted = await request("POST", "/api/v1/cases", { body: caseBody("GRV-1") });
    expect(accepted.status).toBe(202);
    const id = accepted.body.id as string;
    expect(id).toMatch(/^sub_[0-9A-Z]{26}$/);
    expect(accepted.body).toEqual({ id, status: "RECEIVED", statusUrl: `/api/v1/submissions/${id}` });
    expect(accepted.headers.get("location")).toBe(`/api/v1/submissions/${id}`);

    await vi.waitFor(() => expect(eventsFor("GRV-1")).toHaveLength(1), { timeout: 15_000 });
    const [message] = eventsFor("GRV-1");
    expect(message?.key).toBe(id);
    expect(message?.headers).toMatchObject({
      tenant: "demo",
      "source-application": "egrunnerverv",
      "submission-id": id,
    });
    expect(message?.event.submission).toEqual({
      id,
      tenant: "demo",
      sourceApplication: "egrunnerverv",
      integrationId: "egrunnerverv-sak",
      sourceInstanceId: "GRV-1",
      kind: "CASE",
      run: 1,
    });
    expect(message?.event.case?.klassering).toEqual([
      { ordningsprinsipp: "GBNR", ordningsverdi: "12/4", beskrivelse: null },
    ]);
    const file = message?.event.journalPosts[0]?.dokumenter[0]?.file;
    expect(file).toMatchObject({
      filename: "søknad_æøå.pdf",
      mimeType: "application/pdf",
      sizeBytes: pdf.length,
      sha256: createHash("sha256").update(pdf).digest("hex"),
    });
    expect(
      Buffer.compare(
        await files.content({ tenantId: "demo", sourceApplicationId: "egrunnerverv" }, file?.fileId ?? ""),
        pdf,
      ),
    ).toBe(0);
  });

  it("answers the same body again (in another key order) with the same id, and publishes it once", async () => {
    const body = caseBody("GRV-2");
    const first = await request("POST", "/api/v1/cases", { body });
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const second = await request("POST", "/api/v1/cases", { body: reordered });
    expect(second.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    await vi.waitFor(() => expect(eventsFor("GRV-2")).toHaveLength(1), { timeout: 15_000 });
  });

  it("answers 409 naming the existing submission when the same sourceInstanceId comes with another body", async () => {
    const first = await request("POST", "/api/v1/cases", { body: caseBody("GRV-3") });
    const other = await request("POST", "/api/v1/cases", {
      body: caseBody("GRV-3", { case: { tittel: "Another title" } }),
    });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({
      type: "urn:flyt:problem:source-instance-conflict",
      existingId: first.body.id,
    });
  });

  it("turns 20 concurrent identical requests into one submission", async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => request("POST", "/api/v1/cases", { body: caseBody("GRV-4") })),
    );
    const ids = new Set(
      answers.map((answer) => (answer.status === 202 ? answer.body.id : answer.body.existingId)),
    );
    expect(ids.size).toBe(1);
    for (const answer of answers) expect([202, 409]).toContain(answer.status);
    expect(answers.some((answer) => answer.status === 202)).toBe(true);
    await vi.waitFor(() => expect(eventsFor("GRV-4")).toHaveLength(1), { timeout: 15_000 });
  });

  it("answers 400 with every error at once, each with a code and a pointer", async () => {
    const result = await request("POST", "/api/v1/cases", {
      body: {
        integrationId: "egrunnerverv-sak",
        case: { tittel: "" },
        journalPosts: [{ tittel: "x", journalposttype: "Q", dokumenter: [] }],
      },
    });
    expect(result.status).toBe(400);
    expect(result.headers.get("content-type")).toContain("application/problem+json");
    expect((result.body.errors as { pointer: string }[]).map((error) => error.pointer).sort()).toEqual(
      [
        "/case/tittel",
        "/journalPosts/0/dokumenter",
        "/journalPosts/0/journalposttype",
        "/sourceInstanceId",
      ].sort(),
    );
  });

  it("answers 415 for another content type, 400 for malformed JSON, 413 for a body over the limit", async () => {
    expect(
      (await request("POST", "/api/v1/cases", { raw: "<sak/>", contentType: "application/xml" })).status,
    ).toBe(415);
    const malformed = await request("POST", "/api/v1/cases", { raw: '{"integrationId": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.type).toBe("urn:flyt:problem:malformed-json");
    const huge = caseBody("GRV-5");
    (huge.journalPosts[0]?.dokumenter[0] as { innhold: string }).innhold =
      Buffer.alloc(900_000).toString("base64");
    expect((await request("POST", "/api/v1/cases", { body: huge })).status).toBe(413);
  });

  it("answers 404 for an integration the caller does not have, and 422 for a deactivated one", async () => {
    expect(
      (
        await request("POST", "/api/v1/cases", {
          body: caseBody("GRV-6", { integrationId: "no-such-integration" }),
        })
      ).status,
    ).toBe(404);
    expect((await request("POST", "/api/v1/cases", { client: vigo, body: caseBody("GRV-6") })).status).toBe(
      404,
    );
    const whileActive = await request("POST", "/api/v1/cases", {
      client: vigo,
      body: caseBody("GRV-6", { integrationId: "vigo-ny-soker" }),
    });
    expect(whileActive.status).toBe(202);
    await db("integrations")
      .where({ tenant_id: "demo", integration_id: "vigo-ny-soker" })
      .update({ state: "DEACTIVATED" });
    const refused = await request("POST", "/api/v1/cases", {
      client: vigo,
      body: caseBody("GRV-7", { integrationId: "vigo-ny-soker" }),
    });
    expect(refused.status).toBe(422);
    expect(refused.body.type).toBe("urn:flyt:problem:integration-deactivated");
  });
});

function journalPostsBody(sourceInstanceId: string) {
  const { journalPosts } = caseBody("unused");
  return { integrationId: "egrunnerverv-journalpost", sourceInstanceId, journalPosts };
}

describe("Idempotency-Key", () => {
  async function withKey(key: string, body: unknown) {
    const res = await fetch(`${base}/api/v1/cases`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${tokens[egrunnerverv.clientId]}`,
        "content-type": "application/json",
        "idempotency-key": key,
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  }

  it("answers the same key with the same body with the stored response, publishing once", async () => {
    const key = randomUUID();
    const first = await withKey(key, caseBody("GRV-40"));
    const again = await withKey(key, caseBody("GRV-40"));
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
    await vi.waitFor(() => expect(eventsFor("GRV-40")).toHaveLength(1), { timeout: 15_000 });
  });

  it("answers 422 when a key is reused with another body", async () => {
    const key = randomUUID();
    expect((await withKey(key, caseBody("GRV-41"))).status).toBe(202);
    const reused = await withKey(key, caseBody("GRV-42"));
    expect(reused.status).toBe(422);
    expect(reused.body.type).toBe("urn:flyt:problem:idempotency-key-reused");
  });

  it("lets concurrent copies with one key through once, the others 409 while it is in flight", async () => {
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 10 }, () => withKey(key, caseBody("GRV-43"))));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 202).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((status) => status === 202 || status === 409)).toBe(true);
    expect(new Set(answers.filter((a) => a.status === 202).map((a) => a.body.id)).size).toBe(1);
  });

  it("does not keep a failed answer: after a 400 the same key may be used again", async () => {
    const key = randomUUID();
    expect((await withKey(key, { integrationId: "egrunnerverv-sak" })).status).toBe(400);
    expect((await withKey(key, { integrationId: "egrunnerverv-sak" })).status).toBe(400);
  });
});

describe("POST /api/v1/cases/{caseRef}/journal-posts", () => {
  it("accepts journal posts to a case submission not archived yet, keyed like the case so they follow it", async () => {
    const theCase = await request("POST", "/api/v1/cases", { body: caseBody("GRV-20") });
    const posts = await request("POST", `/api/v1/cases/${theCase.body.id}/journal-posts`, {
      body: journalPostsBody("GRV-20-DOC-1"),
    });
    expect(posts.status).toBe(202);
    await vi.waitFor(() => expect(eventsFor("GRV-20-DOC-1")).toHaveLength(1), { timeout: 15_000 });
    const [message] = eventsFor("GRV-20-DOC-1");
    expect(message?.key).toBe(theCase.body.id);
    expect(message?.event.submission.kind).toBe("JOURNAL_POSTS");
    expect(message?.event.caseRef).toBe(theCase.body.id);
    expect(message?.event.case).toBeNull();
    const status = await request("GET", `/api/v1/submissions/${posts.body.id}`);
    expect(status.body).toMatchObject({ kind: "journal-posts", status: "RECEIVED" });
  });

  it("accepts journal posts to an archive case number, URL-encoded", async () => {
    const posts = await request("POST", "/api/v1/cases/2026%2F123/journal-posts", {
      body: journalPostsBody("GRV-21"),
    });
    expect(posts.status).toBe(202);
    await vi.waitFor(() => expect(eventsFor("GRV-21")).toHaveLength(1), { timeout: 15_000 });
    expect(eventsFor("GRV-21")[0]).toMatchObject({ key: "demo:2026/123", event: { caseRef: "2026/123" } });
  });

  it("answers 404 for a case submission it does not know or that is another tenant's, 400 for a malformed caseRef", async () => {
    const theirs = await request("POST", "/api/v1/cases", { client: otherTenant, body: caseBody("GRV-22") });
    expect(theirs.status).toBe(202);
    const toTheirs = await request("POST", `/api/v1/cases/${theirs.body.id}/journal-posts`, {
      body: journalPostsBody("GRV-22-DOC"),
    });
    expect(toTheirs.status).toBe(404);
    expect(toTheirs.body.type).toBe("urn:flyt:problem:unknown-case");
    const unknown = await request("POST", "/api/v1/cases/sub_01ARYZ6S41TSV4RRFFQ69G5FAV/journal-posts", {
      body: journalPostsBody("GRV-23"),
    });
    expect(unknown.status).toBe(404);
    // Another source application of the same county: as unknown as a case submission that was never made.
    const vigosCase = await request("POST", "/api/v1/cases", {
      client: vigo,
      body: {
        integrationId: "vigo-soknad-til-arkivet",
        sourceInstanceId: "VIGO-22",
        case: { tittel: "Søknad til arkivet" },
      },
    });
    expect(vigosCase.status).toBe(202);
    const toVigos = await request("POST", `/api/v1/cases/${vigosCase.body.id}/journal-posts`, {
      body: journalPostsBody("GRV-22-DOC-2"),
    });
    expect(toVigos.status).toBe(404);
    const without = (problem: Record<string, unknown>) => ({
      ...problem,
      detail: undefined,
      instance: undefined,
    });
    expect(without(toVigos.body)).toEqual(without(unknown.body));
    expect(toVigos.body.detail).toBe(
      String(unknown.body.detail).replace("sub_01ARYZ6S41TSV4RRFFQ69G5FAV", String(vigosCase.body.id)),
    );
    const malformed = await request("POST", "/api/v1/cases/not-a-case/journal-posts", {
      body: journalPostsBody("GRV-24"),
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.type).toBe("urn:flyt:problem:invalid-case-ref");
  });

  it("treats the same journal posts sent to another case as another body (409)", async () => {
    expect(
      (await request("POST", "/api/v1/cases/2026%2F7/journal-posts", { body: journalPostsBody("GRV-25") }))
        .status,
    ).toBe(202);
    const elsewhere = await request("POST", "/api/v1/cases/2026%2F8/journal-posts", {
      body: journalPostsBody("GRV-25"),
    });
    expect(elsewhere.status).toBe(409);
  });

  it("needs at least one journal post", async () => {
    const result = await request("POST", "/api/v1/cases/2026%2F9/journal-posts", {
      body: { integrationId: "egrunnerverv-journalpost", sourceInstanceId: "GRV-26", journalPosts: [] },
    });
    expect(result.status).toBe(400);
    expect(result.body.errors).toEqual([
      expect.objectContaining({ code: "too-few", pointer: "/journalPosts" }),
    ]);
  });
});

async function upload(content: Buffer, headers: Record<string, string>) {
  const res = await fetch(`${base}/api/v1/files`, {
    method: "POST",
    headers: { authorization: `Bearer ${tokens[egrunnerverv.clientId]}`, ...headers },
    body: content,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const chunkCount = async (fileId?: string) =>
  Number(
    (
      await db("file_chunks")
        .where(fileId ? { file_id: fileId } : {})
        .count({ n: "*" })
    )[0]?.n,
  );

describe("POST /api/v1/files", () => {
  it("streams a large file into the store in chunks, answering its id, size and SHA-256; a journal post refers to it", async () => {
    const content = randomBytes(2_500_000);
    const stored = await upload(content, {
      "content-type": "application/pdf",
      "content-disposition": "attachment; filename*=UTF-8''s%C3%B8knad_%C3%A6%C3%B8%C3%A5.pdf",
    });
    expect(stored.status).toBe(201);
    expect(stored.body).toMatchObject({
      filename: "søknad_æøå.pdf",
      mimeType: "application/pdf",
      sizeBytes: content.length,
      sha256: createHash("sha256").update(content).digest("hex"),
    });
    const fileId = stored.body.fileId as string;
    expect(
      Buffer.compare(
        await files.content({ tenantId: "demo", sourceApplicationId: "egrunnerverv" }, fileId),
        content,
      ),
    ).toBe(0);
    expect(await chunkCount(fileId)).toBe(3);

    const body = journalPostsBody("GRV-30");
    (body.journalPosts[0] as { dokumenter: unknown[] }).dokumenter = [
      { tittel: "Stor kontrakt", tilknyttetRegistreringSom: "H", fileId },
    ];
    expect((await request("POST", "/api/v1/cases/2026%2F30/journal-posts", { body })).status).toBe(202);
    await vi.waitFor(() => expect(eventsFor("GRV-30")).toHaveLength(1), { timeout: 15_000 });
    expect(eventsFor("GRV-30")[0]?.event.journalPosts[0]?.dokumenter[0]?.file).toEqual(stored.body);
  });

  it("refuses a file over the limit (keeping nothing), a type off the allowlist, no name, and no content", async () => {
    const before = await chunkCount();
    const named = { "content-disposition": 'attachment; filename="a.pdf"' };
    expect(
      (await upload(randomBytes(3 * 1024 * 1024 + 1), { "content-type": "application/pdf", ...named }))
        .status,
    ).toBe(413);
    // Far over the limit: refused from Content-Length before the body is read, and the answer still arrives.
    const huge = await upload(randomBytes(30 * 1024 * 1024), { "content-type": "application/pdf", ...named });
    expect(huge.status).toBe(413);
    expect(await chunkCount()).toBe(before);
    expect(
      (await upload(Buffer.from("MZ"), { "content-type": "application/x-msdownload", ...named })).status,
    ).toBe(415);
    expect((await upload(Buffer.from("%PDF"), { "content-type": "application/pdf" })).status).toBe(400);
    const empty = await upload(Buffer.alloc(0), { "content-type": "application/pdf", ...named });
    expect(empty.body.type).toBe("urn:flyt:problem:empty-file");
  });

  it("will not let a journal post refer to another tenant's or another source application's file", async () => {
    const uploadAs = async (client: { clientId: string }) => {
      const res = await fetch(`${base}/api/v1/files?filename=theirs.pdf`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokens[client.clientId]}`, "content-type": "application/pdf" },
        body: Buffer.from("%PDF-1.7 theirs"),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { fileId: string }).fileId;
    };
    const referring = (sourceInstanceId: string, fileId: string) => {
      const body = journalPostsBody(sourceInstanceId);
      (body.journalPosts[0] as { dokumenter: unknown[] }).dokumenter = [
        { tittel: "Ikke min", tilknyttetRegistreringSom: "H", fileId },
      ];
      return request("POST", "/api/v1/cases/2026%2F31/journal-posts", { body });
    };
    const attempts = [
      await referring("GRV-31", await uploadAs(otherTenant)),
      await referring("GRV-31b", await uploadAs(vigo)),
      await referring("GRV-31c", "file_NeverUploaded0123456789"),
    ];
    // Another's file and no file at all answer alike: nothing tells that it exists.
    for (const result of attempts) {
      expect(result.status).toBe(400);
      expect(result.body.errors).toEqual([
        {
          code: "unknown-file",
          pointer: "/journalPosts/0/dokumenter/0/fileId",
          detail: "No file with this id was uploaded by this client's source application.",
        },
      ]);
    }
    expect(eventsFor("GRV-31b")).toHaveLength(0);
  });
});

describe("when Kafka is unreachable", () => {
  it("answers 503 with Retry-After, accepts nothing, and the same request later resumes under the same id", async () => {
    // A producer that lost its connection: kafkajs refuses to send with a retriable error.
    const cutOff = testKafka(infra, "flyt.gateway-test", logger).producer;
    const broken = await gatewayPublishingWith(
      (event, key, headers) => cutOff.publish(topics.submissionReceived, { key, value: event, headers }),
      { stalePendingMs: 0 },
    );
    const brokenBase = broken.base;
    try {
      const res = await postCase(brokenBase, caseBody("GRV-50"));
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(((await res.json()) as { type: string }).type).toBe("urn:flyt:problem:unavailable");
    } finally {
      await broken.close();
    }
    const pending = await db("intake_submissions").where({ source_instance_id: "GRV-50" }).first();
    expect(pending.state).toBe("pending");
    expect(
      (await request("GET", "/api/v1/submissions?integrationId=egrunnerverv-sak&sourceInstanceId=GRV-50"))
        .status,
    ).toBe(404);
    expect(eventsFor("GRV-50")).toHaveLength(0);
    // Nothing may be added to a case that was never accepted.
    const toPending = await request("POST", `/api/v1/cases/${pending.id}/journal-posts`, {
      body: journalPostsBody("GRV-50-DOC"),
    });
    expect(toPending.status).toBe(404);

    // Kafka is back (the working gateway): once the claim is stale, the same request resumes it.
    await db("intake_submissions")
      .where({ id: pending.id })
      .update({ created_at: new Date(Date.now() - 60_000) });
    const resumed = await request("POST", "/api/v1/cases", { body: caseBody("GRV-50") });
    expect(resumed.status).toBe(202);
    expect(resumed.body.id).toBe(pending.id);
    await vi.waitFor(() => expect(eventsFor("GRV-50")).toHaveLength(1), { timeout: 15_000 });
  });
});

describe("when Kafka acknowledges after the deadline", () => {
  it("answers 503, then counts the submission as accepted once Kafka took it: polling finds it, a repeat is 202", async () => {
    // A deadline shorter than the producer's linger: the answer is always late, but it comes.
    const slow = await gatewayPublishingWith((event, key, headers) =>
      producer.publish(topics.submissionReceived, { key, value: event, headers }, { timeoutMs: 1 }),
    );
    try {
      const res = await postCase(slow.base, caseBody("GRV-51"));
      expect(res.status).toBe(503);
    } finally {
      await slow.close();
    }
    await vi.waitFor(() => expect(eventsFor("GRV-51")).toHaveLength(1), { timeout: 15_000 });
    const polled = await vi.waitFor(
      async () => {
        const answer = await request(
          "GET",
          "/api/v1/submissions?integrationId=egrunnerverv-sak&sourceInstanceId=GRV-51",
        );
        expect(answer.status).toBe(200);
        return answer;
      },
      { timeout: 15_000 },
    );
    const repeated = await request("POST", "/api/v1/cases", { body: caseBody("GRV-51") });
    expect(repeated.status).toBe(202);
    expect(repeated.body.id).toBe(polled.body.id);
    expect(eventsFor("GRV-51")).toHaveLength(1);
  });
});

describe("GET /api/v1/submissions", () => {
  it("answers an accepted submission at once, by id and by integrationId + sourceInstanceId, with Retry-After", async () => {
    const { body } = await request("POST", "/api/v1/cases", { body: caseBody("GRV-8") });
    const byId = await request("GET", `/api/v1/submissions/${body.id}`);
    expect(byId.status).toBe(200);
    expect(byId.headers.get("retry-after")).toBe("5");
    expect(byId.body).toMatchObject({
      id: body.id,
      integrationId: "egrunnerverv-sak",
      sourceInstanceId: "GRV-8",
      kind: "case",
      status: "RECEIVED",
    });
    // The time polling shows now is the one the event carries, which the status projection will show.
    await vi.waitFor(() => expect(eventsFor("GRV-8")).toHaveLength(1), { timeout: 15_000 });
    const receivedAt = eventsFor("GRV-8")[0]?.event.receivedAt.toISOString();
    expect(byId.body.history).toEqual([{ status: "RECEIVED", at: receivedAt }]);
    expect(byId.body.createdAt).toBe(receivedAt);
    const lookup = await request(
      "GET",
      "/api/v1/submissions?integrationId=egrunnerverv-sak&sourceInstanceId=GRV-8",
    );
    expect(lookup.body).toEqual(byId.body);
  });

  it("answers from the status read model once the submission is projected: no Retry-After when terminal", async () => {
    const { body } = await request("POST", "/api/v1/cases", { body: caseBody("GRV-10") });
    // What the status projection writes once the archive took it.
    const at = (second: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, second));
    await db("submission_status").insert({
      submission_id: body.id,
      tenant_id: "demo",
      source_application_id: "egrunnerverv",
      integration_id: "egrunnerverv-sak",
      source_instance_id: "GRV-10",
      kind: "CASE",
      run: 1,
      status: "ARCHIVED",
      case_number: "2026/123",
      journal_post_numbers: JSON.stringify(["2026/123-1"]),
      errors: "[]",
      configuration_version: 3,
      status_event_id: `${body.id}-ARCHIVED`,
      created_at: at(0),
      updated_at: at(2),
    });
    await db("submission_status_history").insert(
      (["RECEIVED", "VALIDATED", "ARCHIVED"] as const).map((status, i) => ({
        event_id: `${body.id}-${status}`,
        submission_id: body.id,
        run: 1,
        status,
        rank: i,
        at: at(i),
        facts: "{}",
        position: i + 1,
      })),
    );
    const answered = await request("GET", `/api/v1/submissions/${body.id}`);
    expect(answered.headers.get("retry-after")).toBeNull();
    expect(answered.body).toMatchObject({
      id: body.id,
      status: "ARCHIVED",
      caseNumber: "2026/123",
      journalPostNumbers: ["2026/123-1"],
      history: [
        { status: "RECEIVED", at: at(0).toISOString() },
        { status: "VALIDATED", at: at(1).toISOString() },
        { status: "ARCHIVED", at: at(2).toISOString() },
      ],
      createdAt: at(0).toISOString(),
      updatedAt: at(2).toISOString(),
    });
    expect((await request("GET", `/api/v1/submissions/${body.id}`, { client: otherTenant })).status).toBe(
      404,
    );
  });

  it("answers 404, not 403, for another tenant's or source application's submission", async () => {
    const { body } = await request("POST", "/api/v1/cases", { body: caseBody("GRV-9") });
    expect((await request("GET", `/api/v1/submissions/${body.id}`, { client: otherTenant })).status).toBe(
      404,
    );
    expect((await request("GET", `/api/v1/submissions/${body.id}`, { client: vigo })).status).toBe(404);
    expect((await request("GET", "/api/v1/submissions/sub_unknown")).status).toBe(404);
  });
});

describe("fuzzing the intake (fast-check)", () => {
  /** Never a 5xx; any refusal is a problem body whose field errors all carry a code and a JSON pointer. */
  async function assertWellFormedAnswer(body: string) {
    const res = await fetch(`${base}/api/v1/cases`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${tokens[egrunnerverv.clientId]}`,
        "content-type": "application/json",
      },
      body,
    });
    const answer = (await res.json()) as { errors?: { code: unknown; pointer: unknown; detail: unknown }[] };
    expect(res.status).toBeLessThan(500);
    if (res.status === 202) return;
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    for (const error of answer.errors ?? []) {
      expect(typeof error.code).toBe("string");
      expect(error.pointer).toMatch(/^(\/[^/]*)*$/);
      expect(typeof error.detail).toBe("string");
    }
  }

  it("answers any JSON value well (2,000 cases)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ stringUnit: "binary" }), (value) =>
        assertWellFormedAnswer(JSON.stringify(value)),
      ),
      { numRuns: 2_000 },
    );
  });

  it("answers mutations of a valid case well (1,000 cases)", async () => {
    const anything = fc.oneof(
      fc.jsonValue({ stringUnit: "binary" }),
      fc.string({ unit: "binary" }),
      fc.constant(undefined),
    );
    const mutation = fc.record({
      integrationId: anything,
      sourceInstanceId: fc.oneof(fc.string({ unit: "binary" }), anything),
      case: fc.oneof(fc.record({ tittel: anything, arkivdel: anything, klassering: anything }), anything),
      journalPosts: fc.oneof(
        fc.array(
          fc.record({
            tittel: anything,
            journalposttype: fc.oneof(fc.constantFrom("I", "U", "N", "X", "Q"), anything),
            dokumentdato: fc.oneof(fc.constant("2026-11-20"), fc.string({ unit: "binary" })),
            dokumenter: fc.oneof(
              fc.array(
                fc.record({
                  tittel: anything,
                  tilknyttetRegistreringSom: fc.oneof(fc.constantFrom("H", "V"), anything),
                  innhold: fc.oneof(fc.base64String(), fc.string({ unit: "binary" })),
                  fileId: fc.oneof(fc.constant(undefined), fc.string({ unit: "binary" })),
                  filnavn: fc.oneof(fc.string({ unit: "binary" }), fc.constant("søknad_æøå.pdf")),
                  mimeType: fc.oneof(fc.constant("application/pdf"), fc.string({ unit: "binary" })),
                }),
                { maxLength: 3 },
              ),
              anything,
            ),
          }),
          { maxLength: 3 },
        ),
        anything,
      ),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async (changes) => {
        const body = { ...caseBody(`FUZZ-${randomUUID()}`), ...changes };
        await assertWellFormedAnswer(JSON.stringify(body));
      }),
      { numRuns: 1_000 },
    );
  });

  it("answers text that is not JSON well (500 cases)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary" }), async (text) => {
        fc.pre(!isJson(text));
        await assertWellFormedAnswer(text);
      }),
      { numRuns: 500 },
    );
  });
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe("callback registration", () => {
  it("registers, shows (without the secret), rotates with an overlap, and removes the caller's endpoint", async () => {
    const registered = await request("PUT", "/api/v1/callback", {
      body: { url: "https://fagsystem.example/flyt-callback" },
    });
    expect(registered.status).toBe(200);
    expect(registered.body.url).toBe("https://fagsystem.example/flyt-callback");
    const secret = registered.body.secret as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice("whsec_".length), "base64")).toHaveLength(32);

    const shown = await request("GET", "/api/v1/callback");
    expect(shown.body).toMatchObject({
      url: "https://fagsystem.example/flyt-callback",
      previousSecretExpiresAt: null,
    });
    expect(JSON.stringify(shown.body)).not.toContain("whsec_");

    const rotated = await request("POST", "/api/v1/callback/rotate-secret");
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(secret);
    const overlapEnds = Date.parse(rotated.body.previousSecretExpiresAt as string);
    expect(overlapEnds - Date.now()).toBeGreaterThan(23 * 3_600_000);
    const row = await db("callback_endpoints")
      .where({ tenant_id: "demo", source_application_id: "egrunnerverv" })
      .first();
    expect(row).toMatchObject({ secret: rotated.body.secret, previous_secret: secret });

    expect((await request("GET", "/api/v1/callback", { client: vigo })).status).toBe(404);
    expect((await request("DELETE", "/api/v1/callback")).status).toBe(204);
    expect((await request("GET", "/api/v1/callback")).status).toBe(404);
    expect((await request("POST", "/api/v1/callback/rotate-secret")).status).toBe(404);
  });

  it.each([
    ["a private address", "http://10.0.0.1/cb"],
    ["cloud metadata", "http://169.254.169.254/latest/meta-data"],
    ["a name that resolves to a private address", "https://intranet.example/cb"],
    ["IPv6 loopback", "http://[::1]:8080/cb"],
  ])("refuses %s with 400", async (_name, url) => {
    const refused = await request("PUT", "/api/v1/callback", { body: { url } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ type: "urn:flyt:problem:callback-url-refused" });
    expect(refused.body.errors).toEqual([expect.objectContaining({ code: "refused-url", pointer: "/url" })]);
  });

  it("allows loopback where the deployment allowlists it (the local run)", async () => {
    expect(
      (await request("PUT", "/api/v1/callback", { client: vigo, body: { url: "http://127.0.0.1:9999/cb" } }))
        .status,
    ).toBe(200);
  });
});

describe("input that is not storable text, and malformed paths", () => {
  it("refuses control characters in fields with 400 and a pointer (Postgres cannot store NUL)", async () => {
    const result = await request("POST", "/api/v1/cases", { body: caseBody("GRV-\u0000-60") });
    expect(result.status).toBe(400);
    expect(result.body.errors).toEqual([
      expect.objectContaining({ code: "invalid-format", pointer: "/sourceInstanceId" }),
    ]);
  });

  it("answers malformed ids and escapes in paths and queries with 4xx, never 5xx", async () => {
    expect((await request("GET", "/api/v1/submissions/%00")).status).toBe(404);
    expect((await request("GET", "/api/v1/submissions/%E0%A4")).status).toBe(404);
    expect(
      (await request("GET", "/api/v1/submissions?integrationId=egrunnerverv-sak&sourceInstanceId=%00"))
        .status,
    ).toBe(404);
    expect(
      (await request("POST", "/api/v1/cases/%/journal-posts", { body: journalPostsBody("GRV-61") })).status,
    ).toBe(400);
  });
});

describe("the contract, served", () => {
  it("serves the OpenAPI document and /docs without a token", async () => {
    const doc = await fetch(`${base}/api/v1/openapi.json`);
    expect(doc.status).toBe(200);
    expect(((await doc.json()) as { openapi: string }).openapi).toBe("3.1.0");
    const page = await fetch(`${base}/docs`);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(await page.text()).toContain('<script src="/docs/swagger-ui-bundle.js"></script>');
    const bundle = await fetch(`${base}/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
  });

  it("answers every documented operation with one of the statuses documented for it", async () => {
    const document = openApiDocument({ tokenUrl: oauth.tokenEndpoint });
    const samples: Record<string, string> = {
      "{caseRef}": "2026%2F1",
      "{id}": "sub_01ARYZ6S41TSV4RRFFQ69G5FAV",
    };
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations as Record<string, { responses: object }>)) {
        const url = path.replace(/\{[^}]+\}/g, (param) => samples[param] ?? "x");
        const sendsBody = method === "post" || method === "put";
        const query =
          path === "/api/v1/submissions" ? "?integrationId=egrunnerverv-sak&sourceInstanceId=none" : "";
        const res = await fetch(`${base}${url}${query}`, {
          method: method.toUpperCase(),
          headers: {
            authorization: `Bearer ${tokens[egrunnerverv.clientId]}`,
            ...(sendsBody
              ? { "content-type": path.endsWith("/files") ? "application/pdf" : "application/json" }
              : {}),
          },
          ...(sendsBody ? { body: path.endsWith("/files") ? "%PDF" : "{}" } : {}),
        });
        await res.arrayBuffer();
        expect({ operation: `${method} ${path}`, status: String(res.status) }).toEqual({
          operation: `${method} ${path}`,
          status: expect.toBeOneOf(Object.keys(operation.responses)),
        });
      }
    }
  });
});

describe("operations endpoints on the API port", () => {
  it("serves /livez and /readyz without a token; /metrics is the ops port's (404 here)", async () => {
    expect((await fetch(`${base}/livez`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(404);
    expect(metrics.headers.get("content-type")).toContain("application/problem+json");
  });
});
