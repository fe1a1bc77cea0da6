import type { KafkaSasl } from "@flyt/config";

type OAuthBearerSettings = Extract<KafkaSasl, { mechanism: "oauthbearer" }>;

export interface OAuthBearerToken {
  readonly value: string;
}

/** A token endpoint refused the client, or answered something that is not a token. Names no secret. */
export class TokenRequestError extends Error {
  override readonly name = "TokenRequestError";
}

/**
 * Access tokens for SASL/OAUTHBEARER from the client credentials grant (RFC 6749 §4.4; HTTP Basic client
 * authentication, §2.3.1), as Entra ID and Keycloak issue them for brokers that validate JWTs. kafkajs asks for a
 * token at every connection and leaves reuse to us: one token serves until shortly before it expires (a tenth of
 * its lifetime, at most a minute early), and concurrent connections share one request.
 */
export function clientCredentialsTokens(
  settings: Omit<OAuthBearerSettings, "mechanism">,
  options: { readonly now?: () => number; readonly timeoutMs?: number } = {},
): () => Promise<OAuthBearerToken> {
  const now = options.now ?? Date.now;
  let current:
    | { readonly token: OAuthBearerToken; readonly renewAt: number; readonly expiresAt: number }
    | undefined;
  let pending: Promise<OAuthBearerToken> | undefined;
  const request = async (): Promise<OAuthBearerToken> => {
    const asked = now();
    const basic = Buffer.from(
      `${formEncode(settings.clientId)}:${formEncode(settings.clientSecret)}`,
    ).toString("base64");
    const body = new URLSearchParams({ grant_type: "client_credentials" });
    if (settings.scope) body.set("scope", settings.scope);
    const res = await fetch(settings.tokenEndpoint, {
      method: "POST",
      headers: {
        authorization: `Basic ${basic}`,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const answer = (await res.json().catch(() => ({}))) as {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
    };
    if (!res.ok || typeof answer.access_token !== "string") {
      const code = typeof answer.error === "string" ? ` ${answer.error}` : "";
      throw new TokenRequestError(
        `the token endpoint refused Kafka's client ${settings.clientId}: ${res.status}${code}`,
      );
    }
    const lifetimeMs = (typeof answer.expires_in === "number" ? answer.expires_in : 300) * 1_000;
    const token = { value: answer.access_token };
    current = {
      token,
      renewAt: asked + lifetimeMs - Math.min(60_000, lifetimeMs / 10),
      expiresAt: asked + lifetimeMs,
    };
    return token;
  };
  return async () => {
    if (current && now() < current.renewAt) return current.token;
    pending ??= request().finally(() => {
      pending = undefined;
    });
    try {
      return await pending;
    } catch (error) {
      // A renewal that failed (the endpoint down a moment) leaves the token it would have replaced, while valid.
      if (current && now() < current.expiresAt) return current.token;
      throw error;
    }
  };
}

/** RFC 6749 §2.3.1: client id and secret are form-encoded before they are joined for Basic authentication. */
const formEncode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
