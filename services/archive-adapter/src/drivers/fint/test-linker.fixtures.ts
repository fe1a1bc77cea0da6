import { ArchiveRefusedError } from "../archive-errors";
import type { Relation } from "./code-lists";
import type { CodeLinker } from "./sak-mapping";

export const BASE = "https://api.felleskomponent.no";

/**
 * Links as a destination's code lists would give them, for the mapping tests: `{BASE}/{relation}/{id}` for a
 * value the list has, where `ids` may say which id the archive knows it by; refused otherwise.
 */
export function testLinker(
  ids: Readonly<Record<string, string>> = {},
  unknown: readonly string[] = [],
): CodeLinker & {
  readonly asked: [Relation, string][];
} {
  const asked: [Relation, string][] = [];
  return {
    asked,
    async link(relation, value, field = relation) {
      asked.push([relation, value]);
      if (unknown.includes(value)) throw new ArchiveRefusedError(`the archive has no ${field} "${value}"`);
      if (/^https?:/.test(value)) return value;
      return `${BASE}/${relation}/${ids[`${relation}:${value}`] ?? value}`;
    },
  };
}
