import { createPublicKey, type KeyObject } from "node:crypto";
import { JwksClient, SigningKeyNotFoundError } from "jwks-rsa";

export interface IssuerKeysOptions {
  readonly jwksUri: string;
  /** Asymmetric algorithms a token may name; anything else is refused before any key is looked up. */
  readonly algorithms: readonly string[];
  readonly now: () => number;
}

/** How long the issuer's key set is used before it is fetched again (a key the issuer dropped stops working). */
const KEYS_FRESH_MS = 10 * 60_000;
/** At most one fetch this often for a `kid` the key set does not have: anyone can send one. */
const UNKNOWN_KID_COOLDOWN_MS = 30_000;

/**
 * The issuer's signing keys for token checks, by `kid`, each parsed once (jsonwebtoken would parse a PEM on
 * every request: a third of a status read's CPU, measured). The whole key set is fetched at once, by one request
 * however many tokens wait for it; while a fetch fails the keys already known keep working; a token naming a
 * `kid` the set lacks costs at most one fetch per cooldown, so made-up ids cannot crowd out the real keys.
 */
export function issuerKeys(options: IssuerKeysOptions) {
  const client = new JwksClient({ jwksUri: options.jwksUri, cache: false, rateLimit: false, timeout: 5_000 });
  let keys = new Map<string, KeyObject>();
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let lastUnknownFetch = Number.NEGATIVE_INFINITY;
  let fetching: Promise<void> | undefined;

  const fetchKeys = (): Promise<void> => {
    fetching ??= client
      .getSigningKeys()
      .then((signingKeys) => {
        keys = new Map(signingKeys.map((key) => [key.kid ?? "", createPublicKey(key.getPublicKey())]));
        fetchedAt = options.now();
      })
      .finally(() => {
        fetching = undefined;
      });
    return fetching;
  };

  const keyFor = (kid: string | undefined): KeyObject | undefined =>
    kid === undefined && keys.size === 1 ? [...keys.values()][0] : keys.get(kid ?? "");

  return async (header: { kid?: unknown; alg?: unknown } | undefined): Promise<KeyObject> => {
    const { kid, alg } = header ?? {};
    if (typeof alg !== "string" || !options.algorithms.includes(alg))
      throw new Error(`Unsupported algorithm ${String(alg)}`);
    const id = typeof kid === "string" ? kid : undefined;
    const stale = options.now() - fetchedAt >= KEYS_FRESH_MS;
    if (stale) {
      // A failed refresh leaves the keys known so far in use; the next request tries again.
      await fetchKeys().catch((error: unknown) => {
        if (keys.size === 0) throw error;
      });
    }
    let key = keyFor(id);
    if (!key && !stale && options.now() - lastUnknownFetch >= UNKNOWN_KID_COOLDOWN_MS) {
      lastUnknownFetch = options.now();
      await fetchKeys();
      key = keyFor(id);
    }
    if (!key) throw new SigningKeyNotFoundError(`No key with kid ${JSON.stringify(id)}`);
    return key;
  };
}
