// Records every changed schema as a new released version under history/<name>/<n>.avsc, after checking that
// it reads what every earlier version wrote. Run it when a schema change is ready to ship:
//   npm run release -w @flyt/schemas
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { backwardIncompatibility } from "../src/compatibility";
import { loadCurrentSchemas, loadReleasedVersions } from "../src/schema-files";

const historyDir = fileURLToPath(new URL("../history", import.meta.url));

for (const { name, schema } of await loadCurrentSchemas()) {
  const released = await loadReleasedVersions(name);
  const latest = released.at(-1);
  if (latest && JSON.stringify(latest.schema) === JSON.stringify(schema)) continue;
  for (const old of released) {
    const problem = backwardIncompatibility(schema, old.schema);
    if (problem) throw new Error(`${name} cannot read what version ${old.version} wrote: ${problem}`);
  }
  const version = (latest?.version ?? 0) + 1;
  await mkdir(`${historyDir}/${name}`, { recursive: true });
  await writeFile(`${historyDir}/${name}/${version}.avsc`, `${JSON.stringify(schema, null, 2)}\n`);
  process.stdout.write(`released ${name} version ${version}\n`);
}
