// The connection check of an archive destination, run where the archive adapter runs (the connections file holds
// the archives' secrets): reach the archive, authenticate, read its code lists, look up every code the
// destination's integrations are configured with. Prints the report and records it in the registry.
//   npm run admin -- destination check --tenant vestland --id vestland-elements
//   (in a deployment: node dist/check-destination.js --tenant vestland --id vestland-elements)
// Exit codes: 0 passed, 1 failed (the report says why), 2 usage.
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { ConfigError } from "@flyt/config";
import { PostgresFileStore } from "@flyt/file-store";
import { createLogger } from "@flyt/logging";
import { createDatabase } from "@flyt/postgres";
import { ConfigurationStore, DestinationChecks, RegistryStore } from "@flyt/registry";
import { loadArchiveConnections } from "../src/adapters/archive-connections";
import { archiveDriversForChecks } from "../src/adapters/archive-drivers";
import { loadCheckConfig } from "../src/config";
import { checkDestination } from "../src/handlers/check-destination";

const { values } = parseArgs({
  options: { tenant: { type: "string" }, id: { type: "string" }, by: { type: "string" } },
});
if (!values.tenant || !values.id) usage("--tenant and --id are required");

let config: ReturnType<typeof loadCheckConfig>;
try {
  config = loadCheckConfig();
} catch (error) {
  if (error instanceof ConfigError) usage(error.problems.join("\n"));
  throw error;
}
const logger = createLogger({ service: "check-destination", level: "warn" });
const db = createDatabase({ url: config.databaseUrl, applicationName: "flyt.check-destination" });
try {
  const destination = (await new RegistryStore(db).destinations(values.tenant)).find(
    ({ id }) => id === values.id,
  );
  if (!destination) usage(`${values.tenant} has no archive destination ${values.id}`);
  const connections = await loadArchiveConnections(config.archive.connectionsFile);
  const fileStore = new PostgresFileStore(db);
  const driverFor = archiveDriversForChecks({ db, config, connections, fileStore, logger });
  const configurations = new ConfigurationStore(db);
  const report = await checkDestination(
    {
      driverFor,
      deadlineMs: config.archive.checkTimeoutMs,
      configurations: (tenantId, destinationId) => configurations.usingDestination(tenantId, destinationId),
      record: (done) => new DestinationChecks(db).record(done),
    },
    {
      checkId: randomUUID(),
      tenantId: destination.tenantId,
      destination: { id: destination.id, driver: destination.driver },
      requestedBy: values.by ?? process.env.USER ?? "admin-cli",
      requestedAt: new Date(),
    },
  );
  for (const step of report.steps)
    process.stdout.write(`${step.ok ? "ok  " : "FAIL"} ${step.step}: ${step.detail}\n`);
  for (const code of report.unknownCodes) {
    process.stdout.write(
      `     ${code.field} ${JSON.stringify(code.value)} (${code.usedBy.join(", ")}): ${code.why}\n`,
    );
  }
  process.stdout.write(`${report.passed ? "passed" : "failed"} (check ${report.checkId})\n`);
  process.exitCode = report.passed ? 0 : 1;
} finally {
  await db.destroy();
}

function usage(problem: string): never {
  process.stderr.write(
    `${problem}\nusage: npm run admin -- destination check --tenant <tenant> --id <destination>\n`,
  );
  process.exit(2);
}
