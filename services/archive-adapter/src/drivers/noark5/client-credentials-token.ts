import { ArchiveRefusedError } from "../archive-errors";
import { classifyAnswer, classifyTransportError } from "./failure-classification";

export interface ClientCredentials {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope?: string;
}

export interface TokenSourceOptions {
  readonly credentials: ClientCredentials;
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  readonly now: () => number;
}

/** Bearer tokens for the archive's requests. */
export interface TokenSource {
  token(): Promise<string>;
  /** The archive rejected this token (revoked, rotated key): the next `token()` fetches a new one. */
  invalidate(token: string): void;
}

/**
 * A token is renewed this long before it expires, so one issued just before a slow upload does not lapse in
 * flight: a tenth of its life, at most a minute.
 */
function renewalMarginMs(lifetimeMs: number): number {
  return Math.min(60_000, lifetimeMs / 10);
}

/** When the token endpoint does not say, a token is assumed to live this long. */
const DEFAULT_LIFETIME_MS = 300_000;

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4), cached until shortly before expiry. Concurrent callers share one
 * token request. The client authenticates with HTTP Basic, which every authorization server must support
 * (§2.3.1). A refused grant (wrong secret, unknown client) is permanent; an unreachable or failing endpoint is
 * not.
 */
export function createTokenSource(options: TokenSourceOptions): TokenSource {
  const { credentials } = options;
  let current: { readonly value: string; readonly renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function requestToken(): Promise<string> {
    const body = new URLSearchParams({ grant_type: "client_credentials" });
    if (credentials.scope) body.set("scope", credentials.scope);
    // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined for Basic.
    const basic = Buffer.from(
      `${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`,
    ).toString("base64");
    // Asking for a token writes nothing in the archive: classified as a read, so never uncertain.
    const request = { method: "GET", purpose: "a token" };
    let response: Response;
    let text: string;
    try {
      response = await options.fetch(credentials.tokenUrl, {
        method: "POST",
        headers: {
          authorization: `Basic ${basic}`,
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw classifyTransportError(error, request);
    }
    if (!response.ok) {
      const failure = classifyAnswer(
        { status: response.status, retryAfter: response.headers.get("retry-after"), bodyText: text },
        request,
        options.now(),
      );
      if (failure instanceof ArchiveRefusedError) {
        throw new ArchiveRefusedError(`the token endpoint refused the client: ${failure.archiveMessage}`, {
          status: response.status,
        });
      }
      throw failure;
    }
    const answer = JSON.parse(text) as { access_token?: unknown; expires_in?: unknown };
    if (typeof answer.access_token !== "string" || answer.access_token === "") {
      throw new ArchiveRefusedError("the token endpoint answered without an access_token");
    }
    const lifetimeMs =
      typeof answer.expires_in === "number" && answer.expires_in > 0
        ? answer.expires_in * 1000
        : DEFAULT_LIFETIME_MS;
    current = {
      value: answer.access_token,
      renewAt: options.now() + lifetimeMs - renewalMarginMs(lifetimeMs),
    };
    return answer.access_token;
  }

  return {
    token() {
      if (current && options.now() < current.renewAt) return Promise.resolve(current.value);
      pending ??= requestToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate(token) {
      if (current?.value === token) current = undefined;
    },
  };
}
