import type { Knex } from "knex";

/** Whose endpoint: one per tenant and source application. */
export interface Owner {
  readonly tenantId: string;
  readonly sourceApplicationId: string;
}

export type DisabledReason = "gone" | "failing";

/** An endpoint as the source system and operators may see it: never its secrets. */
export interface CallbackEndpoint {
  readonly tenantId: string;
  readonly sourceApplicationId: string;
  readonly url: string;
  readonly previousSecretExpiresAt: Date | null;
  readonly registeredAt: Date;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** Since when every attempt failed (null after a success). */
  readonly failingSince: Date | null;
  readonly disabledAt: Date | null;
  readonly disabledReason: DisabledReason | null;
  /** When the tenant's operators were flagged about it. */
  readonly flaggedAt: Date | null;
}

/** What the dispatcher signs and posts with: the URL and every secret that signs now (two during a rotation). */
export interface SigningEndpoint {
  readonly url: string;
  readonly secrets: readonly string[];
  readonly registeredAt: Date;
  readonly disabled: boolean;
}

const shown = [
  "tenant_id",
  "source_application_id",
  "url",
  "previous_secret_expires_at",
  "registered_at",
  "created_at",
  "updated_at",
  "failing_since",
  "disabled_at",
  "disabled_reason",
  "flagged_at",
] as const;

/**
 * The callback endpoints. The gateway registers, rotates, removes and re-enables them; the dispatcher reads their
 * secrets and records what delivering to them showed (failing since, disabled, flagged). Secrets are written
 * here and read only by the dispatcher, never answered again.
 */
export class CallbackEndpoints {
  constructor(private readonly db: Knex) {}

