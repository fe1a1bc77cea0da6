import { ArchiveRefusedError } from "../archive-errors";
import { findLink, linkUrl, type Noark5Link, type Noark5Object } from "./links";
import type { Noark5Answer, Noark5Client } from "./noark5-client";
import { templateDefaults } from "./noark5-mapping";

/** An object from the archive and the URL it came from (its relative hrefs resolve against that). */
export interface Located {
  readonly url: string;
  readonly body: Noark5Object;
  readonly etag: string | null;
}

/**
 * HATEOAS navigation: everything starts at the root the driver was given and goes on by relation key. The root
 * and the two entry points (arkivstruktur, sakarkiv) are asked once and kept; creation templates are kept by
 * relation. No URL is made up here: every request goes to an href the archive sent.
 */
export interface Noark5Navigator {
  /** An entry point the root links (arkivstruktur, sakarkiv, metadata, admin/system), asked once and kept. */
  entryPoint(rel: string): Promise<Located>;
  /** The same, or undefined when the root offers no such link. */
  optionalEntryPoint(rel: string): Promise<Located | undefined>;
  /** The link an object offers for a relation; a missing one is refused (the archive lacks it or denies it). */
  link(from: Located, rel: string, what: string): Noark5Link;
  /** The object a single-object relation names, or undefined when the object offers no such relation. */
  follow(from: Located, rel: string, purpose: string): Promise<Located | undefined>;
  /** The first object of a list relation (asked with `$top=1`), if it has any. */
  first(from: Located, rel: string, purpose: string): Promise<Located | undefined>;
  /** Objects of a list relation matching `filter`, following `next` pages (at most MAX_PAGES of them). */
  list(from: Located, rel: string, filter: string | undefined, purpose: string): Promise<Located[]>;
  /**
   * Creates an object through a `ny-...` relation: the archive's proposed values (`GET ny-...`) under the
   * driver's own, posted to the same href. Business-specific metadata is sent only to an object whose template
   * shows the field (see `template`): elsewhere the archive would refuse the object.
   */
  create(from: Located, rel: string, body: Record<string, unknown>, purpose: string): Promise<Located>;
  /** What the archive's template for a `ny-...` relation shows, or undefined when it offers none. */
  template(from: Located, rel: string, purpose: string): Promise<Template>;
  /** A JSON Merge Patch of the object, conditional on its ETag; once more after a conflict, on a fresh copy. */
  patch(object: Located, body: Record<string, unknown>, what: string): Promise<Located>;
}

/**
 * A creation template (`GET ny-...`): the values it proposes, and the fields it shows (`fields` undefined when
 * the server offers no template; the standard makes that GET optional).
 */
export interface Template {
  readonly defaults: Record<string, unknown>;
  readonly fields: ReadonlySet<string> | undefined;
}

/**
 * "For mapper som støtter virksomhetsspesifikke metadata, så skal GET på ny-mappe returnere feltet
 * virksomhetsspesifikkeMetadata" (06-konsepter_og_prinsipper.rst:1814–1828 at tag versjon-1.1): a template
 * without it is an object that takes none — the reference server of 2021 takes none on saksmappe or journalpost
 * (Nikita CaseFileDeserializer.java, RegistryEntryDeserializer.java refuse it as an unknown field).
 */
export const BUSINESS_METADATA = "virksomhetsspesifikkeMetadata";

const MAX_PAGES = 20;

function located(answer: Noark5Answer): Located {
  return { url: answer.url, body: answer.body, etag: answer.etag };
}

/** The entries of a list answer (`{"count": n, "results": [...]}`; no `results` when empty). */
function resultsOf(body: Noark5Object): Noark5Object[] {
  const results = body.results;
  return Array.isArray(results) ? (results as Noark5Object[]) : [];
}

