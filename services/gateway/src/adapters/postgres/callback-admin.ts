import { CallbackEndpoints } from "@flyt/callbacks";
import { AuditLog, RegistryStore } from "@flyt/registry";
import type { Knex } from "knex";
import type { CallbackDeliveryDependencies } from "../../handlers/callback-deliveries";
import type { CallbackAdminDependencies } from "../http/admin-callback-routes";

/** The admin API's callback dependencies over one database: re-enabling and its audit entry in one transaction. */
export function callbackAdminDependencies(
  db: Knex,
  deliveries: CallbackDeliveryDependencies,
): CallbackAdminDependencies {
  const registry = new RegistryStore(db);
  return {
    ...deliveries,
    endpoints: new CallbackEndpoints(db),
    tenantExists: async (tenantId) => (await registry.tenant(tenantId)) !== undefined,
    reenable: (owner, actor) =>
      db.transaction(async (trx) => {
        const endpoints = new CallbackEndpoints(trx);
        const before = await endpoints.find(owner);
        const after = await endpoints.reenable(owner);
        if (before && after) {
          await new AuditLog(trx).recordForSourceApplication({
            actor,
            action: "callback.endpoint-enabled",
            tenantId: owner.tenantId,
            sourceApplicationId: owner.sourceApplicationId,
            details: {
              disabledAt: before.disabledAt?.toISOString() ?? null,
              disabledReason: before.disabledReason,
            },
          });
        }
        return after;
      }),
    audit: (owner, actor, action, details) =>
      new AuditLog(db).recordForSourceApplication({
        actor,
        action,
        tenantId: owner.tenantId,
        sourceApplicationId: owner.sourceApplicationId,
        details,
      }),
  };
}
