import type { HealthCheck } from "@flyt/observability";
import knex, { type Knex } from "knex";

export interface DatabaseOptions {
  readonly url: string;
  /** Shows up in pg_stat_activity, so a DBA can tell the services apart. */
  readonly applicationName: string;
  readonly pool?: { readonly min: number; readonly max: number };
}

/** A knex pool over node-postgres. Connections open lazily, so a service starts even while Postgres is down. */
export function createDatabase(options: DatabaseOptions): Knex {
  return knex({
    client: "pg",
    connection: { connectionString: options.url, application_name: options.applicationName },
    pool: { min: options.pool?.min ?? 0, max: options.pool?.max ?? 10 },
    acquireConnectionTimeout: 5_000,
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
