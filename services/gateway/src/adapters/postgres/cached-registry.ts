import type { Integration, OAuthClient } from "@flyt/registry";

interface Directory {
  clientById(clientId: string): Promise<OAuthClient | undefined>;
  integration(tenantId: string, integrationId: string): Promise<Integration | undefined>;
}

/**
 * The registry's answers for a few seconds: every request needs its client and integration, and they change
 * rarely. A revoked client or deactivated integration takes effect within `ttlMs` on every gateway instance.
 */
export class CachedDirectory implements Directory {
  readonly #clients = new Map<string, { at: number; value: Promise<OAuthClient | undefined> }>();
  readonly #integrations = new Map<string, { at: number; value: Promise<Integration | undefined> }>();

  constructor(
    private readonly source: Directory,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  clientById(clientId: string): Promise<OAuthClient | undefined> {
    return this.#cached(this.#clients, clientId, () => this.source.clientById(clientId));
  }

  integration(tenantId: string, integrationId: string): Promise<Integration | undefined> {
    return this.#cached(this.#integrations, `${tenantId}\u0000${integrationId}`, () =>
      this.source.integration(tenantId, integrationId),
    );
  }

  #cached<T>(
    cache: Map<string, { at: number; value: Promise<T> }>,
    key: string,
    load: () => Promise<T>,
  ): Promise<T> {
    const hit = cache.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = load();
    cache.set(key, { at: this.now(), value });
    // A failed lookup is not remembered.
    value.catch(() => cache.delete(key));
    if (cache.size > 10_000) cache.delete(cache.keys().next().value as string);
    return value;
  }
}
