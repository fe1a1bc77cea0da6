import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import Provider, { type Configuration, errors } from "oidc-provider";

export interface RegisteredClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /**
   * App roles granted to the client, carried in its access tokens' `roles` claim: how Entra ID tells an API
   * what a client-credentials caller may do (the gateway's admin API requires `flyt.admin`).
   */
  readonly roles?: readonly string[];
}

export interface AuthorizationServerOptions {
  /** Where it listens; the issuer is `http://<host>:<port>`. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** The issuer URL when it is not http://host:port (behind a container network or a proxy). */
  readonly issuer?: string;
  /** The `aud` of every access token, the gateway of this environment: an absolute URI (RFC 8707), e.g. `urn:flyt:gateway:test`. */
  readonly audience: string;
  readonly clients: readonly RegisteredClient[];
  readonly accessTokenTtlSeconds?: number;
  /**
   * The private RS256 key (JWK with `kid`) to sign with; made at start-up when absent. Tests that need tokens
   * with chosen claims (expired, wrong audience) sign them with the same key.
   */
  readonly signingKey?: JWK;
}

export interface RunningAuthorizationServer {
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  readonly audience: string;
  /** A client-credentials access token, as a source system gets one. */
  tokenFor(client: RegisteredClient): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A real OAuth 2.0 authorization server (oidc-provider) for local runs and tests: the client credentials
 * grant (RFC 6749 §4.4), RS256-signed JWT access tokens whose audience is the gateway (RFC 8707 resource
 * indicators), a JWKS endpoint and a discovery document. Keys are made at start-up and live in memory.
 */
export async function startAuthorizationServer(
  options: AuthorizationServerOptions,
): Promise<RunningAuthorizationServer> {
  const host = options.host ?? "127.0.0.1";
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = options.issuer ?? `http://${host}:${port}`;

  const signingKey = options.signingKey ?? (await newSigningKey());

  const configuration: Configuration = {
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      grant_types: ["client_credentials"],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: "client_secret_basic",
      ...(client.roles?.length ? { roles: [...client.roles] } : {}),
    })),
    extraClientMetadata: {
      properties: ["roles"],
      validator(_ctx, key, value) {
        const valid =
          value === undefined || (Array.isArray(value) && value.every((role) => typeof role === "string"));
        if (key === "roles" && !valid)
          throw new errors.InvalidClientMetadata("roles must be a list of strings");
      },
    },
    // oidc-provider's hook for claims of its own in an access token; a JWT token gets them as top-level claims.
    extraTokenClaims: (ctx) => {
      const roles = ctx.oidc.client?.roles as string[] | undefined;
      return roles?.length ? { roles } : undefined;
    },
    jwks: { keys: [signingKey] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: false },
      revocation: { enabled: false },
      resourceIndicators: {
        enabled: true,
        // Every token is for the gateway, whether or not the client names it with `resource`.
        defaultResource: () => options.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: "submissions",
          audience: options.audience,
          accessTokenTTL: options.accessTokenTtlSeconds ?? 3_600,
          accessTokenFormat: "jwt",
          jwt: { sign: { alg: "RS256" } },
        }),
      },
    },
  };
  const provider = new Provider(issuer, configuration);
  server.on("request", provider.callback());

  const tokenEndpoint = `${issuer}/token`;
  return {
    issuer,
    tokenEndpoint,
    jwksUri: `${issuer}/jwks`,
    audience: options.audience,
    tokenFor: (client) => requestToken(tokenEndpoint, client),
    stop: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A fresh RS256 private key as a JWK, with a `kid`. */
export async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  return { ...(await exportJWK(privateKey)), alg: "RS256", use: "sig", kid: `flyt-local-${randomUUID()}` };
}

/** The client credentials grant, with HTTP Basic client authentication (RFC 6749 §2.3.1). */
export async function requestToken(tokenEndpoint: string, client: RegisteredClient): Promise<string> {
  const basic = Buffer.from(
    `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`,
  ).toString("base64");
  const res = await fetch(tokenEndpoint, {
    method: "POST",
    headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials" }),
  });
  const body = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
  if (!res.ok || !body.access_token) {
    throw new Error(
      `token request refused: ${res.status} ${body.error ?? ""} ${body.error_description ?? ""}`.trim(),
    );
  }
  return body.access_token;
}
