import { createPublicKey, type KeyObject } from "node:crypto";
import { koaJwtSecret, SigningKeyNotFoundError } from "jwks-rsa";
import type { Context } from "koa";
import koaJwt from "koa-jwt";
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
/** How long a key of the issuer is used before it is fetched again (a key the issuer dropped stops working). */
const KEY_FRESH_MS = 10 * 60_000;
/** At most one fetch of the issuer's keys this often for a `kid` never seen: anyone can send one. */
const UNKNOWN_KID_COOLDOWN_MS = 30_000;

type PemLookup = ReturnType<typeof koaJwtSecret>;

/**
 * The issuer's keys by `kid`, each parsed once (jsonwebtoken would parse jwks-rsa's PEM on every request: a
 * third of a status read's CPU, measured). A token with an unknown `kid` costs no more than one fetch per
 * cooldown, so a flood of made-up ids cannot spend the fetch budget that refreshing the real keys needs.
 */
function issuerKeys(lookup: PemLookup, now: () => number) {
  const keys = new Map<string, { key: KeyObject; fetchedAt: number }>();
  let lastUnknownFetch = Number.NEGATIVE_INFINITY;
  return async (...args: Parameters<PemLookup>): Promise<KeyObject> => {
    const { kid, alg } = (args[0] ?? {}) as { kid?: unknown; alg?: unknown };
    // Before any lookup, as jwks-rsa does: `none` and HMAC are refused whatever the kid.
    if (typeof alg !== "string" || !ALGORITHMS.includes(alg))
      throw new Error(`Unsupported algorithm ${String(alg)}`);
    const id = typeof kid === "string" ? kid : "";
    const known = keys.get(id);
    if (known && now() - known.fetchedAt < KEY_FRESH_MS) return known.key;
    if (!known) {
      if (now() - lastUnknownFetch < UNKNOWN_KID_COOLDOWN_MS)
        throw new SigningKeyNotFoundError(`No key with kid ${JSON.stringify(id)} (looked up recently)`);
      lastUnknownFetch = now();
    }
    const key = createPublicKey(String(await lookup(...args)));
    keys.set(id, { key, fetchedAt: now() });
    return key;
  };
}

/**
 * Full validation of a bearer token: signature against the issuer's JWKS (cached, refetched for an unknown
 * `kid` at most once per cooldown); `iss`, `aud`, `exp`, `nbf`, `iat`; the allowed algorithms; and a client it names. Build one per
 * process: the source API and the admin API share its JWKS cache.
 */
export function accessTokenVerifier(options: AccessTokenOptions): VerifyAccessToken {
  const now = options.now ?? Date.now;
  const signingKeyPem = koaJwtSecret({
    jwksUri: options.jwksUri,
    // Keys are kept below, once parsed, as long as they are fresh: one cache, with one notion of fresh.
    cache: false,
    rateLimit: true,
    jwksRequestsPerMinute: 10,
  });
  const signingKey = issuerKeys(signingKeyPem, now);
  const verify = koaJwt({
    secret: signingKey as unknown as typeof signingKeyPem,
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

/** Why the token failed, in words that help the integrator and leak nothing about our keys. */
function describe(error: unknown): string {
  const cause = (error as { originalError?: { name?: string; message?: string } }).originalError;
  switch (cause?.name) {
    case "TokenExpiredError":
      return "The token has expired.";
    case "NotBeforeError":
      return "The token is not valid yet (nbf).";
    case "JsonWebTokenError":
      return `The token was refused: ${cause.message ?? "invalid"}.`;
    case "SigningKeyNotFoundError":
      return "The token's signing key (kid) is not one of the issuer's keys.";
    default:
      // `none` and HMAC are refused before any key is looked up.
      return /algorithm/i.test(cause?.message ?? "")
        ? `The token's algorithm is not allowed (${ALGORITHMS.join(", ")}).`
        : "The token could not be verified.";
  }
}
