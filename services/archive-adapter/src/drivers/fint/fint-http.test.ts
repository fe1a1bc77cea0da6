import { describe, expect, it } from "vitest";
import { ArchiveUnavailableError } from "../archive-errors";
import { createFintHttp, type FintAnswer, resolveLocation } from "./fint-http";
import type { TokenCache } from "./token-cache";

/** Tokens numbered from 1; invalidating the current one makes the next call hand out a new one. */
function numberedTokens(): TokenCache & { issued: () => number } {
  let issued = 0;
  let current: string | undefined;
  return {
    issued: () => issued,
    accessToken: async () => {
      if (current === undefined) {
        issued += 1;
        current = `token-${issued}`;
      }
      return current;
    },
    invalidate: (token) => {
      if (token === current) current = undefined;
    },
  };
}

describe("createFintHttp", () => {
  it("answers a 401 once with a new token and the same request", async () => {
    const seen: string[] = [];
    const fetchFake = (async (_url: string | URL | Request, init?: RequestInit) => {
      const authorization = new Headers(init?.headers).get("authorization") ?? "";
      seen.push(authorization);
      return authorization === "Bearer token-2" ? new Response("{}") : new Response("", { status: 401 });
    }) as typeof fetch;
    const tokens = numberedTokens();
    const http = createFintHttp({ fetch: fetchFake, tokens, requestTimeoutMs: 1000 });
    const answer = await http.send({
      method: "GET",
      url: "https://fint.example/a",
      write: false,
      description: "GET a",
    });
    expect(answer.status).toBe(200);
    expect(seen).toEqual(["Bearer token-1", "Bearer token-2"]);
  });

  it("does not try a third time when a new token is refused too", async () => {
    const fetchFake = (async () => new Response("", { status: 401 })) as typeof fetch;
    const tokens = numberedTokens();
    const http = createFintHttp({ fetch: fetchFake, tokens, requestTimeoutMs: 1000 });
    const answer = await http.send({
      method: "GET",
      url: "https://fint.example/a",
      write: false,
      description: "GET a",
    });
    expect(answer.status).toBe(401);
    expect(tokens.issued()).toBe(2);
  });

  it("reports no answer as unavailable, uncertain for a write", async () => {
    const fetchFake = (async () => {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
      });
    }) as typeof fetch;
    const http = createFintHttp({ fetch: fetchFake, tokens: numberedTokens(), requestTimeoutMs: 1000 });
    const error = await http
      .send({ method: "POST", url: "https://fint.example/a", body: "{}", write: true, description: "POST a" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveUnavailableError);
    expect(error).toMatchObject({ uncertain: true });
  });
});

describe("resolveLocation", () => {
  const answer = (location: string | undefined): FintAnswer => ({
    status: 201,
    headers: new Headers(location ? { location } : {}),
    body: "",
    url: "https://fint.example/arkiv/noark/sak/status/1",
  });
  const request = { write: true, description: "POST sak" };

  it("resolves a relative Location against the request", () => {
    expect(resolveLocation(answer("/arkiv/noark/sak/mappeid/2026/1"), "https://fint.example", request)).toBe(
      "https://fint.example/arkiv/noark/sak/mappeid/2026/1",
    );
  });

  it("will not follow a Location to another origin (the token would go along)", () => {
    expect(() => resolveLocation(answer("https://evil.example/x"), "https://fint.example", request)).toThrow(
      ArchiveUnavailableError,
    );
  });

  it("takes a missing Location as an uncertain failure of the write", () => {
    expect(() => resolveLocation(answer(undefined), "https://fint.example", request)).toThrow(
      expect.objectContaining({ uncertain: true }),
    );
  });
});
