import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createTestDatabase } from "@flyt/testing";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { landAcquisitionConfiguration } from "../src/configuration.fixtures";

const run = promisify(execFile);
const script = fileURLToPath(new URL("./admin.ts", import.meta.url));
let database: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

/** Runs the CLI as the platform team does, and reports its exit code and output. */
async function admin(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", script, ...args], {
      env: { PATH: process.env.PATH, DATABASE_URL: database.url },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("npm run admin", () => {
  it("migrates, adds a tenant, source application, client and integration, and lists them", async () => {
    expect(await admin("migrate")).toMatchObject({
      code: 0,
      stdout:
        "applied 001-registries, 002-destination-of-same-tenant, 003-integration-configurations, 004-destination-per-configuration-version, 005-audit-log, 006-required-destination-and-untruncatable-audit, 007-audit-log-source-application, 008-destination-checks, 009-pending-destination-checks\n",
    });
    expect(
      await admin("tenant", "add", "--id", "buskerud", "--name", "Buskerud fylkeskommune"),
    ).toMatchObject({
      code: 0,
      stdout: "tenant created\n",
    });
    expect(await admin("source-app", "add", "--id", "isy-graving", "--name", "ISY Graving")).toMatchObject({
      code: 0,
    });
    expect(
      await admin(
        "client",
        "add",
        "--client-id",
        "buskerud-isy-test",
        "--tenant",
        "buskerud",
        "--source-app",
        "isy-graving",
        "--environment",
        "test",
      ),
    ).toMatchObject({ code: 0 });
    expect(
      await admin(
        "integration",
        "add",
        "--tenant",
        "buskerud",
        "--id",
        "isy-graving-gravetillatelse",
        "--source-app",
        "isy-graving",
        "--name",
        "Gravetillatelser",
      ),
    ).toMatchObject({ code: 0 });

    const listed = await admin("list", "--tenant", "buskerud");
    expect(listed.stdout).toContain("client buskerud-isy-test  isy-graving  test");
    expect(listed.stdout).toContain(
      'integration isy-graving-gravetillatelse  isy-graving  IN_DEVELOPMENT  "Gravetillatelser"',
    );
  });

  it("says nothing changed when it already exists", async () => {
    expect(await admin("tenant", "add", "--id", "buskerud", "--name", "Buskerud")).toMatchObject({
      code: 0,
      stdout: "tenant already exists; nothing changed\n",
    });
  });

  it("refuses an unknown reference with exit code 1", async () => {
    const result = await admin(
      "client",
      "add",
      "--client-id",
      "c1",
      "--tenant",
      "atlantis",
      "--source-app",
      "isy-graving",
      "--environment",
      "test",
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("does not exist");
  });

  it("drafts, completes, activates and shows an integration's configuration", async () => {
    const integration = ["--tenant", "buskerud", "--id", "isy-graving-gravetillatelse"];
    const folder = await mkdtemp(join(tmpdir(), "flyt-admin-"));
    onTestFinished(() => rm(folder, { recursive: true, force: true }));
    const file = join(folder, "configuration.json");

    const destination = ["--id", "buskerud-elements", "--tenant", "buskerud", "--name", "Elements"];
    expect(await admin("destination", "add", ...destination, "--driver", "FINT")).toMatchObject({ code: 0 });
    const configuration = { ...landAcquisitionConfiguration, destinationId: "buskerud-elements" };
    await writeFile(file, JSON.stringify({ ...configuration, destinationId: "demo-simulator" }));
    const elsewhere = await admin("config", "draft", ...integration, "--file", file);
    expect(elsewhere).toMatchObject({ code: 1 });
    expect(elsewhere.stderr).toContain("buskerud has no archive destination demo-simulator");

    await writeFile(file, JSON.stringify({ ...configuration, caseMode: { mode: "SOMETIMES" } }));
    const invalid = await admin("config", "draft", ...integration, "--file", file);
    expect(invalid).toMatchObject({ code: 1 });
    expect(invalid.stderr).toContain("/caseMode/mode:");

    await writeFile(file, JSON.stringify(configuration));
    expect(await admin("config", "draft", ...integration, "--file", file)).toMatchObject({ code: 0 });
    expect(await admin("config", "activate", ...integration, "--version", "1")).toMatchObject({ code: 1 });
    expect(await admin("config", "complete", ...integration, "--by", "kari.arkivar")).toMatchObject({
      code: 0,
      stdout: "isy-graving-gravetillatelse version 1 completed (activate it with config activate)\n",
    });
    expect(await admin("config", "activate", ...integration, "--version", "1")).toMatchObject({ code: 0 });

    const shown = await admin("config", "show", ...integration);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      version: 1,
      completedBy: "kari.arkivar",
      configuration,
    });
    expect(await admin("config", "show", ...integration, "--draft")).toMatchObject({ code: 1 });
  });

  it("lists an integration's versions, and shows the integration with where its configuration stands", async () => {
    const integration = ["--tenant", "buskerud", "--id", "isy-graving-gravetillatelse"];
    const file = join(await mkdtemp(join(tmpdir(), "flyt-admin-")), "configuration.json");
    onTestFinished(() => rm(dirname(file), { recursive: true, force: true }));
    await writeFile(
      file,
      JSON.stringify({ ...landAcquisitionConfiguration, destinationId: "buskerud-elements" }),
    );
    await admin("config", "draft", ...integration, "--file", file);
    await admin("config", "complete", ...integration, "--by", "ola.arkivar");
    await admin("config", "draft", ...integration, "--file", file);

    const versions = await admin("config", "versions", ...integration);
    expect(versions.code).toBe(0);
    expect(versions.stdout.split("\n")).toEqual([
      expect.stringMatching(/^version 1 {2}completed \d{4}-\d\d-\d\dT\S+ by kari\.arkivar {2}ACTIVE$/),
      expect.stringMatching(/^version 2 {2}completed \S+ by ola\.arkivar$/),
      "draft (not completed)",
      "",
    ]);

    const shown = await admin("integration", "show", ...integration);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      integrationId: "isy-graving-gravetillatelse",
      state: "IN_DEVELOPMENT",
      activeVersion: 1,
      hasDraft: true,
      versions: [
        { version: 1, completedBy: "kari.arkivar" },
        { version: 2, completedBy: "ola.arkivar" },
      ],
    });
    expect(await admin("integration", "show", "--tenant", "buskerud", "--id", "no-such-thing")).toMatchObject(
      {
        code: 1,
      },
    );
  });

  it("lists every bad argument at once, with exit code 2", async () => {
    const result = await admin("integration", "add", "--tenant", "Buskerud", "--state", "LIVE");
    expect(result.code).toBe(2);
    for (const argument of ["--tenant", "--id", "--source-app", "--name", "--state"])
      expect(result.stderr).toContain(argument);
  });
});
