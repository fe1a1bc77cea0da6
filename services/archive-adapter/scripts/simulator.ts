// Takes a simulated archive destination down and brings it back while the system runs (DATABASE_URL says which
// database), to watch retries, FAILED and an operator's retry:
//   npm run simulator -- outage --destination demo-simulator [--seconds 600] [--reason "planned maintenance"]
//   npm run simulator -- outage-end --destination demo-simulator
// Exit codes: 0 done, 2 usage.
import { parseArgs } from "node:util";
import { ConfigError, parseConfig, postgresUrl } from "@flyt/config";
import { createDatabase } from "@flyt/postgres";
import { z } from "zod";
import { migrateArchiveAdapter } from "../src/adapters/postgres/migrations";
import { DeclaredOutages } from "../src/drivers/simulator/declared-outages";

const destination = z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, "a destination id");
const commands = {
  outage: z.object({
    destination,
    seconds: z.coerce.number().int().positive().default(600),
    reason: z.string().min(1).default("declared outage"),
  }),
  "outage-end": z.object({ destination }),
} as const;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  strict: false,
  options: { destination: { type: "string" }, seconds: { type: "string" }, reason: { type: "string" } },
});
const commandName = positionals.join(" ") as keyof typeof commands;
if (!commands[commandName]) usage(`unknown command "${positionals.join(" ")}"`);

const { DATABASE_URL } = parseConfig(z.object({ DATABASE_URL: postgresUrl }), process.env);
const db = createDatabase({ url: DATABASE_URL, applicationName: "flyt.simulator-cli" });
try {
  await migrateArchiveAdapter(db);
  const outages = new DeclaredOutages(db);
  if (commandName === "outage") {
    const args = parsed(commands.outage);
    await outages.declare(args.destination, args.seconds * 1000, args.reason);
    process.stdout.write(`${args.destination} is down for ${args.seconds} s: ${args.reason}\n`);
  } else {
    const args = parsed(commands["outage-end"]);
    const ended = await outages.end(args.destination);
    process.stdout.write(`${args.destination}: ${ended} outage(s) ended\n`);
  }
} finally {
  await db.destroy();
}

function parsed<T extends z.ZodType>(schema: T) {
  try {
    return parseConfig(schema, values as Record<string, string | undefined>);
  } catch (error) {
    if (error instanceof ConfigError) usage(error.problems.map((problem) => `--${problem}`).join("\n"));
    throw error;
  }
}

function usage(problem: string): never {
  process.stderr.write(
    `${problem}\nusage: npm run simulator -- outage --destination <id> [--seconds 600] [--reason ...]\n` +
      "       npm run simulator -- outage-end --destination <id>\n",
  );
  process.exit(2);
}
