import type { SchemaFile } from "./schema-files";

type AvroType = string | AvroType[] | { [key: string]: unknown };

interface Named {
  readonly fullName: string;
  readonly source: string;
  readonly code: string;
  /** The schema JSON, to check that every file defining this name defines the same thing. */
  readonly definition: string;
}

/**
 * TypeScript declarations for Avro schemas as Flyt decodes them (see logical-types.ts): records become
 * interfaces, enums string unions, `["null", T]` becomes `T | null`, `timestamp-millis` a `Date`,
 * `date` an ISO `YYYY-MM-DD` string, `bytes` a Buffer. A named type defined in several files is emitted once,
 * and must be defined identically everywhere.
 */
export function generateTypes(files: readonly SchemaFile[]): string {
  const named = new Map<string, Named>();
  for (const file of files)
    collect(file.schema as unknown as AvroType, file.schema.namespace ?? "", file.name, named);
  const body = [...named.values()]
    .sort((a, b) => shortName(a.fullName).localeCompare(shortName(b.fullName)))
    .map((type) => type.code)
    .join("\n\n");
  return `// Generated from schemas/avro/*.avsc by schemas/scripts/generate-types.ts. Do not edit.\n\n${body}\n`;
}

function collect(type: AvroType, namespace: string, source: string, named: Map<string, Named>): string {
  if (typeof type === "string") return primitive(type, namespace, named);
  if (Array.isArray(type)) return union(type.map((member) => collect(member, namespace, source, named)));
  const kind = type.type as AvroType;
  const logical = type.logicalType as string | undefined;
  if (logical === "timestamp-millis") return "Date";
  if (logical === "date") return "string";
  if (typeof kind !== "string") return collect(kind, namespace, source, named);
  switch (kind) {
    case "array":
      return `readonly ${wrap(collect(type.items as AvroType, namespace, source, named))}[]`;
    case "map":
      return `Record<string, ${collect(type.values as AvroType, namespace, source, named)}>`;
    case "enum":
    case "record": {
      const name = type.name as string;
      const ns = (type.namespace as string | undefined) ?? (name.includes(".") ? "" : namespace);
      const fullName = name.includes(".") ? name : `${ns}.${name}`;
      const code = kind === "enum" ? enumCode(type) : recordCode(type, ns, source, named);
      define(named, { fullName, source, code, definition: JSON.stringify(type) });
      return shortName(fullName);
    }
    default:
      return primitive(kind, namespace, named);
  }
}

function primitive(name: string, namespace: string, named: Map<string, Named>): string {
  const primitives: Record<string, string> = {
    null: "null",
    boolean: "boolean",
    int: "number",
    long: "number",
    float: "number",
    double: "number",
    bytes: "Buffer",
    string: "string",
  };
  const mapped = primitives[name];
  if (mapped) return mapped;
  const fullName = name.includes(".") ? name : `${namespace}.${name}`;
  if (!named.has(fullName)) throw new Error(`type ${fullName} is used before it is defined`);
  return shortName(fullName);
}

function recordCode(
  type: Record<string, unknown>,
  namespace: string,
  source: string,
  named: Map<string, Named>,
) {
  const fields = (type.fields as { name: string; type: AvroType; doc?: string }[]).map(
    (field) =>
      `${docComment(field.doc, "  ")}  readonly ${field.name}: ${collect(field.type, namespace, source, named)};`,
  );
  return `${docComment(type.doc as string | undefined, "")}export interface ${type.name as string} {\n${fields.join("\n")}\n}`;
}

function enumCode(type: Record<string, unknown>): string {
  const symbols = (type.symbols as string[]).map((symbol) => JSON.stringify(symbol));
  const name = type.name as string;
  return `${docComment(type.doc as string | undefined, "")}export type ${name} = ${symbols.join(" | ")};\nexport const ${lowerFirst(name)}Values = [${symbols.join(", ")}] as const;`;
}

function define(named: Map<string, Named>, type: Named) {
  const existing = named.get(type.fullName);
  if (existing && existing.definition !== type.definition) {
    throw new Error(`${type.fullName} is defined differently in ${existing.source} and ${type.source}`);
  }
  if (!existing && [...named.keys()].some((name) => shortName(name) === shortName(type.fullName))) {
    throw new Error(`two types are named ${shortName(type.fullName)}: give one another name`);
  }
  named.set(type.fullName, existing ?? type);
}

const shortName = (fullName: string) => fullName.slice(fullName.lastIndexOf(".") + 1);
const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);
/** `T | null`, the way TypeScript code usually reads, whatever the order in the Avro union. */
const union = (members: string[]) =>
  [...new Set(members)].sort((a, b) => Number(a === "null") - Number(b === "null")).join(" | ");
const wrap = (type: string) => (type.includes("|") ? `(${type})` : type);

function docComment(doc: string | undefined, indent: string): string {
  return doc ? `${indent}/** ${doc.replaceAll("*/", "*\\/")} */\n` : "";
}

/** The schemas themselves as a module, so bundled services carry their contracts without reading files. */
export function generateSchemaModule(files: readonly SchemaFile[]): string {
  const exports = files.map(
    (file) =>
      `/** \`${file.name}\`: ${file.schema.name}. */\nexport const ${schemaConstName(file.name)} = ${JSON.stringify(file.schema, null, 2)} as const;`,
  );
  return `// Generated from schemas/avro/*.avsc by schemas/scripts/generate-types.ts. Do not edit.\n\n${exports.join("\n\n")}\n`;
}

/** `flyt.submission.received.v1` -> `submissionReceivedV1Schema`. */
export function schemaConstName(fileName: string): string {
  const words = fileName.replace(/^flyt\./, "").split(/[.-]/);
  return `${words.map((word, i) => (i === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1))).join("")}Schema`;
}
