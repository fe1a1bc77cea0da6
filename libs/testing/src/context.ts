import type { Provenance } from "@flyt/local-infra";

/** What the global setup hands every test file: where the real infrastructure is, and this run's id. */
export interface TestInfra {
  readonly kafkaBrokers: readonly string[];
  readonly schemaRegistryUrl: string;
  /** The server's maintenance database: tests that need their own database create it from here. */
  readonly postgresUrl: string;
  /** This run's database, created by the global setup and dropped after. */
  readonly databaseUrl: string;
  readonly runId: string;
  readonly provenance: {
    readonly kafka: Provenance;
    readonly registry: Provenance;
    readonly postgres: Provenance;
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    flytInfra: TestInfra;
  }
}
