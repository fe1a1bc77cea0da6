import { randomBytes } from "node:crypto";
import { dropDatabase, ensureDatabase, loadSettings, resolveInfrastructure } from "@flyt/local-infra";
import { createLogger } from "@flyt/logging";
import type { TestProject } from "vitest/node";
import type { TestInfra } from "./context";

/**
 * Once per test run: find or start Kafka, the registry and Postgres (see the resolver), create this run's
 * database, and hand both to the tests. Teardown drops the database and stops only what was started here;
 * if the run is killed instead, the resolver's reaper stops it.
 */
export default async function setup(project: TestProject) {
  const logger = createLogger({ service: "test-infra", level: "info" });
  const infra = await resolveInfrastructure({ settings: loadSettings(), logger, reapWithOwner: true });
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  const databaseName = `flyt_test_${runId}`;
  const context: TestInfra = {
    kafkaBrokers: [...infra.kafkaBrokers],
    schemaRegistryUrl: infra.schemaRegistryUrl,
    postgresUrl: infra.postgresUrl,
    databaseUrl: await ensureDatabase(infra.postgresUrl, databaseName),
    runId,
    provenance: infra.provenance,
  };
  logger.info({ provenance: infra.provenance, started: infra.started, runId }, "test infrastructure ready");
  project.provide("flytInfra", context);

  return async () => {
    await dropDatabase(infra.postgresUrl, databaseName).catch((error: unknown) =>
      logger.warn({ err: error, databaseName }, "could not drop the test database"),
    );
    await infra.stop();
  };
}
