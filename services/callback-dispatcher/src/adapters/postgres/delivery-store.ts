import type { CallbackEndpoints, DisabledReason, Owner } from "@flyt/callbacks";
import type { Knex } from "knex";
import type { Decision } from "../../domain/schedule";

/** A delivery to make, from a `submission.completed` event or a ping request. */
export interface NewDelivery {
  /** The `webhook-id`. */
  readonly id: string;
  readonly kind: "submission" | "ping";
  readonly owner: Owner;
  readonly submissionId: string | null;
  readonly run: number | null;
  readonly eventType: string;
  readonly body: string;
  /** When the submission reached its terminal status (a registration applies from its own time on). */
  readonly occurredAt: Date;
  /** Claim it for this instance at once (its first attempt follows now), or leave it to the scheduler. */
  readonly lease: boolean;
}

/** A delivery this instance holds the lease of and may attempt. */
export interface LeasedDelivery {
  readonly id: string;
  readonly kind: "submission" | "ping";
  readonly owner: Owner;
  readonly eventType: string;
  readonly body: string;
  readonly occurredAt: Date;
  /** Attempts made so far, and since the schedule (re)started. */
  readonly attempts: number;
  readonly roundAttempts: number;
  /** Which resend or replay of the delivery this attempt belongs to. */
  readonly generation: number;
  /** Until when the lease holds, by this process's clock. */
  readonly leaseUntil: number;
}

/** How an attempt ended, or why none was made (no endpoint, or a disabled one: the delivery is parked). */
export type Finished =
  | {
      readonly delivery: LeasedDelivery;
      readonly attempt: {
        readonly at: Date;
        readonly durationMs: number;
        readonly url: string;
        readonly statusCode: number | null;
        readonly error: string | null;
      };
      readonly decision: Decision;
      readonly health: { readonly succeeded: boolean; readonly gone: boolean };
    }
  | { readonly delivery: LeasedDelivery; readonly skipped: "no-endpoint" | "endpoint-disabled" };

interface DeliveryRow {
  id: string;
  kind: "submission" | "ping";
  tenant_id: string;
  source_application_id: string;
  event_type: string;
  body: string;
  occurred_at: Date;
  attempts: number;
  round_attempts: number;
  generation: number;
}

/** The delivery is still the generation the attempt was made for: no resend or replay came meanwhile. */
const current = "d.generation = u.generation";

const leasedColumns =
  "d.id, d.kind, d.tenant_id, d.source_application_id, d.event_type, d.body, d.occurred_at, d.attempts, d.round_attempts, d.generation";

/**
 * The durable schedule: deliveries, their attempts and leases in Postgres. A due delivery is claimed by one
 * dispatcher instance at a time (a lease with an expiry: a killed instance's claims are taken over when they
 * expire), fairly across endpoints. Writes are made in batches: one statement for many deliveries.
 */
export class DeliveryStore {
  constructor(
    private readonly db: Knex,
    private readonly endpoints: Pick<CallbackEndpoints, "recordHealth">,
    private readonly options: { readonly instanceId: string; readonly leaseMs: number },
  ) {}

