// The platform team's admin CLI for the registries (DATABASE_URL says which database):
//   npm run admin -- migrate | seed-demo | list --tenant <id>
//   npm run admin -- tenant add --id vestland --name "Vestland fylkeskommune" [--org 821311632]
//   npm run admin -- destination add --id vestland-elements --tenant vestland --name Elements --driver FINT
//   npm run admin -- source-app add --id egrunnerverv --name eGrunnerverv [--vendor ...]
//   npm run admin -- client add --client-id <id> --tenant vestland --source-app egrunnerverv --environment test
//   npm run admin -- integration add --tenant vestland --id egrunnerverv-sak --source-app egrunnerverv
//                                     --name Arkivsak [--state ACTIVE]
//   npm run admin -- integration set-state --tenant vestland --id egrunnerverv-sak --state DEACTIVATED
//   npm run admin -- integration show --tenant vestland --id egrunnerverv-sak
//   npm run admin -- config draft --tenant vestland --id egrunnerverv-sak --file configuration.json
//   npm run admin -- config complete --tenant vestland --id egrunnerverv-sak [--by kari.arkivar]
//   npm run admin -- config activate --tenant vestland --id egrunnerverv-sak --version 2
//   npm run admin -- config show --tenant vestland --id egrunnerverv-sak [--version 2 | --draft]
//   npm run admin -- config versions --tenant vestland --id egrunnerverv-sak
//   npm run admin -- destination check --tenant vestland --id vestland-elements
//     (runs the archive adapter's connection check here, with its ARCHIVE_CONNECTIONS_FILE: see docs/archives.md)
// Exit codes: 0 done (also when it already existed), 1 refused (unknown reference, invalid value, a failed
// check), 2 usage.
import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { userInfo } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ConfigError, parseConfig, postgresUrl } from "@flyt/config";
import { createDatabase } from "@flyt/postgres";
import { z } from "zod";
import {
  type AddOutcome,
  archiveDrivers,
  ConfigurationStore,
  environments,
  integrationStates,
  migrateRegistry,
  RegistryStore,
  seedDemoConfigurations,
  seedDemoCounty,
} from "../src/index";

const slug = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,62}$/, "lower-case letters, digits and dashes, starting with a letter");
const optional = <T extends z.ZodType>(schema: T) => schema.optional().transform((value) => value ?? null);

const commands = {
  "tenant add": z.object({ id: slug, name: z.string().min(1), org: optional(z.string().regex(/^\d{9}$/)) }),
  "destination add": z.object({
    id: slug,
    tenant: slug,
    name: z.string().min(1),
    driver: z.enum(archiveDrivers),
  }),
  "source-app add": z.object({ id: slug, name: z.string().min(1), vendor: optional(z.string().min(1)) }),
  "client add": z.object({
    "client-id": z.string().min(1),
    tenant: slug,
    "source-app": slug,
    environment: z.enum(environments),
    description: optional(z.string()),
  }),
  "integration add": z.object({
    tenant: slug,
    id: slug,
    "source-app": slug,
    name: z.string().min(1),
    state: z.enum(integrationStates).default("IN_DEVELOPMENT"),
  }),
  "integration set-state": z.object({ tenant: slug, id: slug, state: z.enum(integrationStates) }),
  "integration show": z.object({ tenant: slug, id: slug }),
  "config draft": z.object({ tenant: slug, id: slug, file: z.string().min(1) }),
  "config complete": z.object({ tenant: slug, id: slug, by: z.string().min(1).default(userInfo().username) }),
  "config activate": z.object({ tenant: slug, id: slug, version: z.coerce.number().int().positive() }),
  "config show": z.object({
    tenant: slug,
    id: slug,
    version: z.coerce.number().int().positive().optional(),
    draft: z.coerce.boolean().default(false),
  }),
  "config versions": z.object({ tenant: slug, id: slug }),
  list: z.object({ tenant: slug }),
  migrate: z.object({}),
  "seed-demo": z.object({}),
} as const;

// The connection check belongs to the archive adapter (its drivers, its connections file): handed over whole.
if (process.argv[2] === "destination" && process.argv[3] === "check") {
  const script = fileURLToPath(
    new URL("../../../services/archive-adapter/scripts/check-destination.ts", import.meta.url),
  );
  const check = spawnSync(process.execPath, ["--import", "tsx", script, ...process.argv.slice(4)], {
    stdio: "inherit",
  });
  process.exit(check.status ?? 1);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  strict: false,
  options: Object.fromEntries(
    [
      "id",
      "name",
      "org",
      "tenant",
      "driver",
      "vendor",
      "client-id",
      "source-app",
      "environment",
      "description",
      "state",
      "file",
      "by",
      "version",
    ]
      .map((name) => [name, { type: "string" }])
      .concat([["draft", { type: "boolean" }]]),
  ),
});
const commandName = positionals.join(" ") as keyof typeof commands;
const schema = commands[commandName];
if (!schema) usage(`unknown command "${positionals.join(" ")}"`);

const args = (() => {
  try {
    return parseConfig(schema, values as Record<string, string | undefined>) as Record<string, string | null>;
  } catch (error) {
    if (error instanceof ConfigError) usage(error.problems.map((problem) => `--${problem}`).join("\n"));
    throw error;
  }
})();
const { DATABASE_URL } = parseConfig(z.object({ DATABASE_URL: postgresUrl }), process.env);
const db = createDatabase({ url: DATABASE_URL, applicationName: "flyt.admin" });
const store = new RegistryStore(db);
const configurations = new ConfigurationStore(db);

try {
  process.exitCode = await run();
} finally {
  await db.destroy();
}

