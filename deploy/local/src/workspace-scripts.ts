import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Logger } from "@flyt/logging";
import type { Infrastructure } from "./resolver";
import { repoRoot } from "./settings";

const run = promisify(execFile);

/**
 * Runs one of the workspace's operational scripts, the same ones deployments run, so the local run cannot
 * drift from them (and deploy/local needs no dependency on the libraries behind them).
 */
async function runScript(script: string, args: string[], env: Record<string, string>): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, ["--import", "tsx", join(repoRoot, script), ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    return stdout.trim();
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string };
    throw new Error(`${script} ${args.join(" ")} failed:\n${output.stderr ?? ""}${output.stdout ?? ""}`, {
      cause: error,
    });
  }
}

/** Creates (or repairs) every topic of the catalogue and registers every value schema (`npm run topics:deploy`). */
export async function deployTopics(
  infra: Pick<Infrastructure, "kafkaBrokers" | "schemaRegistryUrl">,
  logger: Logger,
  namespace?: string,
): Promise<void> {
  await runScript("libs/topics/scripts/deploy-topics.ts", [], {
    KAFKA_BROKERS: infra.kafkaBrokers.join(","),
    SCHEMA_REGISTRY_URL: infra.schemaRegistryUrl,
    ...(namespace ? { FLYT_TOPIC_NAMESPACE: namespace } : {}),
  });
  logger.info("topics provisioned and schemas registered");
}

/** The OAuth client ids the registry has for a tenant (`npm run admin -- list`). */
export async function registeredClientIds(databaseUrl: string, tenant: string): Promise<string[]> {
  const listing = await runScript("libs/registry/scripts/admin.ts", ["list", "--tenant", tenant], {
    DATABASE_URL: databaseUrl,
  });
  return listing
    .split("\n")
    .filter((line) => line.startsWith("client "))
    .map((line) => line.split(/\s+/)[1] as string);
}

/** Migrates the registries and seeds the demo county (`npm run admin -- seed-demo`). */
export async function seedRegistries(databaseUrl: string, logger: Logger): Promise<void> {
  const said = await runScript("libs/registry/scripts/admin.ts", ["seed-demo"], {
    DATABASE_URL: databaseUrl,
  });
  logger.info({ result: said }, "registries migrated");
}