export function createNoark5Navigator(options: {
  readonly client: Noark5Client;
  readonly baseUrl: string;
}): Noark5Navigator {
  const { client } = options;
  const entryPoints = new Map<string, Promise<Located>>();
  const templates = new Map<string, Template>();

  function cachedWhileSucceeding(
    cache: Map<string, Promise<Located>>,
    key: string,
    load: () => Promise<Located>,
  ) {
    const cached = cache.get(key);
    if (cached) return cached;
    // A failed load is forgotten, so the next call asks again.
    const loading = load().catch((error: unknown) => {
      cache.delete(key);
      throw error;
    });
    cache.set(key, loading);
    return loading;
  }

  function theRoot(): Promise<Located> {
    return cachedWhileSucceeding(entryPoints, "root", async () =>
      located(await client.get(options.baseUrl, "the API root")),
    );
  }

  function link(from: Located, rel: string, what: string): Noark5Link {
    const found = findLink(from.body, rel);
    if (!found) {
      throw new ArchiveRefusedError(
        `the archive offers no ${rel} on ${what}: it lacks the function or does not allow this client to use it`,
      );
    }
    return found;
  }

  async function templateAt(rel: string, href: string, purpose: string): Promise<Template> {
    const known = templates.get(rel);
    if (known) return known;
    let found: Template = { defaults: {}, fields: undefined };
    try {
      const { body } = await client.get(href, `the template for ${purpose}`);
      found = { defaults: templateDefaults(body), fields: new Set(Object.keys(body)) };
    } catch (error) {
      // A server that offers no template (the standard makes GET on ny-... optional) gets none.
      if (!(error instanceof ArchiveRefusedError)) throw error;
    }
    templates.set(rel, found);
    return found;
  }

  /** The object again, fresh, with its current ETag (the standard: read before you update). */
  async function reload(object: Located, what: string): Promise<Located> {
    return located(await client.get(linkUrl(link(object, "self", what), {}, object.url), what));
  }

  function entryPoint(rel: string): Promise<Located> {
    return cachedWhileSucceeding(entryPoints, rel, async () => {
      const base = await theRoot();
      return located(await client.get(linkUrl(link(base, rel, "the API root"), {}, base.url), rel));
    });
  }

  return {
    entryPoint,
    async optionalEntryPoint(rel) {
      return findLink((await theRoot()).body, rel) ? entryPoint(rel) : undefined;
    },
    link,
    async follow(from, rel, purpose) {
      const found = findLink(from.body, rel);
      return found && located(await client.get(linkUrl(found, {}, from.url), purpose));
    },
    async first(from, rel, purpose) {
      const answer = await client.get(linkUrl(link(from, rel, purpose), { $top: "1" }, from.url), purpose);
      const [body] = resultsOf(answer.body);
      if (!body) return undefined;
      const self = findLink(body, "self");
      return { url: self ? new URL(self.href, answer.url).toString() : answer.url, body, etag: null };
    },
    async list(from, rel, filter, purpose) {
      const query = filter === undefined ? {} : { $filter: filter };
      let url: string | undefined = linkUrl(link(from, rel, purpose), query, from.url);
      const found: Located[] = [];
      for (let page = 0; url !== undefined && page < MAX_PAGES; page += 1) {
        const answer = await client.get(url, purpose);
        for (const body of resultsOf(answer.body)) {
          const self = findLink(body, "self");
          found.push({
            url: self ? new URL(self.href, answer.url).toString() : answer.url,
            body,
            etag: null,
          });
        }
        const next = findLink(answer.body, "next");
        url = next ? linkUrl(next, {}, answer.url) : undefined;
      }
      return found;
    },
    async template(from, rel, purpose) {
      return templateAt(rel, linkUrl(link(from, rel, purpose), {}, from.url), purpose);
    },
    async create(from, rel, body, purpose) {
      const href = linkUrl(link(from, rel, purpose), {}, from.url);
      const { defaults, fields } = await templateAt(rel, href, purpose);
      if (BUSINESS_METADATA in body && fields !== undefined && !fields.has(BUSINESS_METADATA)) {
        throw new ArchiveRefusedError(
          `the archive does not take virksomhetsspesifikkeMetadata on ${purpose.replace(/^ny-/, "")} (its template has no such field); Flyt keeps its external ids there, so it cannot archive here safely`,
        );
      }
      const answer = await client.post(href, { ...defaults, ...body }, purpose);
      const self = findLink(answer.body, "self");
      return { ...located(answer), url: self ? new URL(self.href, answer.url).toString() : answer.url };
    },
    async patch(object, body, what) {
      const fresh = await reload(object, what);
      const url = linkUrl(link(fresh, "self", what), {}, fresh.url);
      try {
        return located(await client.patch(url, body, fresh.etag, `update of ${what}`));
      } catch (error) {
        // 409: someone changed it between our read and our write; the standard says read again and retry.
        if (!(error instanceof ArchiveRefusedError && error.status === 409)) throw error;
        const again = await reload(object, what);
        return located(await client.patch(url, body, again.etag, `update of ${what}`));
      }
    },
  };
}
