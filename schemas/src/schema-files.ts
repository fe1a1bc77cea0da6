import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const schemasDir = fileURLToPath(new URL("..", import.meta.url));

export interface SchemaFile {
  /** File name without `.avsc`: the topic (or, for the dead-letter envelope, the contract) it describes. */
  readonly name: string;
  readonly schema: AvroRecordSchema;
}

export interface AvroRecordSchema {
  readonly type: "record";
  readonly name: string;
  readonly namespace?: string;
  readonly doc?: string;
  readonly fields: readonly { readonly name: string; readonly type: unknown; readonly doc?: string }[];
}

/** The current schemas, `avro/<name>.avsc`, sorted by name. */
export async function loadCurrentSchemas(): Promise<SchemaFile[]> {
  const dir = join(schemasDir, "avro");
  const files = (await readdir(dir)).filter((file) => file.endsWith(".avsc")).sort();
  return Promise.all(
    files.map(async (file) => ({
      name: file.slice(0, -".avsc".length),
      schema: JSON.parse(await readFile(join(dir, file), "utf8")) as AvroRecordSchema,
    })),
  );
}

/** Every released version of a schema, `history/<name>/<n>.avsc`, oldest first. */
export async function loadReleasedVersions(
  name: string,
): Promise<{ version: number; schema: AvroRecordSchema }[]> {
  const dir = join(schemasDir, "history", name);
  const files = await readdir(dir).catch(() => [] as string[]);
  const versions = files
    .filter((file) => /^\d+\.avsc$/.test(file))
    .map((file) => Number(file.slice(0, -".avsc".length)))
    .sort((a, b) => a - b);
  return Promise.all(
    versions.map(async (version) => ({
      version,
      schema: JSON.parse(await readFile(join(dir, `${version}.avsc`), "utf8")) as AvroRecordSchema,
    })),
  );
}
