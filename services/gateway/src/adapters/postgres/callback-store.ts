import type { Knex } from "knex";

export interface Owner {
  readonly tenantId: string;
  readonly sourceApplicationId: string;
}

export interface CallbackEndpoint {
  readonly url: string;
  readonly previousSecretExpiresAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Callback registrations. Secrets are written here and read only by the dispatcher, never answered again. */
export class CallbackStore {
  constructor(private readonly db: Knex) {}

  /** Registers or replaces the endpoint; a replacement starts with a new secret and no previous one. */
  async register(owner: Owner, url: string, secret: string): Promise<void> {
    await this.db("callback_endpoints")
      .insert({ tenant_id: owner.tenantId, source_application_id: owner.sourceApplicationId, url, secret })
      .onConflict(["tenant_id", "source_application_id"])
      .merge({
        url,
        secret,
        previous_secret: null,
        previous_secret_expires_at: null,
        updated_at: this.db.fn.now(),
      });
  }

  async find(owner: Owner): Promise<CallbackEndpoint | undefined> {
    const row = await this.db("callback_endpoints")
      .where({ tenant_id: owner.tenantId, source_application_id: owner.sourceApplicationId })
      .first("url", "previous_secret_expires_at", "created_at", "updated_at");
    return (
      row && {
        url: row.url,
        previousSecretExpiresAt: row.previous_secret_expires_at ?? null,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      }
    );
  }

  /** False when there is nothing to remove. */
  async remove(owner: Owner): Promise<boolean> {
    const removed = await this.db("callback_endpoints")
      .where({ tenant_id: owner.tenantId, source_application_id: owner.sourceApplicationId })
      .delete();
    return removed > 0;
  }

  /** The new secret signs from now on; the current one keeps signing too until `previousExpiresAt`. */
  async rotate(
    owner: Owner,
    newSecret: string,
    previousExpiresAt: Date,
  ): Promise<CallbackEndpoint | undefined> {
    const rows = await this.db("callback_endpoints")
      .where({ tenant_id: owner.tenantId, source_application_id: owner.sourceApplicationId })
      .update({
        previous_secret: this.db.ref("secret"),
        previous_secret_expires_at: previousExpiresAt,
        secret: newSecret,
        updated_at: this.db.fn.now(),
      })
      .returning(["url", "previous_secret_expires_at", "created_at", "updated_at"]);
    const row = rows[0];
    return (
      row && {
        url: row.url,
        previousSecretExpiresAt: row.previous_secret_expires_at,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      }
    );
  }
}
