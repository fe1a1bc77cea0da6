import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Logger } from "@flyt/logging";
import type { Infrastructure } from "./resolver";
import { repoRoot } from "./settings";

const run = promisify(execFile);

/**
 * Creates (or repairs) every topic of the catalogue and registers every value schema, by running the same
 * script deployments run (`npm run topics:deploy`), so the local run cannot drift from them.
 */
export async function deployTopics(infra: Infrastructure, logger: Logger): Promise<void> {
  const script = join(repoRoot, "libs", "topics", "scripts", "deploy-topics.ts");
  try {
    await run(process.execPath, ["--import", "tsx", script], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH,
        KAFKA_BROKERS: infra.kafkaBrokers.join(","),
        SCHEMA_REGISTRY_URL: infra.schemaRegistryUrl,
      },
    });
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string };
    throw new Error(`topics:deploy failed:\n${output.stderr ?? ""}${output.stdout ?? ""}`, { cause: error });
  }
  logger.info("topics provisioned and schemas registered");
}
