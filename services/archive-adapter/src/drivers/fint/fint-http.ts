import { ArchiveUnavailableError } from "../archive-errors";
import { classifyErrorAnswer, classifyNoAnswer, type RequestKind } from "./failure-classification";
import type { TokenCache } from "./token-cache";

/** An archive's answer, its body read in full. */
export interface FintAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  readonly url: string;
}

export interface FintRequest extends RequestKind {
  readonly method: "GET" | "POST" | "PUT";
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

export interface FintHttp {
  /**
   * Sends one request with a bearer token and answers whatever the archive answered. A 401 is answered once
   * with a new token and the same request (a 401 means the archive did not take it); no answer at all throws
   * `ArchiveUnavailableError`.
   */
  send(request: FintRequest): Promise<FintAnswer>;
}

export function createFintHttp(options: {
  readonly fetch: typeof fetch;
  readonly tokens: TokenCache;
  readonly requestTimeoutMs: number;
}): FintHttp {
  async function attempt(request: FintRequest, token: string): Promise<FintAnswer> {
    try {
      // The timeout covers reading the body too: an archive that stops half-way through is as silent.
      const response = await options.fetch(request.url, {
        method: request.method,
        headers: { accept: "application/json", ...request.headers, authorization: `Bearer ${token}` },
        ...(request.body === undefined ? {} : { body: request.body }),
        // A status URL may answer 303 See Other with the created resource: that is read here, not followed.
        redirect: "manual",
        signal: AbortSignal.timeout(options.requestTimeoutMs),
      });
      const body = await response.text();
      return { status: response.status, headers: response.headers, body, url: request.url };
    } catch (error) {
      throw classifyNoAnswer(error, request);
    }
  }

  return {
    async send(request) {
      const token = await options.tokens.accessToken();
      const answer = await attempt(request, token);
      if (answer.status !== 401) return answer;
      options.tokens.invalidate(token);
      return attempt(request, await options.tokens.accessToken());
    },
  };
}

/** The answer if it is one of `expected`, else the archive's error as a Flyt error. */
export function expectStatus(
  answer: FintAnswer,
  expected: readonly number[],
  request: RequestKind,
  nowMs: number,
): FintAnswer {
  if (expected.includes(answer.status)) return answer;
  throw answerError(answer, request, nowMs);
}

/** An error answer as the Flyt error it means (see `classifyErrorAnswer`). */
export function answerError(
  answer: FintAnswer,
  request: RequestKind & { readonly afterAccepted?: boolean },
  nowMs: number,
): Error {
  return classifyErrorAnswer(
    { status: answer.status, body: answer.body, retryAfter: answer.headers.get("retry-after") },
    request,
    nowMs,
  );
}

/**
 * A `Location` the archive answered, as an absolute URL. It must stay on the archive's own origin: the driver
 * sends its bearer token wherever a Location points, and must not send it anywhere else.
 */
export function resolveLocation(answer: FintAnswer, baseUrl: string, request: RequestKind): string {
  const location = answer.headers.get("location");
  if (!location) {
    throw new ArchiveUnavailableError(`${request.description} answered ${answer.status} without a Location`, {
      uncertain: request.write,
    });
  }
  const resolved = new URL(location, answer.url);
  if (resolved.origin !== new URL(baseUrl).origin) {
    throw new ArchiveUnavailableError(
      `${request.description} pointed outside the archive (${resolved.origin}); not followed`,
      { uncertain: request.write },
    );
  }
  return resolved.href;
}
