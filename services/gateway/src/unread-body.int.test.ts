import { connect } from "node:net";
import { createLogger } from "@flyt/logging";
import { type RunningAuthorizationServer, startAuthorizationServer } from "@flyt/oauth-server";
import { createDatabase } from "@flyt/postgres";
import { migrateRegistry, RegistryStore, seedDemoCounty } from "@flyt/registry";
import { createTestDatabase } from "@flyt/testing";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateGateway } from "./adapters/postgres/migrations";
import { createApp } from "./app";
import { listen, testAppDependencies } from "./app.fixtures";

/**
 * An answer given before the body was read (413 above all) reaches a client that is still sending it: a raw
 * HTTP client that sends the whole body first and only then reads, as curl and fetch do, gets the problem body
 * and `Connection: close`, never a reset connection.
 */

const AUDIENCE = "urn:flyt:gateway:unread-body-test";
const client = { clientId: "demo-egrunnerverv-test", clientSecret: "s1" };
const BODY_LIMIT_BYTES = 1_000_000;
const UPLOAD_LIMIT_BYTES = 1_000;

let oauth: RunningAuthorizationServer;
let dropDatabase: () => Promise<void>;
let db: Knex;
let server: Awaited<ReturnType<typeof listen>>;
let port: number;
let token: string;

beforeAll(async () => {
  oauth = await startAuthorizationServer({ audience: AUDIENCE, clients: [client] });
  const database = await createTestDatabase();
  dropDatabase = database.drop;
  db = createDatabase({ url: database.url, applicationName: "flyt.gateway-test" });
  await migrateRegistry(db);
  await migrateGateway(db);
  await seedDemoCounty(new RegistryStore(db));
  token = await oauth.tokenFor(client);
  const deps = testAppDependencies({
    db,
    oauth,
    audience: AUDIENCE,
    publish: () => Promise.reject(new Error("nothing is accepted in this test")),
    uploadLimitBytes: UPLOAD_LIMIT_BYTES,
    logger: createLogger({ service: "gateway-test", level: "silent" }),
  });
  server = await listen(createApp({ ...deps, api: { ...deps.api, bodyLimitBytes: BODY_LIMIT_BYTES } }));
  port = Number(new URL(server.base).port);
});

afterAll(async () => {
  await server.close();
  await oauth.stop();
  await db.destroy();
  await dropDatabase();
});

interface RawExchange {
  /** Why sending failed (EPIPE, ECONNRESET), if it did. */
  readonly sendError?: string;
  /** Why reading failed, if it did. */
  readonly readError?: string;
  readonly status?: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Whether the server closed the connection after its answer (rather than reset it). */
  readonly endedByServer: boolean;
}

/**
 * Sends a request of `bodyBytes` bytes (declared in Content-Length, or chunked), the whole body before reading
 * anything, then reads the answer to the end of the connection.
 */
