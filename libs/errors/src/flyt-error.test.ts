import { describe, expect, it } from "vitest";
import {
  FlytError,
  isConnectionError,
  isRetriable,
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
