import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";

/**
 * Logging in, as the standard asks of a server (04-teknologi.rst:14–66 at tag versjon-1.1): OpenID Connect is
 * required, with `.well-known/openid-configuration` relative to the API root; the root lists the login
 * mechanisms in `_links` and is readable without authentication; `…/api/login/oidc/` (not optional) points at
 * the well-known URL, `…/api/login/rfc6749/` (OAuth 2.0, not optional) at the token endpoint. Nikita adds the
 * `login/oidc/` link the same way (webapp/service/application/ApplicationService.java:46–51). The discovery
 * document carries the fields OpenID Connect Discovery 1.0 §3 requires, `grant_types_supported` and
 * `token_endpoint_auth_methods_supported` included; its defaults when a server leaves them out are the spec's.
 */
export const LOGIN_OIDC = "https://rel.arkivverket.no/noark5/v5/api/login/oidc/";
export const LOGIN_OAUTH2 = "https://rel.arkivverket.no/noark5/v5/api/login/rfc6749/";

export interface FakeLoginOptions {
  /** `grant_types_supported` the server announces and honours (default: client credentials among others). */
  readonly grantTypes?: readonly string[];
  /** `token_endpoint_auth_methods_supported` it announces and honours (default: Basic and form). */
  readonly authMethods?: readonly ("client_secret_basic" | "client_secret_post")[];
  /** A server that breaks the standard: its root answers 401 without a token. */
  readonly rootNeedsToken?: boolean;
  /** A server that lists no `login/oidc/` on its root (the well-known URL still answers). */
  readonly withoutOidcLink?: boolean;
}

export interface TokenReply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body: unknown;
}

export function discoveryDocument(issuer: string, tokenEndpoint: string, options: FakeLoginOptions) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: tokenEndpoint,
    jwks_uri: `${issuer}/oauth/jwks`,
    response_types_supported: ["code"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    grant_types_supported: options.grantTypes ?? [
      "authorization_code",
      "client_credentials",
      "refresh_token",
    ],
    token_endpoint_auth_methods_supported: options.authMethods ?? [
      "client_secret_basic",
      "client_secret_post",
    ],
  };
}

/** The token endpoint: client credentials (RFC 6749 §4.4) by HTTP Basic or form fields, as announced. */
export function createTokenEndpoint(options: {
  readonly login: FakeLoginOptions;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly ttlSeconds: number;
}) {
  const tokens = new Map<string, number>();
  let issued = 0;
  const methods = options.login.authMethods ?? ["client_secret_basic", "client_secret_post"];
  const grants = options.login.grantTypes ?? ["authorization_code", "client_credentials", "refresh_token"];

  function reply(request: IncomingMessage, raw: Buffer): TokenReply {
    if (request.method !== "POST") return { status: 405, body: { error: "invalid_request" } };
    const form = new URLSearchParams(raw.toString("utf8"));
    let id: string | null = null;
    let secret: string | null = null;
    const authorization = request.headers.authorization ?? "";
    if (authorization.startsWith("Basic ") && methods.includes("client_secret_basic")) {
      const [rawId = "", rawSecret = ""] = Buffer.from(authorization.slice(6), "base64")
        .toString("utf8")
        .split(":");
      id = decodeURIComponent(rawId.replaceAll("+", " "));
      secret = decodeURIComponent(rawSecret.replaceAll("+", " "));
    } else if (form.has("client_secret") && methods.includes("client_secret_post")) {
      id = form.get("client_id");
      secret = form.get("client_secret");
    }
    const grant = form.get("grant_type") ?? "";
    if (!grants.includes(grant)) return { status: 400, body: { error: "unsupported_grant_type" } };
    if (id !== options.clientId || secret !== options.clientSecret) {
      return { status: 401, headers: { "www-authenticate": "Basic" }, body: { error: "invalid_client" } };
    }
    const token = randomBytes(24).toString("base64url");
    tokens.set(token, Date.now() + options.ttlSeconds * 1000);
    issued += 1;
    return {
      status: 200,
      headers: { "cache-control": "no-store" },
      body: { access_token: token, token_type: "Bearer", expires_in: options.ttlSeconds },
    };
  }

  return {
    reply,
    authorized(request: IncomingMessage): boolean {
      const header = request.headers.authorization ?? "";
      if (!header.startsWith("Bearer ")) return false;
      const expiresAt = tokens.get(header.slice("Bearer ".length));
      return expiresAt !== undefined && expiresAt > Date.now();
    },
    issued: () => issued,
    revoke: () => tokens.clear(),
  };
}