  /**
   * Records new deliveries, each once by id, when their owner has an endpoint registered before the submission
   * ended (pings: any endpoint). Answers the ones recorded now that were leased to this instance. Events carry
   * milliseconds and the registration microseconds, so both are compared in milliseconds: a submission that
   * ended in the millisecond of the registration counts as after it.
   */
  async record(deliveries: readonly NewDelivery[]): Promise<LeasedDelivery[]> {
    if (deliveries.length === 0) return [];
    const lines = deliveries.map((delivery) => ({
      id: delivery.id,
      kind: delivery.kind,
      tenant_id: delivery.owner.tenantId,
      source_application_id: delivery.owner.sourceApplicationId,
      submission_id: delivery.submissionId,
      run: delivery.run,
      event_type: delivery.eventType,
      body: delivery.body,
      occurred_at: delivery.occurredAt.toISOString(),
      lease: delivery.lease,
    }));
    const { rows } = await this.db.raw<{ rows: (DeliveryRow & { leased: boolean })[] }>(
      `insert into callback_deliveries as d
         (id, kind, tenant_id, source_application_id, submission_id, run, event_type, body, occurred_at,
          state, next_attempt_at, lease_owner, lease_until)
       select n.id, n.kind, n.tenant_id, n.source_application_id, n.submission_id, n.run, n.event_type, n.body,
              n.occurred_at, 'pending', now(),
              case when n.lease then ? end, case when n.lease then now() + ? * interval '1 millisecond' end
         from jsonb_to_recordset(?::jsonb) as n(id text, kind text, tenant_id text, source_application_id text,
              submission_id text, run int, event_type text, body text, occurred_at timestamptz, lease boolean)
         join callback_endpoints e
           on e.tenant_id = n.tenant_id and e.source_application_id = n.source_application_id
        where n.kind = 'ping' or date_trunc('milliseconds', e.registered_at) <= n.occurred_at
       on conflict (id) do nothing
       returning ${leasedColumns}, d.lease_owner is not null as leased`,
      [this.options.instanceId, this.options.leaseMs, JSON.stringify(lines)],
    );
    const leaseUntil = Date.now() + this.options.leaseMs;
    return rows.filter((row) => row.leased).map((row) => toLeased(row, leaseUntil));
  }

  /**
   * Claims due deliveries, oldest due first, so that no endpoint has more than `perEndpoint` leased to all
   * instances together, and none of `exclude`'s (endpoints this instance is already busy with): one endpoint's
   * backlog cannot take every slot, however many instances run.
   */
  async claimDue(options: {
    readonly limit: number;
    readonly perEndpoint: number;
    readonly exclude: readonly string[];
  }): Promise<LeasedDelivery[]> {
    if (options.limit <= 0) return [];
    const { rows } = await this.db.raw<{ rows: DeliveryRow[] }>(
      `with leased as (
         -- What every instance holds of each endpoint now: the limit per endpoint holds across instances.
         select tenant_id, source_application_id, count(*) as held
           from callback_deliveries
          where lease_owner is not null and lease_until >= now() and state in ('pending', 'retrying')
          group by tenant_id, source_application_id
       ), ranked as (
         select d.id, d.next_attempt_at, coalesce(l.held, 0) as held,
                row_number() over (partition by d.tenant_id, d.source_application_id order by d.next_attempt_at, d.id) as rank
           from callback_deliveries d
           left join leased l on l.tenant_id = d.tenant_id and l.source_application_id = d.source_application_id
          where d.state in ('pending', 'retrying') and d.next_attempt_at <= now()
            and (d.lease_until is null or d.lease_until < now())
            and d.tenant_id || '/' || d.source_application_id <> all(?::text[])
       ), chosen as (
         select id from ranked where rank + held <= ? order by next_attempt_at limit ?
       )
       update callback_deliveries d
          set lease_owner = ?, lease_until = now() + ? * interval '1 millisecond'
         from chosen
        where d.id = chosen.id and d.state in ('pending', 'retrying')
          and (d.lease_until is null or d.lease_until < now())
       returning ${leasedColumns}`,
      [
        [...options.exclude],
        options.perEndpoint,
        options.limit,
        this.options.instanceId,
        this.options.leaseMs,
      ],
    );
    const leaseUntil = Date.now() + this.options.leaseMs;
    return rows.map((row) => toLeased(row, leaseUntil));
  }

  /** Extends this instance's lease of a delivery; false when it is no longer this instance's to attempt. */
  async renewLease(id: string): Promise<number | undefined> {
    const renewed = await this.db("callback_deliveries")
      .where({ id, lease_owner: this.options.instanceId })
      .whereIn("state", ["pending", "retrying"])
      .update({ lease_until: this.db.raw("now() + ? * interval '1 millisecond'", [this.options.leaseMs]) });
    return renewed > 0 ? Date.now() + this.options.leaseMs : undefined;
  }

