// Generates src/generated/{events,schemas}.ts from avro/*.avsc. Never edit the output by hand.
//   tsx scripts/generate-types.ts           write it
//   tsx scripts/generate-types.ts --check   fail (exit 1) if it is stale: the package's build runs this
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { loadCurrentSchemas } from "../src/schema-files";
import { generateSchemaModule, generateTypes } from "../src/typegen";

const schemas = await loadCurrentSchemas();
const outputs = [
  { file: "events.ts", content: generateTypes(schemas) },
  { file: "schemas.ts", content: generateSchemaModule(schemas) },
];

for (const { file, content } of outputs) {
  const target = fileURLToPath(new URL(`../src/generated/${file}`, import.meta.url));
  if (process.argv.includes("--check")) {
    if ((await readFile(target, "utf8").catch(() => "")) !== content) {
      process.stderr.write(
        `schemas/src/generated/${file} is stale: run \`npm run generate -w @flyt/schemas\`\n`,
      );
      process.exit(1);
    }
  } else {
    await writeFile(target, content);
  }
}
