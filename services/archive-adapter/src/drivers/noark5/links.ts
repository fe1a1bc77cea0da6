/**
 * Reading a Noark 5 answer's `_links`. The v5 standard writes them as an object keyed by relation
 * (`{"https://rel.../saksmappe/": {"href": ..., "templated": true}}`); some servers and the standard's own
 * chapter 7 examples still use the older list of `{rel, href}`: both are read. Relation keys end with a slash in
 * the standard but not always in the wild, so they are compared without it.
 */
export interface Noark5Link {
  readonly href: string;
  /** The href carries a query template such as `{?$filter&$top&$skip}` (RFC 6570 form, or the standard's `&`). */
  readonly templated: boolean;
}

/** A JSON object as a Noark 5 answer gives it: fields, and `_links`. */
export type Noark5Object = Readonly<Record<string, unknown>>;

function relationKey(rel: string): string {
  return rel.endsWith("/") ? rel.slice(0, -1) : rel;
}

function asLink(value: unknown): Noark5Link | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { href, templated } = value as { href?: unknown; templated?: unknown };
  if (typeof href !== "string" || href.length === 0) return undefined;
  return { href, templated: templated === true };
}

/** Every link of an answer, by relation key (trailing slash removed). */
export function linksOf(resource: Noark5Object): ReadonlyMap<string, Noark5Link> {
  const links = new Map<string, Noark5Link>();
  const raw = resource._links;
  if (Array.isArray(raw)) {
    for (const entry of raw) {
      const rel = (entry as { rel?: unknown } | null)?.rel;
      const link = asLink(entry);
      if (typeof rel === "string" && link) links.set(relationKey(rel), link);
    }
  } else if (typeof raw === "object" && raw !== null) {
    for (const [rel, value] of Object.entries(raw)) {
      // A relation may hold a list of links (HAL); the first is the one a client follows.
      const link = asLink(Array.isArray(value) ? value[0] : value);
      if (link) links.set(relationKey(rel), link);
    }
  }
  return links;
}

export function findLink(resource: Noark5Object, rel: string): Noark5Link | undefined {
  return linksOf(resource).get(relationKey(rel));
}

/** `{?a,b}` (RFC 6570) or `{?a&b}` (as the standard writes it), at the end of an href. */
const QUERY_TEMPLATE = /\{[?&][^}]*\}$/;

/**
 * The URL to request for a link, with query parameters (`$filter`, `$top`, ...). A templated href has its query
 * template replaced by the given parameters; a plain href gets them appended, so a server that supports `$filter`
 * without advertising a template still gets it. An href that already filters (`.../klasse?$filter=overklasse eq
 * ...`, as the standard shows for sub-lists) keeps its condition, joined with the new one by `and`. Values are
 * percent-encoded; the `$` of OData's names is kept. A relative href is resolved against the URL of the answer
 * it came from.
 */
export function linkUrl(
  link: Noark5Link,
  query: Readonly<Record<string, string>> = {},
  base?: string,
): string {
  const withoutTemplate = link.href.replace(QUERY_TEMPLATE, "");
  if (withoutTemplate.includes("{")) {
    throw new Error(`unsupported URI template in link ${link.href}`);
  }
  const absolute = base === undefined ? withoutTemplate : new URL(withoutTemplate, base).toString();
  const queryStart = absolute.indexOf("?");
  const path = queryStart < 0 ? absolute : absolute.slice(0, queryStart);
  const existing =
    queryStart < 0
      ? []
      : absolute
          .slice(queryStart + 1)
          .split("&")
          .filter(Boolean);
  const extra = { ...query };
  const pairs = existing.map((pair) => {
    const [name = "", raw = ""] = pair.split(/=(.*)/s);
    const added = extra[name];
    if (name !== "$filter" || added === undefined) return pair;
    delete extra[name];
    const current = decodeURIComponent(raw.replaceAll("+", " "));
    return `${name}=${encodeURIComponent(`(${current}) and (${added})`)}`;
  });
  for (const [name, value] of Object.entries(extra)) pairs.push(`${name}=${encodeURIComponent(value)}`);
  return pairs.length === 0 ? path : `${path}?${pairs.join("&")}`;
}
