import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "../../archiving/circuit-breaker";
import { ArchiveRefusedError, ArchiveUnavailableError, WriteInProgressError } from "../archive-errors";
import type { FintAnswer } from "./fint-http";
import { awaitCompletion, type PollSettings } from "./status-polling";

const STATUS_URL = "https://fint.example/arkiv/noark/sak/status/abc";
const poll: PollSettings = { initialMs: 100, maxMs: 1000, totalMs: 5000 };

function answer(status: number, options: { location?: string; body?: string } = {}): FintAnswer {
  const headers = new Headers(options.location ? { location: options.location } : {});
  return { status, headers, body: options.body ?? "", url: STATUS_URL };
}

/** A status URL that answers these in turn (the last one forever), on a clock that moves only when slept. */
function statusUrl(...answers: (FintAnswer | Error)[]) {
  let clock = 0;
  const sleeps: number[] = [];
  let calls = 0;
  return {
    sleeps,
    calls: () => calls,
    deps: {
      now: () => clock,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        clock += ms;
      },
      get: async () => {
        const next = answers[Math.min(calls, answers.length - 1)];
        calls += 1;
        if (next instanceof Error) throw next;
        return next as FintAnswer;
      },
    },
  };
}

describe("awaitCompletion", () => {
  it("polls with a doubling backoff until 201 and answers it", async () => {
    const created = answer(201, { location: "https://fint.example/arkiv/noark/sak/mappeid/2026/1" });
    const url = statusUrl(answer(202), answer(202), answer(202), created);
    expect(await awaitCompletion(STATUS_URL, "POST sak", poll, url.deps)).toBe(created);
    expect(url.sleeps).toEqual([100, 200, 400, 800]);
  });

  it("takes 303 See Other as done too", async () => {
    const url = statusUrl(answer(303, { location: "/arkiv/noark/sak/mappeid/2026/1" }));
    expect((await awaitCompletion(STATUS_URL, "POST sak", poll, url.deps)).status).toBe(303);
  });

  it("gives up within the bound, uncertain: the write may have happened", async () => {
    const url = statusUrl(answer(202));
    const error = await awaitCompletion(STATUS_URL, "POST sak", poll, url.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveUnavailableError);
    expect(error).toMatchObject({ uncertain: true });
    expect(url.sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(poll.totalMs);
  });

  it("waiting on a write FINT is still processing is no archive failure: the circuit stays closed", async () => {
    const breaker = new CircuitBreaker("demo-fint", { failureThreshold: 2, openMs: 60_000, probeMs: 1_000 });
    for (let i = 0; i < 3; i++) {
      const url = statusUrl(answer(202));
      const error = await breaker
        .run(() => awaitCompletion(STATUS_URL, "POST sak", poll, url.deps))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WriteInProgressError);
      expect(error).toMatchObject({ uncertain: true, retriable: true });
    }
    expect(breaker.state).toBe("closed");
  });

  it("a status URL that stopped answering is an archive failure, and opens the circuit", async () => {
    const breaker = new CircuitBreaker("demo-fint", { failureThreshold: 2, openMs: 60_000, probeMs: 1_000 });
    for (let i = 0; i < 2; i++) {
      const url = statusUrl(answer(202), new ArchiveUnavailableError("connect ECONNREFUSED"));
      const error = await breaker
        .run(() => awaitCompletion(STATUS_URL, "POST sak", poll, url.deps))
        .catch((e: unknown) => e);
      expect(error).not.toBeInstanceOf(WriteInProgressError);
      expect(String(error)).toContain("ECONNREFUSED");
    }
    expect(breaker.state).toBe("open");
    breaker.close();
  });

  it("polls through passing trouble: no answer, a busy gateway", async () => {
    const created = answer(201, { location: "https://fint.example/x" });
    const url = statusUrl(new ArchiveUnavailableError("no answer"), answer(503), answer(429), created);
    expect(await awaitCompletion(STATUS_URL, "POST sak", poll, url.deps)).toBe(created);
  });

  it("reports the archive's rejection of the write as refused, with its text", async () => {
    const url = statusUrl(answer(202), answer(400, { body: '{"message":"Arkivdel mangler"}' }));
    const error = await awaitCompletion(STATUS_URL, "POST sak", poll, url.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveRefusedError);
    expect(error).toMatchObject({ archiveMessage: "Arkivdel mangler" });
  });

  it("reports the archive failing the write as unavailable and uncertain", async () => {
    const url = statusUrl(answer(500, { body: '{"responseStatus":"ERROR","message":"P360 svarte ikke"}' }));
    const error = await awaitCompletion(STATUS_URL, "POST sak", poll, url.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveUnavailableError);
    expect(error).toMatchObject({ uncertain: true, message: expect.stringContaining("P360 svarte ikke") });
    expect(url.calls()).toBe(1);
  });

  it("reports a forgotten status (410) as uncertain", async () => {
    const url = statusUrl(answer(410));
    await expect(awaitCompletion(STATUS_URL, "POST sak", poll, url.deps)).rejects.toMatchObject({
      uncertain: true,
    });
  });

  it("reports a conflict (409) as refused without passing on what the archive holds, or answers it when asked", async () => {
    const conflict = answer(409, { body: '{"tittel":"Someone else\'s case"}' });
    const error = await awaitCompletion(STATUS_URL, "PUT journal post", poll, statusUrl(conflict).deps).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ArchiveRefusedError);
    expect(error).toMatchObject({ status: 409 });
    expect((error as ArchiveRefusedError).archiveMessage).not.toContain("Someone");
    expect(
      await awaitCompletion(STATUS_URL, "PUT journal post", poll, statusUrl(conflict).deps, {
        verdictAsAnswer: true,
      }),
    ).toBe(conflict);
  });
});
