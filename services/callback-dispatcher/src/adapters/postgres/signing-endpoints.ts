import { type CallbackEndpoints, type Owner, ownerKey, type SigningEndpoint } from "@flyt/callbacks";
import { batched } from "@flyt/postgres";

/**
 * The owner's signing endpoint as it is when a delivery is attempted: read for every attempt (lookups made at the
 * same time share one query), never kept. A registration, replacement, rotation, deletion or disabling answered
 * before an attempt applies to it: a source system that moves away from a compromised endpoint gets nothing more
 * there, and an endpoint that answered 410 is not called again.
 */
export function signingEndpoints(
  endpoints: Pick<CallbackEndpoints, "signing">,
): (owner: Owner) => Promise<SigningEndpoint | undefined> {
  return batched(async (owners: readonly Owner[]) => {
    const found = await endpoints.signing(owners);
    return owners.map((owner) => found.get(ownerKey(owner)));
  });
}
