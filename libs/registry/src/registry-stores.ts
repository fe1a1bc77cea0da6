import type { Knex } from "knex";
import { AuditLog } from "./audit-log";
import { ConfigurationStore } from "./configuration-store";
import { RegistryStore } from "./registry-store";

/** The registry's stores, over one database handle or one transaction. */
export interface RegistryStores {
  readonly registry: RegistryStore;
  readonly configurations: ConfigurationStore;
  readonly audit: AuditLog;
}

export function registryStores(db: Knex): RegistryStores {
  return {
    registry: new RegistryStore(db),
    configurations: new ConfigurationStore(db),
    audit: new AuditLog(db),
  };
}

/** Runs `work` in one transaction, so that a change and its audit entry are stored together or not at all. */
export function inRegistryTransaction<T>(db: Knex, work: (stores: RegistryStores) => Promise<T>): Promise<T> {
  return db.transaction((trx) => work(registryStores(trx)));
}
