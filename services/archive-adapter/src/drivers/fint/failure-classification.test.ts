import { describe, expect, it } from "vitest";
import { ArchiveRefusedError, ArchiveUnavailableError } from "../archive-errors";
import {
  archiveMessage,
  classifyErrorAnswer,
  classifyNoAnswer,
  refusedSearchMessage,
  retryAfterToMs,
} from "./failure-classification";

const NOW = Date.parse("2026-03-14T12:00:00Z");
const write = { write: true, description: "POST /arkiv/noark/sak" };
const read = { write: false, description: "GET case 2026/1" };

function connectionError(code: string): Error {
  return new TypeError("fetch failed", { cause: Object.assign(new Error(code), { code }) });
}

describe("classifyErrorAnswer", () => {
  it("takes 5xx as unavailable, certain unless after the archive accepted the write", () => {
    const error = classifyErrorAnswer({ status: 503, body: "", retryAfter: null }, write, NOW);
    expect(error).toBeInstanceOf(ArchiveUnavailableError);
    expect((error as ArchiveUnavailableError).uncertain).toBe(false);
    const afterAccepted = classifyErrorAnswer(
      { status: 500, body: '{"message":"Elements svarte ikke"}', retryAfter: null },
      { ...write, afterAccepted: true },
      NOW,
    );
    expect(afterAccepted).toMatchObject({
      uncertain: true,
      message: expect.stringContaining("Elements svarte ikke"),
    });
  });

  it("takes a gateway timeout on a write as uncertain: the write may have passed it", () => {
    expect(classifyErrorAnswer({ status: 504, body: "", retryAfter: null }, write, NOW)).toMatchObject({
      uncertain: true,
    });
    expect(classifyErrorAnswer({ status: 504, body: "", retryAfter: null }, read, NOW)).toMatchObject({
      uncertain: false,
    });
  });

  it("takes 429 as unavailable with its Retry-After", () => {
    const error = classifyErrorAnswer({ status: 429, body: "", retryAfter: "7" }, read, NOW);
    expect(error).toBeInstanceOf(ArchiveUnavailableError);
    expect((error as ArchiveUnavailableError).retryAfterMs).toBe(7000);
  });

  it("takes 4xx as refused, with the archive's validation text", () => {
    const body = JSON.stringify({
      message: "Validering feilet",
      problems: [{ field: "arkivdel", message: "Arkivdel mangler" }],
    });
    const error = classifyErrorAnswer({ status: 400, body, retryAfter: null }, write, NOW);
    expect(error).toBeInstanceOf(ArchiveRefusedError);
    expect(error).toMatchObject({
      archiveMessage: "Validering feilet; arkivdel: Arkivdel mangler",
      status: 400,
    });
  });

  it("does not blame the content for credentials the archive does not accept", () => {
    expect(classifyErrorAnswer({ status: 403, body: "", retryAfter: null }, read, NOW)).toBeInstanceOf(
      ArchiveUnavailableError,
    );
  });
});

describe("classifyNoAnswer", () => {
  it("takes a timeout on a write as uncertain, on a read as certain", () => {
    const timeout = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    expect(classifyNoAnswer(timeout, write)).toMatchObject({ uncertain: true });
    expect(classifyNoAnswer(timeout, read)).toMatchObject({ uncertain: false });
  });

  it("takes a connection reset during a write as uncertain, a refused connection as certain", () => {
    expect(classifyNoAnswer(connectionError("ECONNRESET"), write)).toMatchObject({ uncertain: true });
    expect(classifyNoAnswer(connectionError("ECONNREFUSED"), write)).toMatchObject({ uncertain: false });
    const everyAddressRefused = new TypeError("fetch failed", {
      cause: new AggregateError([
        connectionError("ECONNREFUSED").cause,
        connectionError("ECONNREFUSED").cause,
      ]),
    });
    expect(classifyNoAnswer(everyAddressRefused, write)).toMatchObject({ uncertain: false });
  });
});

describe("archiveMessage", () => {
  it("reads FINT's message, plain text, or nothing", () => {
    expect(archiveMessage('{"message":"Sak 2026/9 finnes ikke"}')).toBe("Sak 2026/9 finnes ikke");
    expect(archiveMessage("Arkivdel mangler")).toBe("Arkivdel mangler");
    expect(archiveMessage("  ")).toBeUndefined();
  });
});

describe("retryAfterToMs", () => {
  it("reads seconds and HTTP dates", () => {
    expect(retryAfterToMs("2", NOW)).toBe(2000);
    expect(retryAfterToMs("Sat, 14 Mar 2026 12:00:30 GMT", NOW)).toBe(30_000);
    expect(retryAfterToMs("Sat, 14 Mar 2026 11:00:00 GMT", NOW)).toBe(0);
    expect(retryAfterToMs("soon", NOW)).toBeUndefined();
    expect(retryAfterToMs(null, NOW)).toBeUndefined();
  });
});

describe("refusedSearchMessage", () => {
  // Spring Boot 1.5's default error body for the IllegalArgumentException SakController throws on a bad filter.
  const spring = (exception: string, message?: string) =>
    JSON.stringify({
      timestamp: 1773489600000,
      status: 500,
      error: "Internal Server Error",
      exception,
      ...(message === undefined ? {} : { message }),
      path: "/arkiv/noark/sak/$query",
    });
  const unparsable = spring("java.lang.IllegalArgumentException", "OData Filter is not valid");
  const unsupported = JSON.stringify({
    responseStatus: "ERROR",
    statusCode: "INTERNAL_SERVER_ERROR",
    message:
      "no.novari.fint.p360.data.exception.IllegalODataFilter: OData property administrativenhet is not supported\n\tat no.novari...",
  });

  it("takes the classic consumer's 500 for a filter it or the adapter cannot take as refused, first line only", () => {
    expect(refusedSearchMessage({ status: 500, body: unparsable }, "classic")).toBe(
      "OData Filter is not valid",
    );
    expect(refusedSearchMessage({ status: 500, body: unsupported }, "classic")).toBe(
      "no.novari.fint.p360.data.exception.IllegalODataFilter: OData property administrativenhet is not supported",
    );
  });

  it("leaves Spring's 500 for anything but an unparsable filter, other 500s, and the core consumer's, to be tried again", () => {
    const noAdapter = JSON.stringify({ message: "No response from adapter." });
    const failing = JSON.stringify({ responseStatus: "ERROR", message: "SIF timed out" });
    const crashed = spring("java.lang.NullPointerException", "No message available");
    const interrupted = spring("java.lang.InterruptedException", "sleep interrupted");
    // Newer Spring Boot leaves the message out: nothing says the filter was at fault.
    const silent = spring("java.lang.IllegalArgumentException");
    for (const body of [noAdapter, failing, crashed, interrupted, silent, "<html>"]) {
      expect(refusedSearchMessage({ status: 500, body }, "classic")).toBeUndefined();
    }
    expect(refusedSearchMessage({ status: 502, body: unparsable }, "classic")).toBeUndefined();
    expect(refusedSearchMessage({ status: 500, body: unparsable }, "core")).toBeUndefined();
  });
});