async function run(): Promise<number> {
  switch (commandName) {
    case "migrate": {
      const applied = await migrateRegistry(db);
      return say(applied.length ? `applied ${applied.join(", ")}` : "registry schema is up to date");
    }
    case "seed-demo": {
      await migrateRegistry(db);
      const { created } = await seedDemoCounty(store);
      const configured = await seedDemoConfigurations(configurations);
      return say(`demo county seeded (${created} rows added, ${configured} configurations activated)`);
    }
    case "list": {
      const tenant = args.tenant as string;
      for (const client of await store.clients(tenant)) {
        say(
          `client ${client.clientId}  ${client.sourceApplicationId}  ${client.environment}${client.revokedAt ? "  REVOKED" : ""}`,
        );
      }
      for (const integration of await store.integrations(tenant)) {
        say(
          `integration ${integration.integrationId}  ${integration.sourceApplicationId}  ${integration.state}  "${integration.name}"`,
        );
      }
      return 0;
    }
    case "tenant add":
      return report(
        await store.addTenant({ id: req("id"), name: req("name"), organisationNumber: args.org ?? null }),
      );
    case "destination add":
      return report(
        await store.addDestination({
          id: req("id"),
          tenantId: req("tenant"),
          name: req("name"),
          driver: req("driver") as (typeof archiveDrivers)[number],
        }),
      );
    case "source-app add":
      return report(
        await store.addSourceApplication({ id: req("id"), name: req("name"), vendor: args.vendor ?? null }),
      );
    case "client add":
      return report(
        await store.addClient({
          clientId: req("client-id"),
          tenantId: req("tenant"),
          sourceApplicationId: req("source-app"),
          environment: req("environment") as (typeof environments)[number],
          description: args.description ?? null,
        }),
      );
    case "integration add":
      return report(
        await store.addIntegration({
          tenantId: req("tenant"),
          integrationId: req("id"),
          sourceApplicationId: req("source-app"),
          name: req("name"),
          state: req("state") as (typeof integrationStates)[number],
        }),
      );
    case "config draft": {
      const content = await readJson(req("file"));
      if (content === undefined) return refuse(`${req("file")} is not readable JSON`);
      const saved = await configurations.saveDraft(req("tenant"), req("id"), content);
      if (saved.outcome === "saved") return say(`draft of ${req("id")} saved`);
      if (saved.outcome === "unknown-integration")
        return refuse(`no integration ${req("id")} for ${req("tenant")}`);
      if (saved.outcome === "unknown-destination")
        return refuse(`${req("tenant")} has no archive destination ${saved.destinationId}`);
      for (const issue of saved.issues) process.stderr.write(`${issue.pointer || "/"}: ${issue.message}\n`);
      return refuse(`the configuration has ${saved.issues.length} problem(s); nothing saved`);
    }
    case "config complete": {
      const completed = await configurations.completeDraft(req("tenant"), req("id"), req("by"));
      return completed.outcome === "completed"
        ? say(`${req("id")} version ${completed.version} completed (activate it with config activate)`)
        : refuse(`${req("id")} has no draft to complete`);
    }
    case "config activate": {
      const activated = await configurations.activate(req("tenant"), req("id"), Number(args.version));
      return activated
        ? say(`${req("id")} now applies version ${args.version}`)
        : refuse(`${req("id")} has no completed version ${args.version}`);
    }
    case "config show": {
      const shown = args.draft
        ? await configurations.draft(req("tenant"), req("id"))
        : args.version
          ? await configurations.version(req("tenant"), req("id"), Number(args.version))
          : await configurations.active(req("tenant"), req("id"));
      if (!shown) return refuse(`${req("id")} has no such configuration`);
      return say(JSON.stringify(shown, null, 2));
    }
    case "config versions": {
      const history = await configurations.history(req("tenant"), req("id"));
      for (const { version, completedAt, completedBy } of history.versions) {
        const active = version === history.activeVersion ? "  ACTIVE" : "";
        say(`version ${version}  completed ${completedAt.toISOString()} by ${completedBy}${active}`);
      }
      if (history.hasDraft) say("draft (not completed)");
      if (history.versions.length === 0 && !history.hasDraft) say(`${req("id")} has no configuration yet`);
      return 0;
    }
    case "integration show": {
      const integration = await store.integration(req("tenant"), req("id"));
      if (!integration) return refuse(`no integration ${req("id")} for ${req("tenant")}`);
      const history = await configurations.history(req("tenant"), req("id"));
      return say(JSON.stringify({ ...integration, ...history }, null, 2));
    }
    case "integration set-state": {
      const found = await store.setIntegrationState(
        req("tenant"),
        req("id"),
        req("state") as (typeof integrationStates)[number],
      );
      return found
        ? say(`integration ${req("id")} is now ${req("state")}`)
        : refuse(`no integration ${req("id")} for ${req("tenant")}`);
    }
  }
  return usage(`unknown command "${commandName}"`);
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch {
    return undefined;
  }
}

function req(name: string): string {
  return args[name] as string;
}

function report(outcome: AddOutcome): number {
  switch (outcome.outcome) {
    case "created":
      return say(`${commandName.split(" ")[0]} created`);
    case "exists":
      return say(`${commandName.split(" ")[0]} already exists; nothing changed`);
    case "unknown-reference":
      return refuse(`refers to something that does not exist: ${outcome.detail}`);
    case "invalid":
      return refuse(`invalid value: ${outcome.detail}`);
  }
}

function say(message: string): number {
  process.stdout.write(`${message}\n`);
  return 0;
}

function refuse(message: string): number {
  process.stderr.write(`refused: ${message}\n`);
  return 1;
}

function usage(message: string): never {
  process.stderr.write(`${message}\nsee the top of libs/registry/scripts/admin.ts for the commands\n`);
  process.exit(2);
}
