import type { Knex } from "knex";

export interface StoredResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export type KeyClaim =
  | { readonly outcome: "claimed" }
  | { readonly outcome: "replay"; readonly response: StoredResponse }
  | { readonly outcome: "reused-with-another-request" }
  | { readonly outcome: "in-flight" };

/** Idempotency keys per client: claimed while a request runs, then holding its answer (kept at least 24 h). */
export class IdempotencyStore {
  constructor(
    private readonly db: Knex,
    private readonly stale: { readonly inFlightMs: number; readonly now: () => Date },
  ) {}

  async claim(clientId: string, key: string, requestHash: string): Promise<KeyClaim> {
    const inserted = await this.db("idempotency_keys")
      .insert({ client_id: clientId, key, request_hash: requestHash, state: "in-flight" })
      .onConflict(["client_id", "key"])
      .ignore()
      .returning("key");
    if (inserted.length > 0) return { outcome: "claimed" };
    const row = await this.db("idempotency_keys").where({ client_id: clientId, key }).first();
    if (!row) return this.claim(clientId, key, requestHash);
    if (row.request_hash !== requestHash) return { outcome: "reused-with-another-request" };
    if (row.state === "done") {
      return {
        outcome: "replay",
        response: {
          status: row.response_status,
          headers: row.response_headers ?? {},
          body: row.response_body,
        },
      };
    }
    const age = this.stale.now().getTime() - (row.created_at as Date).getTime();
    if (age < this.stale.inFlightMs) return { outcome: "in-flight" };
    // Left in flight by a crash (or by a request that could not release it): take it over, unless another retry
    // just did (compare and set). Compared to the millisecond: Postgres keeps microseconds, a Date does not.
    const taken = await this.db("idempotency_keys")
      .where({ client_id: clientId, key, state: "in-flight" })
      .andWhereRaw("date_trunc('milliseconds', created_at) = ?", [row.created_at])
      .update({ created_at: this.db.fn.now() });
    return taken > 0 ? { outcome: "claimed" } : { outcome: "in-flight" };
  }

  async complete(clientId: string, key: string, response: StoredResponse): Promise<void> {
    await this.db("idempotency_keys")
      .where({ client_id: clientId, key })
      .update({
        state: "done",
        response_status: response.status,
        response_headers: JSON.stringify(response.headers),
        response_body: JSON.stringify(response.body),
      });
  }

  /** Forgets a claim whose request did not succeed, so the client can try again with the same key. */
  async release(clientId: string, key: string): Promise<void> {
    await this.db("idempotency_keys").where({ client_id: clientId, key, state: "in-flight" }).delete();
  }
}
