import type { HealthCheck } from "@flyt/observability";
import knex, { type Knex } from "knex";

export interface DatabaseOptions {
  readonly url: string;
  /** Shows up in pg_stat_activity, so a DBA can tell the services apart. */
  readonly applicationName: string;
  readonly pool?: { readonly min: number; readonly max: number };
  /** Schemas to resolve unqualified table names in, first to last (Postgres's own default when left out). */
  readonly searchPath?: readonly string[];
}

/** A knex pool over node-postgres. Connections open lazily, so a service starts even while Postgres is down. */
export function createDatabase(options: DatabaseOptions): Knex {
  return knex({
    client: "pg",
    connection: { connectionString: options.url, application_name: options.applicationName },
    pool: { min: options.pool?.min ?? 0, max: options.pool?.max ?? 10 },
    acquireConnectionTimeout: 5_000,
    ...(options.searchPath ? { searchPath: [...options.searchPath] } : {}),
  });
}

/** Ready when `select 1` answers. */
export function postgresHealthCheck(db: Knex): HealthCheck {
  return {
    name: "postgres",
    check: async () => {
      await db.raw("select 1");
    },
  };
}
