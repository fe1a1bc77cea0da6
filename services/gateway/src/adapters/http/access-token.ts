import type { Context } from "koa";
import koaJwt from "koa-jwt";
import { issuerKeys } from "./issuer-keys";
import { Problem } from "./problem";

export interface AccessTokenOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUri: string;
  readonly now?: () => number;
}

/** A bearer token that passed every check: the client it was issued to, and all its claims. */
export interface AccessToken {
  readonly clientId: string;
  readonly claims: Readonly<Record<string, unknown>>;
}

/** Reads and verifies the request's bearer token; throws a 401 problem for any token problem. */
export type VerifyAccessToken = (ctx: Context) => Promise<AccessToken>;

/** Asymmetric signatures only: never `none`, never HMAC (which would accept a token signed with our public key). */
const ALGORITHMS = ["RS256", "ES256", "PS256"];
/** Leeway for `exp`, `nbf` and `iat`, for clocks that drift. */
const LEEWAY_SECONDS = 60;

/**
 * Full validation of a bearer token: signature against the issuer's JWKS (see `issuerKeys`); `iss`, `aud`,
 * `exp`, `nbf`, `iat`; the allowed algorithms; and a client it names. Build one per process: the source API and
 * the admin API share its keys.
 */
export function accessTokenVerifier(options: AccessTokenOptions): VerifyAccessToken {
  const now = options.now ?? Date.now;
  const signingKey = issuerKeys({ jwksUri: options.jwksUri, algorithms: ALGORITHMS, now });
  const verify = koaJwt({
    secret: signingKey as unknown as koaJwt.Options["secret"],
    issuer: options.issuer,
    audience: options.audience,
    algorithms: ALGORITHMS,
    key: "claims",
    // jsonwebtoken applies it to exp and nbf.
    ...({ clockTolerance: LEEWAY_SECONDS } as object),
  });

  return async function verifyAccessToken(ctx: Context): Promise<AccessToken> {
    const header = ctx.get("authorization");
    if (!header) {
      throw new Problem(
        401,
        "unauthenticated",
        "Authentication required",
        "Send an access token: Authorization: Bearer <token>.",
        {
          headers: { "WWW-Authenticate": "Bearer" },
        },
      );
    }
    if (!/^Bearer [\w.~+/-]+=*$/.test(header))
      throw invalidToken("The Authorization header is not a bearer token.");
    try {
      await verify(ctx, async () => {});
    } catch (error) {
      throw invalidToken(describe(error));
    }
    const claims = ctx.state.claims as Record<string, unknown>;
    // jsonwebtoken checks exp only when it is there; a token that never expires is not accepted.
    if (typeof claims.exp !== "number") throw invalidToken("The token has no expiry (exp).");
    if (typeof claims.iat === "number" && claims.iat > now() / 1000 + LEEWAY_SECONDS) {
      throw invalidToken("The token was issued in the future.");
    }
    const clientId = [claims.client_id, claims.azp, claims.sub].find((value) => typeof value === "string") as
      | string
      | undefined;
    if (!clientId) throw invalidToken("The token names no client (client_id, azp or sub).");
    return { clientId, claims };
  };
}

function invalidToken(detail: string): Problem {
  return new Problem(401, "invalid-token", "Invalid access token", detail, {
    headers: {
      "WWW-Authenticate": `Bearer error="invalid_token", error_description="${detail.replaceAll('"', "'")}"`,
    },
  });
}

/**
 * Why the token failed, in words that help the integrator and leak nothing: never our keys, and never the
 * issuer or audience we expect (jsonwebtoken's own messages name them), only which claim to look at. Every
 * answer is one of these fixed sentences; no text of the token or of a library reaches the client.
 */
function describe(error: unknown): string {
  const cause = (error as { originalError?: { name?: string; message?: string } }).originalError;
  const message = cause?.message ?? "";
  switch (cause?.name) {
    case "TokenExpiredError":
      return "The token has expired.";
    case "NotBeforeError":
      return "The token is not valid yet (nbf).";
    case "SigningKeyNotFoundError":
      return "The token's signing key (kid) is not one of the issuer's keys.";
  }
  // `none` and HMAC are refused before any key is looked up.
  if (/algorithm/i.test(message)) return `The token's algorithm is not allowed (${ALGORITHMS.join(", ")}).`;
  if (/^jwt (issuer|audience) invalid/.test(message))
    return "The token was not issued for this API (iss, aud).";
  if (message === "invalid signature") return "The token's signature does not verify.";
  // jsonwebtoken's words, and koa-jwt's when the token does not even decode.
  if (/^(jwt malformed|invalid token)$/i.test(message)) return "The token is not a well-formed JWT.";
  if (/^invalid (exp|nbf) value$/.test(message)) return "The token's exp or nbf is not a number.";
  return "The token could not be verified.";
}
