import { describe, expect, it } from "vitest";
import { ArchiveRefusedError, ArchiveUnavailableError } from "../archive-errors";
import {
  archiveMessage,
  classifyAnswer,
  classifyTransportError,
  parseRetryAfterMs,
} from "./failure-classification";

const NOW = Date.parse("2026-03-01T12:00:00Z");
const post = { method: "POST", purpose: "ny-journalpost" };
const get = { method: "GET", purpose: "saksmappe search" };

function answer(status: number, bodyText = "", retryAfter: string | null = null) {
  return { status, bodyText, retryAfter };
}

describe("parseRetryAfterMs", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfterMs("7", NOW)).toBe(7000);
    expect(parseRetryAfterMs("Sun, 01 Mar 2026 12:00:30 GMT", NOW)).toBe(30_000);
    expect(parseRetryAfterMs("Sun, 01 Mar 2026 11:00:00 GMT", NOW)).toBe(0);
  });

  it("ignores what it cannot read", () => {
    expect(parseRetryAfterMs(null, NOW)).toBeUndefined();
    expect(parseRetryAfterMs("soon", NOW)).toBeUndefined();
    expect(parseRetryAfterMs(" ", NOW)).toBeUndefined();
  });
});

describe("archiveMessage", () => {
  it("takes the standard's feil.beskrivelse", () => {
    expect(archiveMessage(400, '{"feil":{"kode":400,"beskrivelse":"tittel er påkrevd"}}')).toBe(
      "tittel er påkrevd",
    );
  });

  it("takes the reference server's message, never its stack trace", () => {
    const nikita = JSON.stringify({
      status: 400,
      message: "skjermingshjemmel is missing. ",
      developerMessage: "NikitaMalformedInputDataException: skjermingshjemmel is missing. ",
      stackTrace: "nikita.common.model.noark5.v5.exceptions.NikitaMalformedInputDataException: ...",
    });
    expect(archiveMessage(400, nikita)).toBe("skjermingshjemmel is missing.");
    expect(archiveMessage(404, '{"feil":{"kode":404}}')).toBe("HTTP 404");
  });

  it("falls back to the text, then to the status", () => {
    expect(archiveMessage(400, "Ugyldig journalposttype")).toBe("Ugyldig journalposttype");
    expect(archiveMessage(502, "")).toBe("HTTP 502");
  });

  it("keeps a long text bounded", () => {
    expect(archiveMessage(400, "x".repeat(5000)).length).toBeLessThanOrEqual(2001);
  });
});

describe("classifyAnswer", () => {
  it("refuses permanently on 4xx, with the archive's words and status", () => {
    const error = classifyAnswer(answer(400, '{"feil":{"kode":400,"beskrivelse":"ugyldig"}}'), post, NOW);
    expect(error).toBeInstanceOf(ArchiveRefusedError);
    expect((error as ArchiveRefusedError).archiveMessage).toBe("ugyldig");
    expect((error as ArchiveRefusedError).status).toBe(400);
    expect(error.retriable).toBe(false);
  });

  it("takes 429 as transient with its Retry-After, and never uncertain", () => {
    const error = classifyAnswer(answer(429, "slow down", "3"), post, NOW);
    expect(error).toBeInstanceOf(ArchiveUnavailableError);
    expect((error as ArchiveUnavailableError).retryAfterMs).toBe(3000);
    expect((error as ArchiveUnavailableError).uncertain).toBe(false);
  });

  it("takes a write answered 5xx as uncertain, but not 503 and not a read", () => {
    expect((classifyAnswer(answer(502), post, NOW) as ArchiveUnavailableError).uncertain).toBe(true);
    expect((classifyAnswer(answer(500), post, NOW) as ArchiveUnavailableError).uncertain).toBe(true);
    expect((classifyAnswer(answer(503, "", "10"), post, NOW) as ArchiveUnavailableError).uncertain).toBe(
      false,
    );
    expect((classifyAnswer(answer(500), get, NOW) as ArchiveUnavailableError).uncertain).toBe(false);
  });

  it("takes 408 as transient and 501 (not implemented) as permanent", () => {
    expect(classifyAnswer(answer(408), get, NOW)).toBeInstanceOf(ArchiveUnavailableError);
    expect(classifyAnswer(answer(501), get, NOW)).toBeInstanceOf(ArchiveRefusedError);
  });
});

describe("classifyTransportError", () => {
  const refused = Object.assign(new TypeError("fetch failed"), {
    cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
  });
  const reset = Object.assign(new TypeError("fetch failed"), {
    cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
  });
  const timeout = new DOMException("The operation was aborted due to timeout", "TimeoutError");

  it("takes a write that timed out or broke off as uncertain", () => {
    expect(classifyTransportError(timeout, post).uncertain).toBe(true);
    expect(classifyTransportError(reset, post).uncertain).toBe(true);
    expect(classifyTransportError(timeout, post).message).toMatch(/did not answer in time/);
  });

  it("knows a refused connection wrote nothing", () => {
    const error = classifyTransportError(refused, post);
    expect(error.uncertain).toBe(false);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.cause).toBe(refused);
  });

  it("never takes a read as uncertain", () => {
    expect(classifyTransportError(timeout, get).uncertain).toBe(false);
  });
});
