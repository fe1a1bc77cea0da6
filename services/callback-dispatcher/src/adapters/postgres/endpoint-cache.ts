import { type CallbackEndpoints, type Owner, ownerKey, type SigningEndpoint } from "@flyt/callbacks";
import { batched } from "@flyt/postgres";

/**
 * The owners' signing endpoints, each reused for `ttlMs` (a re-registration, rotation or disabling shows within
 * it); lookups made at the same time share one query.
 */
export function cachedSigningEndpoints(
  endpoints: Pick<CallbackEndpoints, "signing">,
  ttlMs: number,
  now: () => number = Date.now,
): (owner: Owner) => Promise<SigningEndpoint | undefined> {
  const cache = new Map<
    string,
    { readonly until: number; readonly endpoint: Promise<SigningEndpoint | undefined> }
  >();
  const lookup = batched(async (owners: readonly Owner[]) => {
    const found = await endpoints.signing(owners);
    return owners.map((owner) => found.get(ownerKey(owner)));
  });
  return (owner) => {
    const key = ownerKey(owner);
    const cached = cache.get(key);
    if (cached && cached.until > now()) return cached.endpoint;
    const endpoint = lookup(owner);
    cache.set(key, { until: now() + ttlMs, endpoint });
    // A failed lookup is not kept.
    endpoint.catch(() => cache.delete(key));
    if (cache.size > 10_000) cache.delete(cache.keys().next().value as string);
    return endpoint;
  };
}
