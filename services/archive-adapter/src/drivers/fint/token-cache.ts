import { ArchiveUnavailableError } from "../archive-errors";
import { archiveMessage, classifyNoAnswer } from "./failure-classification";

/**
 * How the driver gets its access token: the password grant when a username and password are given (what FINT
 * uses today), the client credentials grant otherwise. The client authenticates with HTTP Basic, as FINT's
 * own instructions do it.
 */
export interface OAuthOptions {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly username?: string;
  readonly password?: string;
  readonly scope?: string;
}

export interface TokenCache {
  /** A token that is valid for a while yet: the cached one, or a new one. */
  accessToken(): Promise<string>;
  /** The archive answered 401 with this token: the next call fetches a new one (unless one already did). */
  invalidate(token: string): void;
}

interface CachedToken {
  readonly value: string;
  /** When to stop using it: a margin before it expires, so it does not expire on the way to the archive. */
  readonly renewAtMs: number;
}

/** Used when the token endpoint does not say how long its token lives. */
const DEFAULT_LIFETIME_SECONDS = 300;

export function createTokenCache(options: {
  readonly oauth: OAuthOptions;
  readonly fetch: typeof fetch;
  readonly now: () => number;
  readonly requestTimeoutMs: number;
}): TokenCache {
  let cached: CachedToken | undefined;
  // One token request at a time: many cases in flight must not each fetch their own token.
  let pending: Promise<CachedToken> | undefined;

  async function fetchToken(): Promise<CachedToken> {
    const requestedAt = options.now();
    const response = await requestToken(options).catch((error: unknown) => {
      throw classifyNoAnswer(error, { write: false, description: "the archive's token endpoint" });
    });
    const body = await response.text();
    if (!response.ok) {
      // Refused credentials are a configuration problem, not the submission's: it may pass once they are
      // fixed, so this is reported as the archive being unavailable, never as the content being refused.
      throw new ArchiveUnavailableError(
        `the archive's token endpoint answered ${response.status}: ${archiveMessage(body) ?? "no reason given"}`,
      );
    }
    const token = parseTokenAnswer(body);
    const lifetimeMs = token.expiresInSeconds * 1000;
    const marginMs = Math.min(60_000, lifetimeMs / 10);
    return { value: token.accessToken, renewAtMs: requestedAt + lifetimeMs - marginMs };
  }

  return {
    async accessToken() {
      if (cached && options.now() < cached.renewAtMs) return cached.value;
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      cached = await pending;
      return cached.value;
    },
    invalidate(token) {
      if (cached?.value === token) cached = undefined;
    },
  };
}

function requestToken(options: {
  readonly oauth: OAuthOptions;
  readonly fetch: typeof fetch;
  readonly requestTimeoutMs: number;
}): Promise<Response> {
  const { oauth } = options;
  const form = new URLSearchParams();
  if (oauth.username !== undefined && oauth.password !== undefined) {
    form.set("grant_type", "password");
    form.set("username", oauth.username);
    form.set("password", oauth.password);
  } else {
    form.set("grant_type", "client_credentials");
  }
  if (oauth.scope) form.set("scope", oauth.scope);
  // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined for Basic.
  const basic = Buffer.from(
    `${encodeURIComponent(oauth.clientId)}:${encodeURIComponent(oauth.clientSecret)}`,
  ).toString("base64");
  return options.fetch(oauth.tokenUrl, {
    method: "POST",
    headers: {
      authorization: `Basic ${basic}`,
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
    },
    body: form.toString(),
    signal: AbortSignal.timeout(options.requestTimeoutMs),
  });
}

function parseTokenAnswer(body: string): { accessToken: string; expiresInSeconds: number } {
  let parsed: { access_token?: unknown; expires_in?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch (error) {
    throw new ArchiveUnavailableError("the archive's token endpoint answered something other than JSON", {
      cause: error,
    });
  }
  if (typeof parsed.access_token !== "string" || parsed.access_token.length === 0) {
    throw new ArchiveUnavailableError("the archive's token endpoint answered without an access token");
  }
  const expiresIn = Number(parsed.expires_in);
  return {
    accessToken: parsed.access_token,
    expiresInSeconds: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : DEFAULT_LIFETIME_SECONDS,
  };
}
