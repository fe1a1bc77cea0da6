import { describe, expect, it } from "vitest";
import {
  FlytError,
  isConnectionError,
  isRetriable,
  isUnavailable,
  PermanentError,
  retryWhileRetriable,
  TransientError,
} from "./flyt-error";

class ArchiveUnavailableError extends TransientError {}

describe("FlytError", () => {
  it("carries retriable, cause and the subclass name", () => {
    const cause = new Error("ECONNRESET");
    const error = new ArchiveUnavailableError("archive did not answer", { cause });
    expect(error).toBeInstanceOf(FlytError);
    expect(error.name).toBe("ArchiveUnavailableError");
    expect(error.retriable).toBe(true);
    expect(error.cause).toBe(cause);
  });

  it("tells what is worth retrying", () => {
    expect(isRetriable(new TransientError("busy"))).toBe(true);
    expect(isRetriable(new PermanentError("no such integration"))).toBe(false);
    expect(isRetriable(new TypeError("a library's error"))).toBe(true);
    expect(isRetriable(Object.assign(new Error("kafkajs: topic exists"), { retriable: false }))).toBe(false);
  });

  it("retries while the error is retriable, and not past a permanent one", async () => {
    let calls = 0;
    const flaky = async () => {
      calls += 1;
      if (calls < 3) throw new TransientError("not yet");
      return "done";
    };
    expect(await retryWhileRetriable(flaky, { delayMs: 1 })).toBe("done");
    expect(calls).toBe(3);

    let permanentCalls = 0;
    const permanent = async () => {
      permanentCalls += 1;
      throw new PermanentError("never");
    };
    await expect(retryWhileRetriable(permanent, { delayMs: 1 })).rejects.toThrow("never");
    expect(permanentCalls).toBe(1);
  });
});

describe("isConnectionError", () => {
  it("tells an unreachable dependency from a refusal", () => {
    expect(
      isConnectionError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })),
    ).toBe(true);
    expect(
      isConnectionError(Object.assign(new Error("the database system is starting up"), { code: "57P03" })),
    ).toBe(true);
    expect(
      isConnectionError(new Error("Knex: Timeout acquiring a connection. The pool is probably full.")),
    ).toBe(true);
    expect(isConnectionError(Object.assign(new Error("syntax error"), { code: "42601" }))).toBe(false);
    expect(isConnectionError(undefined)).toBe(false);
  });
});

describe("isUnavailable", () => {
  const failure = (message: string, fields: Record<string, unknown> = {}) =>
    Object.assign(new Error(message), fields);

  it.each([
    ["pg: a connection ended mid-query", failure("Connection terminated unexpectedly")],
    ["knex: the same", failure('select * from "files" where "id" = $1 - Connection terminated unexpectedly')],
    ["pg: a connect that timed out", failure("Connection terminated due to connection timeout")],
    [
      "pg: a client whose connection failed",
      failure("Client has encountered a connection error and is not queryable"),
    ],
    ["pg-pool: no connection in time", failure("timeout exceeded when trying to connect")],
    [
      "knex: no connection in time",
      failure("Knex: Timeout acquiring a connection. The pool is probably full."),
    ],
    [
      "Postgres: admin shutdown",
      failure("terminating connection due to administrator command", { code: "57P01" }),
    ],
    ["Postgres: crash shutdown", failure("terminating connection because of crash", { code: "57P02" })],
    ["Postgres: starting up", failure("the database system is starting up", { code: "57P03" })],
    ["Postgres: connection failure", failure("connection failure", { code: "08006" })],
    ["Postgres: connection does not exist", failure("connection does not exist", { code: "08003" })],
    ["Postgres: too many connections", failure("sorry, too many clients already", { code: "53300" })],
    ["refused", failure("connect ECONNREFUSED 127.0.0.1:5432", { code: "ECONNREFUSED" })],
    ["reset", failure("read ECONNRESET", { code: "ECONNRESET" })],
    ["written to a closed socket", failure("write EPIPE", { code: "EPIPE" })],
    ["timed out", failure("connect ETIMEDOUT", { code: "ETIMEDOUT" })],
    ["DNS: no such host", failure("getaddrinfo ENOTFOUND kafka", { code: "ENOTFOUND" })],
    ["DNS: resolver unavailable", failure("getaddrinfo EAI_AGAIN kafka", { code: "EAI_AGAIN" })],
    ["every address refused", new AggregateError([failure("refused", { code: "ECONNREFUSED" })], "")],
    [
      "fetch failed",
      new TypeError("fetch failed", { cause: failure("other side closed", { code: "UND_ERR_SOCKET" }) }),
    ],
    ["kafkajs: connection", failure("Connection error", { name: "KafkaJSConnectionError", retriable: true })],
    [
      "kafkajs: retries spent",
      failure("Connection timeout", { name: "KafkaJSNumberOfRetriesExceeded", retriable: false }),
    ],
    ["kafkajs: request timeout", failure("Request timed out", { name: "KafkaJSRequestTimeoutError" })],
    [
      "kafkajs: broker not available",
      failure("Broker not available", { name: "KafkaJSProtocolError", retriable: true }),
    ],
    ["registry: 5xx", failure("Service Unavailable", { name: "ResponseError", status: 503 })],
    ["ours: transient", new TransientError("archive did not answer")],
  ])("%s", (_, error) => {
    expect(isUnavailable(error)).toBe(true);
  });

  it.each([
    ["Postgres: syntax error", failure("syntax error", { code: "42601" })],
    ["Postgres: unique violation", failure("duplicate key", { code: "23505" })],
    ["Postgres: database dropped", failure("database dropped", { code: "57P04" })],
    [
      "Postgres: protocol violation (too many bind parameters)",
      failure("bind message has 70000 parameter formats but 0 parameters", { code: "08P01" }),
    ],
    [
      "Postgres: a data error quoting a value that reads like a lost connection",
      failure('invalid input syntax for type uuid: "Connection terminated unexpectedly"', { code: "22P02" }),
    ],
    [
      "Postgres: a data error whose value is exactly such a message",
      failure("Connection terminated unexpectedly", { code: "22P02" }),
    ],
    [
      "an error quoting such a message inside its own",
      failure('no integration named "timeout exceeded when trying to connect" for this client'),
    ],
    ["kafkajs: refused message", failure("too large", { name: "KafkaJSProtocolError", retriable: false })],
    ["registry: 4xx", failure("Not Found", { name: "ResponseError", status: 404 })],
    [
      "ours: permanent, whatever its cause",
      new PermanentError("no", { cause: failure("x", { code: "ECONNREFUSED" }) }),
    ],
    ["a bug", new TypeError("Cannot read properties of undefined")],
    ["nothing", undefined],
  ])("not %s", (_, error) => {
    expect(isUnavailable(error)).toBe(false);
  });
});