  /** Gives claimed deliveries back (a stopping instance's queue), to be claimed again at once. */
  async release(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db("callback_deliveries")
      .whereIn("id", ids)
      .andWhere({ lease_owner: this.options.instanceId })
      .update({ lease_owner: null, lease_until: null });
  }

  /**
   * Records attempts and what follows them, for many deliveries in one transaction: each attempt, the delivery's
   * new state (delivered, retrying at a time, or parked), and what they showed of each endpoint. Answers the
   * endpoints this disabled.
   */
  async finish(
    finished: readonly Finished[],
    disableFailingBefore: Date,
  ): Promise<{ readonly owner: Owner; readonly reason: DisabledReason }[]> {
    if (finished.length === 0) return [];
    // Concurrent batches can still deadlock on an endpoint's row (Postgres picks one to fail): try it again.
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.#finish(finished, disableFailingBefore);
      } catch (error) {
        if ((error as { code?: string }).code !== "40P01" || attempt >= 3) throw error;
      }
    }
  }

  async #finish(
    finished: readonly Finished[],
    disableFailingBefore: Date,
  ): Promise<{ readonly owner: Owner; readonly reason: DisabledReason }[]> {
    return this.db.transaction(async (trx) => {
      const attempts = finished.flatMap((item) =>
        "attempt" in item
          ? [
              {
                delivery_id: item.delivery.id,
                attempt: item.delivery.attempts + 1,
                at: item.attempt.at,
                duration_ms: item.attempt.durationMs,
                status_code: item.attempt.statusCode,
                error: item.attempt.error,
                url: item.attempt.url,
              },
            ]
          : [],
      );
      // Every attempt is recorded, also one whose lease ran out meanwhile.
      if (attempts.length > 0) await trx("callback_attempts").insert(attempts);
      const lines = finished.map((item) => toUpdate(item));
      // What comes next is decided only by an attempt of the delivery's current generation: a resend or replay
      // made while this attempt was in flight stands (its fresh schedule, due now).
      await trx.raw(
        `update callback_deliveries d set
           state = case when ${current} then u.state else d.state end,
           attempts = case when u.attempted then d.attempts + 1 else d.attempts end,
           round_attempts = case when ${current} then u.round_attempts else d.round_attempts end,
           next_attempt_at = case when ${current} then u.next_attempt_at else d.next_attempt_at end,
           last_attempt_at = coalesce(u.last_attempt_at, d.last_attempt_at),
           last_status_code = case when u.attempted then u.last_status_code else d.last_status_code end,
           last_error = case when u.attempted then u.last_error else d.last_error end,
           delivered_at = case when u.state = 'delivered' then now() else d.delivered_at end,
           parked_at = case when not ${current} then d.parked_at when u.state = 'parked' then now() end,
           parked_reason = case when ${current} then u.parked_reason else d.parked_reason end,
           lease_owner = null,
           lease_until = null,
           updated_at = now()
         from jsonb_to_recordset(?::jsonb) as u(id text, state text, round_attempts int, generation int,
              next_attempt_at timestamptz, last_attempt_at timestamptz, last_status_code int, last_error text,
              parked_reason text, attempted boolean)
        where d.id = u.id and d.lease_owner = ?`,
        [JSON.stringify(lines), this.options.instanceId],
      );
      const reports = finished.flatMap((item) =>
        "attempt" in item ? [{ owner: item.delivery.owner, ...item.health, at: item.attempt.at }] : [],
      );
      return this.endpoints.recordHealth(reports, disableFailingBefore, trx);
    });
  }

  /**
   * Applies a request once by its event id, in one transaction with what it does (a request redelivered by
   * Kafka does nothing again). Answers whether it was applied now.
   */
  async onceFor<T>(eventId: string, work: (trx: Knex.Transaction) => Promise<T>): Promise<T | undefined> {
    return this.db.transaction(async (trx) => {
      const fresh = await trx("callback_requests")
        .insert({ event_id: eventId })
        .onConflict("event_id")
        .ignore()
        .returning("event_id");
      return fresh.length > 0 ? work(trx) : undefined;
    });
  }

  /** A delivery sent again: the same webhook-id, its schedule started over, due now. False if not the owner's. */
  async resend(trx: Knex, owner: Owner, id: string): Promise<boolean> {
    const updated = await restart(trx).where({
      id,
      tenant_id: owner.tenantId,
      source_application_id: owner.sourceApplicationId,
    });
    return updated > 0;
  }

  /** Every delivery of the owner's submissions parked at or after `since`, sent again. Answers how many. */
  async replay(trx: Knex, owner: Owner, since: Date): Promise<number> {
    return restart(trx)
      .where({
        tenant_id: owner.tenantId,
        source_application_id: owner.sourceApplicationId,
        state: "parked",
        kind: "submission",
      })
      .andWhere("parked_at", ">=", since);
  }

  /** Records a ping delivery (due now, for the scheduler to claim); false when the owner has no endpoint. */
  async recordPing(trx: Knex, delivery: Omit<NewDelivery, "lease">): Promise<boolean> {
    const recorded = await trx.raw<{ rows: unknown[] }>(
      `insert into callback_deliveries
         (id, kind, tenant_id, source_application_id, event_type, body, occurred_at, state, next_attempt_at)
       select ?, 'ping', tenant_id, source_application_id, ?, ?, ?, 'pending', now()
         from callback_endpoints where tenant_id = ? and source_application_id = ?
       on conflict (id) do nothing
       returning id`,
      [
        delivery.id,
        delivery.eventType,
        delivery.body,
        delivery.occurredAt,
        delivery.owner.tenantId,
        delivery.owner.sourceApplicationId,
      ],
    );
    return recorded.rows.length > 0;
  }
}

