import { ArchiveRefusedError } from "../archive-errors";
import { classifyAnswer, classifyTransportError, notJsonAnswer } from "./failure-classification";
import type { TokenEndpoint } from "./oidc-discovery";

export interface ClientCredentials {
  /** Where tokens come from; without it, discovered from the archive's OpenID configuration. */
  readonly tokenUrl?: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope?: string;
}

export interface TokenSourceOptions {
  readonly credentials: ClientCredentials;
  /** The token endpoint, found once (discovered or configured) and asked again only after a failure. */
  readonly endpoint: () => Promise<TokenEndpoint>;
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  readonly now: () => number;
}

/** Bearer tokens for the archive's requests. */
export interface TokenSource {
  token(): Promise<string>;
  /** Where the tokens come from (found on first use). */
  endpoint(): Promise<TokenEndpoint>;
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
 * (§2.3.1), or with form fields where the provider's OpenID configuration lists only those. A refused grant
 * (wrong secret, unknown client) is permanent; an unreachable or failing endpoint is not.
 */
export function createTokenSource(options: TokenSourceOptions): TokenSource {
  const { credentials } = options;
  let current: { readonly value: string; readonly renewAt: number } | undefined;
  let pending: Promise<string> | undefined;
  let endpoint: Promise<TokenEndpoint> | undefined;

  function tokenEndpoint(): Promise<TokenEndpoint> {
    // Found once; a failed search is forgotten, so the next token request looks again.
    endpoint ??= options.endpoint().catch((error: unknown) => {
      endpoint = undefined;
      throw error;
    });
    return endpoint;
  }

  async function requestToken(): Promise<string> {
    const { url, authMethod } = await tokenEndpoint();
    const body = new URLSearchParams({ grant_type: "client_credentials" });
    if (credentials.scope) body.set("scope", credentials.scope);
    const headers: Record<string, string> = {
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
    };
    if (authMethod === "client_secret_basic") {
      // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined for Basic.
      headers.authorization = `Basic ${Buffer.from(
        `${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`,
      ).toString("base64")}`;
    } else {
      body.set("client_id", credentials.clientId);
      body.set("client_secret", credentials.clientSecret);
    }
    // Asking for a token writes nothing in the archive: classified as a read, so never uncertain.
    const request = { method: "GET", purpose: "a token" };
    let response: Response;
    let text: string;
    try {
      response = await options.fetch(url, {
        method: "POST",
        headers,
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
      // An OAuth refusal is JSON (RFC 6749 §5.2); an HTML page in its place is a proxy's, not the provider's word.
      if (failure instanceof ArchiveRefusedError && /^\s*</.test(text)) {
        throw notJsonAnswer("the token endpoint", response.status, text);
      }
      if (failure instanceof ArchiveRefusedError) {
        throw new ArchiveRefusedError(`the token endpoint refused the client: ${failure.archiveMessage}`, {
          status: response.status,
        });
      }
      throw failure;
    }
    let answer: { access_token?: unknown; expires_in?: unknown } | null;
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      throw notJsonAnswer("the token endpoint", response.status, text);
    }
    if (typeof answer?.access_token !== "string" || answer.access_token === "") {
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
    endpoint: tokenEndpoint,
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
