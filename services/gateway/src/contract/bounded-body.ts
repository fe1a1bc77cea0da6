import type { FieldError } from "../domain/document-rules";

/** What the contract's schemas can ever accept, from the schemas themselves. */
export interface ContractShape {
  /** The longest list any schema allows. */
  readonly maxItems: number;
  /** Every field name any schema declares. */
  readonly fieldNames: ReadonlySet<string>;
}

/** Unknown fields of one object validated one by one; beyond these they are counted in one error. */
const UNKNOWN_FIELDS_VALIDATED = 100;
/** Deeper than any schema reaches: the validator never looks further down, so neither does the cut. */
const MAX_DEPTH = 32;

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

export function contractShape(schemas: object): ContractShape {
  let maxItems = 0;
  const fieldNames = new Set<string>();
  for (const node of schemaNodes(schemas)) {
    if (typeof node.maxItems === "number") maxItems = Math.max(maxItems, node.maxItems);
    if (typeof node.properties === "object" && node.properties !== null)
      for (const name of Object.keys(node.properties)) fieldNames.add(name);
  }
  return { maxItems, fieldNames };
}

/**
 * The body as validation should see it. Validating every error at once builds an error per wrong item, so a
 * body within the size limit holding millions of list items or unknown fields would cost the gateway gigabytes.
 * Lists are cut one past the longest the contract allows (their own `maxItems` still fails and says so), and
 * unknown fields past the first hundred of an object are left out and counted in one error. A body the
 * contract could accept is never changed.
 */
export function boundedForValidation(
  body: unknown,
  shape: ContractShape,
): { body: unknown; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const cut = (value: unknown, pointer: string, depth: number): unknown => {
    if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return value;
    if (Array.isArray(value)) {
      const kept = value.length > shape.maxItems ? value.slice(0, shape.maxItems + 1) : value;
      return kept.map((item, index) => cut(item, `${pointer}/${index}`, depth + 1));
    }
    const out: Record<string, unknown> = {};
    let unknown = 0;
    for (const [name, field] of Object.entries(value)) {
      if (!shape.fieldNames.has(name) && ++unknown > UNKNOWN_FIELDS_VALIDATED) continue;
      out[name] = cut(field, `${pointer}/${escapePointer(name)}`, depth + 1);
    }
    if (unknown > UNKNOWN_FIELDS_VALIDATED) {
      const more = unknown - UNKNOWN_FIELDS_VALIDATED;
      errors.push({
        code: "unknown-field",
        pointer,
        detail: `${more} more fields that are not fields of this object.`,
      });
    }
    return out;
  };
  return { body: cut(body, "", 0), errors };
}

const escapePointer = (name: string) => name.replaceAll("~", "~0").replaceAll("/", "~1");
