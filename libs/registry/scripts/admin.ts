// The platform team's admin CLI for the registries (DATABASE_URL says which database):
//   npm run admin -- migrate | seed-demo | list --tenant <id>
//   npm run admin -- tenant add --id vestland --name "Vestland fylkeskommune" [--org 821311632]
//   npm run admin -- destination add --id vestland-elements --tenant vestland --name Elements --driver FINT
//   npm run admin -- source-app add --id egrunnerverv --name eGrunnerverv [--vendor ...]
//   npm run admin -- client add --client-id <id> --tenant vestland --source-app egrunnerverv --environment test
//   npm run admin -- integration add --tenant vestland --id egrunnerverv-sak --source-app egrunnerverv
//                                     --name Arkivsak [--state ACTIVE] [--destination vestland-elements]
//   npm run admin -- integration set-state --tenant vestland --id egrunnerverv-sak --state DEACTIVATED
// Exit codes: 0 done (also when it already existed), 1 refused (unknown reference, invalid value), 2 usage.
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
    destination: optional(slug),
  }),
  "integration set-state": z.object({ tenant: slug, id: slug, state: z.enum(integrationStates) }),
  list: z.object({ tenant: slug }),
  migrate: z.object({}),
  "seed-demo": z.object({}),
} as const;

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
      "destination",
    ].map((name) => [name, { type: "string" }]),
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
      const configured = await seedDemoConfigurations(new ConfigurationStore(db));
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
          destinationId: args.destination ?? null,
        }),
      );
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