  /**
   * Registers or replaces the endpoint: a new secret and no previous one, enabled. A first registration applies
   * to submissions that end from now on; a replacement keeps the time of the registration it replaces, so
   * submissions that ended under it and are not called back yet still are (to the new URL).
   */
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
        ...enabled,
      });
  }

  async find(owner: Owner): Promise<CallbackEndpoint | undefined> {
    const row = await this.db("callback_endpoints").where(key(owner)).first(shown);
    return row && toEndpoint(row);
  }

  /** False when there is nothing to remove. */
  async remove(owner: Owner): Promise<boolean> {
    return (await this.db("callback_endpoints").where(key(owner)).delete()) > 0;
  }

  /** The new secret signs from now on; the current one keeps signing too until `previousExpiresAt`. */
  async rotate(
    owner: Owner,
    newSecret: string,
    previousExpiresAt: Date,
  ): Promise<CallbackEndpoint | undefined> {
    const rows = await this.db("callback_endpoints")
      .where(key(owner))
      .update({
        previous_secret: this.db.ref("secret"),
        previous_secret_expires_at: previousExpiresAt,
        secret: newSecret,
        updated_at: this.db.fn.now(),
      })
      .returning(shown);
    return rows[0] && toEndpoint(rows[0]);
  }

  /** Enables a disabled endpoint again (an operator's decision); false when there is no such endpoint. */
  async reenable(owner: Owner): Promise<CallbackEndpoint | undefined> {
    const rows = await this.db("callback_endpoints")
      .where(key(owner))
      .update({ ...enabled, updated_at: this.db.fn.now() })
      .returning(shown);
    return rows[0] && toEndpoint(rows[0]);
  }

  /** A tenant's endpoints that are disabled or flagged for its operators, most recent first. */
  async needingAttention(tenantId: string): Promise<CallbackEndpoint[]> {
    const rows = await this.db("callback_endpoints")
      .where({ tenant_id: tenantId })
      .andWhere((q) => q.whereNotNull("disabled_at").orWhereNotNull("flagged_at"))
      .orderBy("disabled_at", "desc")
      .select(shown);
    return rows.map(toEndpoint);
  }

  /** Every owner's signing endpoint among `owners` (secrets whose overlap has ended are left out). */
  async signing(owners: readonly Owner[]): Promise<Map<string, SigningEndpoint>> {
    const found = new Map<string, SigningEndpoint>();
    if (owners.length === 0) return found;
    const rows: {
      tenant_id: string;
      source_application_id: string;
      url: string;
      secret: string;
      previous_secret: string | null;
      registered_at: Date;
      disabled: boolean;
    }[] = await this.db("callback_endpoints")
      .whereIn(
        ["tenant_id", "source_application_id"],
        owners.map((owner) => [owner.tenantId, owner.sourceApplicationId]),
      )
      .select(
        "tenant_id",
        "source_application_id",
        "url",
        "secret",
        this.db.raw(
          "case when previous_secret_expires_at > now() then previous_secret end as previous_secret",
        ),
        "registered_at",
        this.db.raw("disabled_at is not null as disabled"),
      );
    for (const row of rows) {
      found.set(ownerKey({ tenantId: row.tenant_id, sourceApplicationId: row.source_application_id }), {
        url: row.url,
        secrets: row.previous_secret ? [row.secret, row.previous_secret] : [row.secret],
        registeredAt: row.registered_at,
        disabled: row.disabled,
      });
    }
    return found;
  }

  /**
   * Records what attempts showed, endpoint by endpoint (one statement for many): a success clears `failing_since`;
   * a failure sets it if unset; an endpoint failing since before `disableFailingBefore`, or one that answered
   * 410, is disabled and flagged. Answers the endpoints this disabled (each once).
   */
  async recordHealth(
    reports: readonly {
      readonly owner: Owner;
      readonly succeeded: boolean;
      readonly gone: boolean;
      readonly at: Date;
    }[],
    disableFailingBefore: Date,
    trx: Knex = this.db,
  ): Promise<{ readonly owner: Owner; readonly reason: DisabledReason }[]> {
    if (reports.length === 0) return [];
    // One line per endpoint: any success in the batch clears it; else the earliest failure counts.
    const merged = new Map<
      string,
      { owner: Owner; succeeded: boolean; gone: boolean; firstFailure?: Date }
    >();
    for (const report of reports) {
      const entry = merged.get(ownerKey(report.owner)) ?? {
        owner: report.owner,
        succeeded: false,
        gone: false,
      };
      if (report.succeeded) entry.succeeded = true;
      else if (!entry.firstFailure || report.at < entry.firstFailure) entry.firstFailure = report.at;
      if (report.gone) entry.gone = true;
      merged.set(ownerKey(report.owner), entry);
    }
    // In a fixed order, so concurrent batches lock the endpoints they change in the same order.
    const lines = [...merged.values()]
      .sort((a, b) => ownerKey(a.owner).localeCompare(ownerKey(b.owner)))
      .map((entry) => ({
        tenant_id: entry.owner.tenantId,
        source_application_id: entry.owner.sourceApplicationId,
        succeeded: entry.succeeded && !entry.gone,
        gone: entry.gone,
        failed_at: entry.firstFailure?.toISOString() ?? null,
      }));
    const { rows } = await trx.raw<{
      rows: { tenant_id: string; source_application_id: string; disabled_reason: DisabledReason }[];
    }>(
      `with report as (
         select * from jsonb_to_recordset(?::jsonb)
           as r(tenant_id text, source_application_id text, succeeded boolean, gone boolean, failed_at timestamptz)
       ), updated as (
         update callback_endpoints e set
           failing_since = case when r.succeeded then null else coalesce(e.failing_since, r.failed_at) end,
           disabled_at = case
             when e.disabled_at is not null then e.disabled_at
             when r.gone or (not r.succeeded and coalesce(e.failing_since, r.failed_at) < ?) then now()
           end,
           disabled_reason = case
             when e.disabled_at is not null then e.disabled_reason
             when r.gone then 'gone'
             when not r.succeeded and coalesce(e.failing_since, r.failed_at) < ? then 'failing'
           end,
           flagged_at = case
             when e.disabled_at is null
               and (r.gone or (not r.succeeded and coalesce(e.failing_since, r.failed_at) < ?)) then now()
             else e.flagged_at
           end
         from report r
         where e.tenant_id = r.tenant_id and e.source_application_id = r.source_application_id
           -- Only rows that change: a success of a healthy endpoint (the usual case) writes and locks nothing.
           and (
             (r.succeeded and e.failing_since is not null)
             or (not r.succeeded and (
               e.failing_since is null
               or (e.disabled_at is null and (r.gone or coalesce(e.failing_since, r.failed_at) < ?))
             ))
           )
         returning e.tenant_id, e.source_application_id, e.disabled_reason, e.disabled_at = now() as disabled_now
       )
       select tenant_id, source_application_id, disabled_reason from updated where disabled_now`,
      [JSON.stringify(lines), ...Array.from({ length: 4 }, () => disableFailingBefore)],
    );
    return rows.map((row) => ({
      owner: { tenantId: row.tenant_id, sourceApplicationId: row.source_application_id },
      reason: row.disabled_reason,
    }));
  }
}

const enabled = { failing_since: null, disabled_at: null, disabled_reason: null, flagged_at: null };

/** One owner as text, for maps and keys: `<tenant>/<source application>`. */
export function ownerKey(owner: Owner): string {
  return `${owner.tenantId}/${owner.sourceApplicationId}`;
}

function key(owner: Owner) {
  return { tenant_id: owner.tenantId, source_application_id: owner.sourceApplicationId };
}

function toEndpoint(row: Record<(typeof shown)[number], unknown>): CallbackEndpoint {
  return {
    tenantId: row.tenant_id as string,
    sourceApplicationId: row.source_application_id as string,
    url: row.url as string,
    previousSecretExpiresAt: (row.previous_secret_expires_at as Date | null) ?? null,
    registeredAt: row.registered_at as Date,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
    failingSince: (row.failing_since as Date | null) ?? null,
    disabledAt: (row.disabled_at as Date | null) ?? null,
    disabledReason: (row.disabled_reason as DisabledReason | null) ?? null,
    flaggedAt: (row.flagged_at as Date | null) ?? null,
  };
}