/**
 * Back to due-now with a fresh schedule, as a new generation; a lease held by an attempt in flight is left to
 * finish, which records the attempt but leaves the new schedule as it is.
 */
function restart(db: Knex) {
  return db("callback_deliveries").update({
    state: db.raw("case when attempts = 0 then 'pending' else 'retrying' end"),
    round_attempts: 0,
    generation: db.raw("generation + 1"),
    next_attempt_at: db.fn.now(),
    parked_at: null,
    parked_reason: null,
    updated_at: db.fn.now(),
  });
}

function toLeased(row: DeliveryRow, leaseUntil: number): LeasedDelivery {
  return {
    id: row.id,
    kind: row.kind,
    owner: { tenantId: row.tenant_id, sourceApplicationId: row.source_application_id },
    eventType: row.event_type,
    body: row.body,
    occurredAt: row.occurred_at,
    attempts: row.attempts,
    roundAttempts: row.round_attempts,
    generation: row.generation,
    leaseUntil,
  };
}

function toUpdate(item: Finished) {
  const { delivery } = item;
  if (!("attempt" in item)) {
    return {
      id: delivery.id,
      state: "parked",
      round_attempts: delivery.roundAttempts,
      generation: delivery.generation,
      next_attempt_at: null,
      last_attempt_at: null,
      last_status_code: null,
      last_error: null,
      parked_reason: item.skipped,
      attempted: false,
    };
  }
  const { decision, attempt } = item;
  return {
    id: delivery.id,
    state:
      decision.action === "delivered" ? "delivered" : decision.action === "retry" ? "retrying" : "parked",
    round_attempts: delivery.roundAttempts + 1,
    generation: delivery.generation,
    next_attempt_at: decision.action === "retry" ? decision.at.toISOString() : null,
    last_attempt_at: attempt.at.toISOString(),
    last_status_code: attempt.statusCode,
    last_error: attempt.error,
    parked_reason: decision.action === "park" ? decision.reason : null,
    attempted: true,
  };
}