async function sendWholeBodyThenRead(options: {
  path: string;
  contentType: string;
  bodyBytes: number;
  chunked: boolean;
  authorized?: boolean;
}): Promise<RawExchange> {
  const socket = connect(port, "127.0.0.1");
  socket.pause();
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  let socketError: string | undefined;
  socket.on("error", (error: NodeJS.ErrnoException) => {
    socketError ??= error.code ?? error.message;
  });
  const write = (data: string | Buffer) =>
    new Promise<void>((resolve, reject) =>
      socket.write(data, (error) => (error ? reject(error) : resolve())),
    );
  const head = [
    `POST ${options.path} HTTP/1.1`,
    "Host: 127.0.0.1",
    ...(options.authorized === false ? [] : [`Authorization: Bearer ${token}`]),
    `Content-Type: ${options.contentType}`,
    "Content-Disposition: attachment; filename=large.pdf",
    options.chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${options.bodyBytes}`,
    "",
    "",
  ].join("\r\n");
  let sendError: string | undefined;
  try {
    await write(head);
    const piece = Buffer.alloc(64 * 1024, " ");
    for (let sent = 0; sent < options.bodyBytes; sent += piece.length) {
      const part = piece.subarray(0, Math.min(piece.length, options.bodyBytes - sent));
      await write(
        options.chunked
          ? Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from("\r\n")])
          : part,
      );
    }
    if (options.chunked) await write("0\r\n\r\n");
  } catch (error) {
    sendError = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  }
  const sendFailure = sendError ?? socketError;
  const received: Buffer[] = [];
  let endedByServer = false;
  socket.on("data", (chunk: Buffer) => received.push(chunk));
  await new Promise<void>((resolve) => {
    socket.once("end", () => {
      endedByServer = true;
      resolve();
    });
    socket.once("close", () => resolve());
    socket.resume();
  });
  socket.destroy();
  const text = Buffer.concat(received).toString("utf8");
  const [headText = "", body = ""] = text.split("\r\n\r\n", 2);
  const [statusLine = "", ...headerLines] = headText.split("\r\n");
  return {
    ...(sendFailure === undefined ? {} : { sendError: sendFailure }),
    ...(socketError === undefined || socketError === sendFailure ? {} : { readError: socketError }),
    ...(statusLine ? { status: Number(statusLine.split(" ")[1]) } : {}),
    headers: Object.fromEntries(
      headerLines.map((line) => [
        line.slice(0, line.indexOf(":")).toLowerCase(),
        line.slice(line.indexOf(":") + 1).trim(),
      ]),
    ),
    body,
    endedByServer,
  };
}

/** The problem body of an answer, whether it came whole or chunked. */
function problemOf(exchange: RawExchange): { type?: string; status?: number } {
  const json =
    exchange.headers["transfer-encoding"] === "chunked" ? exchange.body.split("\r\n")[1] : exchange.body;
  return JSON.parse(json ?? "{}");
}

function expectAnswered(exchange: RawExchange, status: number, type: string) {
  expect({
    sendError: exchange.sendError,
    readError: exchange.readError,
    status: exchange.status,
    contentType: exchange.headers["content-type"],
    connection: exchange.headers.connection,
    endedByServer: exchange.endedByServer,
  }).toEqual({
    sendError: undefined,
    readError: undefined,
    status,
    contentType: "application/problem+json",
    connection: "close",
    endedByServer: true,
  });
  expect(problemOf(exchange)).toMatchObject({ type, status });
}

const ROUNDS = 5;

describe("a body over the limit, still being sent when the answer is ready", () => {
  it.each([
    ["declared too large in Content-Length", false],
    ["found too large while reading it (chunked)", true],
  ])("a case %s: 413 problem+json the client reads, Connection: close", async (_, chunked) => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const exchange = await sendWholeBodyThenRead({
        path: "/api/v1/cases",
        contentType: "application/json",
        bodyBytes: 4 * BODY_LIMIT_BYTES,
        chunked,
      });
      expectAnswered(exchange, 413, "urn:flyt:problem:body-too-large");
    }
  });

  it.each([
    ["declared too large in Content-Length", false],
    ["found too large while storing it (chunked)", true],
  ])("a file %s: 413 problem+json the client reads, Connection: close", async (_, chunked) => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const exchange = await sendWholeBodyThenRead({
        path: "/api/v1/files",
        contentType: "application/pdf",
        bodyBytes: 2 * 1024 * 1024,
        chunked,
      });
      expectAnswered(exchange, 413, "urn:flyt:problem:file-too-large");
    }
  });

  it("any answer before the body is read, a 401 among them, reaches the client the same way", async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const exchange = await sendWholeBodyThenRead({
        path: "/api/v1/cases",
        contentType: "application/json",
        bodyBytes: 2 * BODY_LIMIT_BYTES,
        chunked: false,
        authorized: false,
      });
      expectAnswered(exchange, 401, "urn:flyt:problem:unauthenticated");
    }
  });
});
