import { spawn } from "node:child_process";
import { once } from "node:events";
import { repoRoot } from "@flyt/local-infra";
import { createDatabase } from "@flyt/postgres";
import {
  ConfigurationStore,
  DestinationChecks,
  migrateRegistry,
  RegistryStore,
  seedDemoConfigurations,
  seedDemoCounty,
} from "@flyt/registry";
import { createTestDatabase } from "@flyt/testing";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateArchiveAdapter } from "./adapters/postgres/migrations";

// The platform team's connection check, run as the README says: `npm run admin -- destination check`.

let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Knex;

beforeAll(async () => {
  scratch = await createTestDatabase();
  db = createDatabase({ url: scratch.url, applicationName: "flyt.test" });
  await migrateRegistry(db);
  await migrateArchiveAdapter(db);
  await seedDemoCounty(new RegistryStore(db));
  await seedDemoConfigurations(new ConfigurationStore(db));
  await new RegistryStore(db).addDestination({
    id: "demo-fint",
    tenantId: "demo",
    name: "FINT",
    driver: "FINT",
  });
});

afterAll(async () => {
  await db?.destroy();
  await scratch?.drop();
});

async function admin(...args: string[]) {
  const child = spawn("npm", ["run", "-s", "admin", "--", ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: scratch.url, ARCHIVE_CONNECTIONS_FILE: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = await once(child, "exit");
  return { code, stdout, stderr };
}

describe("npm run admin -- destination check", () => {
  it("checks the demo county's simulated archive: every step and every configured code passes", async () => {
    const { code, stdout } = await admin(
      "destination",
      "check",
      "--tenant",
      "demo",
      "--id",
      "demo-simulator",
      "--by",
      "kari",
    );
    expect(code).toBe(0);
    expect(stdout).toContain("ok   reach: The simulated archive answered.");
    expect(stdout).toMatch(/ok {3}codes: \d+ configured codes, all taken\./);
    const [report] = await new DestinationChecks(db).latest("demo", "demo-simulator");
    expect(report).toMatchObject({ passed: true, requestedBy: "kari" });
  }, 60_000);

  it("fails, saying what to do, for a destination the adapter has no connection to; refuses an unknown one", async () => {
    const unconnected = await admin("destination", "check", "--tenant", "demo", "--id", "demo-fint");
    expect(unconnected.code).toBe(1);
    expect(unconnected.stdout).toMatch(/FAIL reach: Flyt cannot connect to this archive: .*connections file/);
    const unknown = await admin("destination", "check", "--tenant", "demo", "--id", "no-such-archive");
    expect(unknown).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("demo has no archive destination no-such-archive"),
    });
  }, 60_000);
});
