import type { FieldError } from "../domain/document-rules";

// What the contract's schemas can ever accept, read from the schemas themselves, and the parts a body is
// validated in so that validating a wrong body costs a bounded amount of work, however wrong it is.

type Schema = Readonly<Record<string, unknown>>;
type Components = Readonly<Record<string, Schema>>;

const REF_PREFIX = "#/components/schemas/";
/** Unknown fields of one object validated one by one; beyond these they are counted in one error. */
const UNKNOWN_FIELDS_VALIDATED = 100;

/** Every schema object within `schemas`, at any depth. */
export function schemaNodes(schemas: object): Record<string, unknown>[] {
  const nodes: Record<string, unknown>[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    nodes.push(node as Record<string, unknown>);
    for (const value of Object.values(node)) visit(value);
  };
  visit(schemas);
  return nodes;
}

/** The schema `node` stands for, its `$ref` followed (the schemas refer to each other as the OpenAPI document does). */
export function resolve(node: Schema, components: Components): Schema {
  let schema = node;
  while (typeof schema.$ref === "string") {
    const name = schema.$ref.startsWith(REF_PREFIX) ? schema.$ref.slice(REF_PREFIX.length) : "";
    const target = components[name];
    if (!target) throw new Error(`unresolvable $ref ${schema.$ref}`);
    schema = target;
  }
  return schema;
}

const propertiesOf = (schema: Schema) => (schema.properties ?? {}) as Readonly<Record<string, Schema>>;

/**
 * The most values and member names together (as the JSON scan counts them) that a body valid against `schema`
 * can hold: every list at its `maxItems`, every optional field present. Infinite if a list has no `maxItems`.
 */
export function maxValues(schema: Schema, components: Components): number {
  const resolved = resolve(schema, components);
  if (resolved.type === "object") {
    let total = 1;
    for (const property of Object.values(propertiesOf(resolved)))
      total += 1 + maxValues(property, components);
    return total;
  }
  if (resolved.type === "array") {
    const items = resolved.items as Schema | undefined;
    if (typeof resolved.maxItems !== "number" || !items) return Number.POSITIVE_INFINITY;
    return 1 + resolved.maxItems * maxValues(items, components);
  }
  return 1;
}

/** Every field name any schema declares. */
export function fieldNames(schemas: object): ReadonlySet<string> {
  const names = new Set<string>();
  for (const node of schemaNodes(schemas))
    if (typeof node.properties === "object" && node.properties !== null)
      for (const name of Object.keys(node.properties)) names.add(name);
  return names;
}

/**
 * A part of a body validated on its own: an object with everything within it but its lists of objects, whose
 * items are parts of their own. Validating part by part lets the validator stop once it has found enough errors,
 * and no one part can hold more than a few hundred errors.
 */
export interface ValidationPart {
  /** The part's schema, self-contained (references inlined), its lists of objects left to their items' parts. */
  readonly schema: Schema;
  /** The part's schema as the contract has it, for bounding a body before validation. */
  readonly source: Schema;
  /** Where within the part its lists of objects are (a path of field names), and their items' part. */
  readonly lists: readonly {
    readonly path: readonly string[];
    readonly maxItems: number;
    readonly item: ValidationPart;
  }[];
}

/** The parts a body of `schema` is validated in (one object per schema, shared where schemas are). */
export function validationParts(schema: Schema, components: Components): ValidationPart {
  const parts = new Map<Schema, ValidationPart>();
  const partOf = (node: Schema): ValidationPart => {
    const source = resolve(node, components);
    const known = parts.get(source);
    if (known) return known;
    const lists: { path: string[]; maxItems: number; item: ValidationPart }[] = [];
    const inline = (at: Schema, path: string[]): Schema => {
      const resolved = resolve(at, components);
      if (resolved.type === "object") {
        const properties = Object.entries(propertiesOf(resolved)).map(([name, property]) => [
          name,
          inline(property, [...path, name]),
        ]);
        return { ...resolved, properties: Object.fromEntries(properties) };
      }
      if (resolved.type === "array" && resolved.items) {
        const items = resolve(resolved.items as Schema, components);
        if (items.type !== "object") return { ...resolved, items: inline(items, path) };
        lists.push({ path, maxItems: Number(resolved.maxItems ?? 0), item: partOf(items) });
        return { ...resolved, items: true };
      }
      return resolved;
    };
    const part = { schema: inline(source, []), source, lists };
    parts.set(source, part);
    return part;
  };
  return partOf(schema);
}

/**
 * A part's value as validation should see it: lists of values within it cut one past their own `maxItems` (the
 * limit still fails and says so), and unknown fields past the first hundred of an object left out and counted
 * in one error. Lists of objects are left as they are: their items are parts of their own. A value the contract
 * could accept is returned as it is.
 */
export function boundedPart(
  value: unknown,
  part: ValidationPart,
  components: Components,
): { value: unknown; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const bound = (at: unknown, schema: Schema, pointer: string): unknown => {
    const resolved = resolve(schema, components);
    if (Array.isArray(at)) {
      const items = resolved.items as Schema | undefined;
      if (resolved.type !== "array" || !items || resolve(items, components).type === "object") return at;
      const limit = Number(resolved.maxItems ?? Number.POSITIVE_INFINITY) + 1;
      const kept = at.length > limit ? at.slice(0, limit) : at;
      let changed = kept !== at;
      const bounded = kept.map((item, index) => {
        const result = bound(item, items, `${pointer}/${index}`);
        changed ||= result !== item;
        return result;
      });
      return changed ? bounded : at;
    }
    if (typeof at !== "object" || at === null || resolved.type !== "object") return at;
    const properties = propertiesOf(resolved);
    // No prototype: a field named __proto__ stays a field.
    const out: Record<string, unknown> = Object.create(null);
    let changed = false;
    let unknown = 0;
    for (const [name, field] of Object.entries(at)) {
      const property = Object.hasOwn(properties, name) ? properties[name] : undefined;
      if (!property) {
        unknown += 1;
        if (unknown > UNKNOWN_FIELDS_VALIDATED) {
          changed = true;
          continue;
        }
        out[name] = field;
        continue;
      }
      const result = bound(field, property, `${pointer}/${escapePointer(name)}`);
      changed ||= result !== field;
      out[name] = result;
    }
    if (unknown > UNKNOWN_FIELDS_VALIDATED) {
      errors.push({
        code: "unknown-field",
        pointer,
        detail: `${unknown - UNKNOWN_FIELDS_VALIDATED} more fields that are not fields of this object.`,
      });
    }
    return changed ? out : at;
  };
  return { value: bound(value, part.source, ""), errors };
}

export const escapePointer = (name: string) => name.replaceAll("~", "~0").replaceAll("/", "~1");
