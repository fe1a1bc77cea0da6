import type { Knex } from "knex";
import type { Owner } from "./endpoints";

export const deliveryStates = ["pending", "retrying", "delivered", "parked"] as const;
export type DeliveryState = (typeof deliveryStates)[number];

/** One try at posting a delivery: when, how long, and what came back (a status code or an error). */
export interface Attempt {
  readonly attempt: number;
  readonly at: Date;
  readonly durationMs: number;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly url: string;
}

export interface Delivery {
  /** The `webhook-id`: the same at every attempt and every resend. */
  readonly id: string;
  readonly kind: "submission" | "ping";
  readonly tenantId: string;
  readonly sourceApplicationId: string;
  readonly submissionId: string | null;
  readonly type: string;
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly nextAttemptAt: Date | null;
  readonly lastAttemptAt: Date | null;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly deliveredAt: Date | null;
  readonly parkedAt: Date | null;
  readonly parkedReason: string | null;
  readonly createdAt: Date;
}

export interface DeliveryWithAttempts extends Delivery {
  readonly attemptLog: readonly Attempt[];
}

/** A submission's callback as its status resource shows it. */
export interface CallbackState {
  readonly state: DeliveryState | "disabled";
  readonly attempts: number;
  readonly lastAttemptAt: Date | null;
  readonly lastStatusCode: number | null;
  readonly nextAttemptAt: Date | null;
}

export interface DeliveryFilter {
  readonly state?: DeliveryState;
  readonly limit: number;
  /** Continues a list after its last item (from `next`). */
  readonly after?: string;
}

/**
 * Reads the callback deliveries (the dispatcher writes them): one owner's, newest first with their attempts, for
 * the source system and operators. (A submission's callback state is read with its status: `callbackStateJson`.)
 */
export class DeliveryReader {
  constructor(private readonly db: Knex) {}

  /** One of the owner's deliveries with its attempts, oldest first; undefined for anyone else's. */
  async delivery(owner: Owner, id: string): Promise<DeliveryWithAttempts | undefined> {
    const row = await this.db("callback_deliveries")
      .where({ id, tenant_id: owner.tenantId, source_application_id: owner.sourceApplicationId })
      .first();
    if (!row) return undefined;
    const attempts = await this.attempts([id]);
    return { ...toDelivery(row), attemptLog: attempts.get(id) ?? [] };
  }

  /** The owner's deliveries, newest first, each with its attempts; `next` continues the list. */
  async deliveries(
    owner: Owner,
    filter: DeliveryFilter,
  ): Promise<{ readonly items: DeliveryWithAttempts[]; readonly next?: string }> {
    let query = this.db("callback_deliveries").where({
      tenant_id: owner.tenantId,
      source_application_id: owner.sourceApplicationId,
    });
    if (filter.state) query = query.andWhere({ state: filter.state });
    const after = filter.after ? decodeDeliveryCursor(filter.after) : undefined;
    if (after)
      query = query.andWhereRaw("(created_at, id) < (?::timestamptz, ?)", [after.createdAt, after.id]);
    const rows = await query
      .orderBy([
        { column: "created_at", order: "desc" },
        { column: "id", order: "desc" },
      ])
      .limit(filter.limit + 1)
      // To the microsecond, as Postgres keeps it: deliveries recorded by one statement share a `created_at` that
      // a JavaScript Date (milliseconds) would round, and a page ending among them would skip the rest.
      .select("*", this.db.raw("created_at::text as created_at_exact"));
    const deliveries = rows.slice(0, filter.limit).map(toDelivery);
    const attempts = await this.attempts(deliveries.map((delivery) => delivery.id));
    const items = deliveries.map((delivery) => ({
      ...delivery,
      attemptLog: attempts.get(delivery.id) ?? [],
    }));
    const last = rows[filter.limit - 1];
    return rows.length > filter.limit && last
      ? {
          items,
          next: Buffer.from(JSON.stringify([last.created_at_exact, last.id])).toString("base64url"),
        }
      : { items };
  }

  private async attempts(ids: readonly string[]): Promise<Map<string, Attempt[]>> {
    const byDelivery = new Map<string, Attempt[]>();
    if (ids.length === 0) return byDelivery;
    const rows = await this.db("callback_attempts")
      .whereIn("delivery_id", ids)
      .orderBy(["delivery_id", "attempt", "id"]);
    for (const row of rows) {
      const list = byDelivery.get(row.delivery_id) ?? [];
      list.push({
        attempt: row.attempt,
        at: row.at,
        durationMs: row.duration_ms,
        statusCode: row.status_code ?? null,
        error: row.error ?? null,
        url: row.url,
      });
      byDelivery.set(row.delivery_id, list);
    }
    return byDelivery;
  }
}

/** The latest delivery of a submission as `callbackStateJson` answers it. */
export interface CallbackStateJson {
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly last_attempt_at: string | null;
  readonly last_status_code: number | null;
  readonly next_attempt_at: string | null;
  readonly endpoint_disabled: boolean;
}

/**
 * SQL for the callback of a submission's latest terminal transition (its latest delivery), as a JSON object, or
 * null when no endpoint applied to it; `submissionIdSql` is a column or a placeholder. The gateway's polling takes
 * it in the same query as the status.
 */
export function callbackStateJson(submissionIdSql: string): string {
  return `(select json_build_object('state', d.state, 'attempts', d.attempts,
                  'last_attempt_at', d.last_attempt_at, 'last_status_code', d.last_status_code,
                  'next_attempt_at', d.next_attempt_at, 'endpoint_disabled', e.disabled_at is not null)
             from callback_deliveries d
             left join callback_endpoints e
               on e.tenant_id = d.tenant_id and e.source_application_id = d.source_application_id
            where d.submission_id = ${submissionIdSql} and d.kind = 'submission'
            order by d.occurred_at desc, d.created_at desc
            limit 1)`;
}

/** A submission's callback state from `callbackStateJson`'s object; undefined when there was no delivery. */
export function toCallbackState(json: CallbackStateJson | null): CallbackState | undefined {
  if (!json) return undefined;
  const waiting = json.state === "pending" || json.state === "retrying";
  return {
    state: json.state !== "delivered" && json.endpoint_disabled ? "disabled" : json.state,
    attempts: json.attempts,
    lastAttemptAt: json.last_attempt_at ? new Date(json.last_attempt_at) : null,
    lastStatusCode: json.last_status_code ?? null,
    nextAttemptAt: waiting && json.next_attempt_at ? new Date(json.next_attempt_at) : null,
  };
}

/** A Postgres `timestamptz` as text, e.g. `2026-12-02 04:01:02.123456+00`. */
const POSTGRES_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2}) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?[+-](0\d|1[0-5])(:[0-5]\d)?$/;

/** Whether the text is an instant Postgres takes: its pattern, and a day the calendar has. */
function isPostgresInstant(text: string): boolean {
  const match = POSTGRES_INSTANT.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A delivery id (a webhook-id): word characters and dashes, nothing Postgres would refuse in a text parameter. */
const DELIVERY_ID = /^[\w.:-]{1,128}$/;

/**
 * Undefined for anything that is not a cursor this reader made: a crafted one is a 400 for the caller, not a
 * query Postgres refuses (a 500 in our logs).
 */
export function decodeDeliveryCursor(cursor: string): { createdAt: string; id: string } | undefined {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    return typeof id === "string" &&
      DELIVERY_ID.test(id) &&
      typeof createdAt === "string" &&
      isPostgresInstant(createdAt)
      ? { createdAt, id }
      : undefined;
  } catch {
    return undefined;
  }
}

function toDelivery(row: Record<string, unknown>): Delivery {
  return {
    id: row.id as string,
    kind: row.kind as Delivery["kind"],
    tenantId: row.tenant_id as string,
    sourceApplicationId: row.source_application_id as string,
    submissionId: (row.submission_id as string | null) ?? null,
    type: row.event_type as string,
    state: row.state as DeliveryState,
    attempts: row.attempts as number,
    nextAttemptAt: (row.next_attempt_at as Date | null) ?? null,
    lastAttemptAt: (row.last_attempt_at as Date | null) ?? null,
    lastStatusCode: (row.last_status_code as number | null) ?? null,
    lastError: (row.last_error as string | null) ?? null,
    deliveredAt: (row.delivered_at as Date | null) ?? null,
    parkedAt: (row.parked_at as Date | null) ?? null,
    parkedReason: (row.parked_reason as string | null) ?? null,
    createdAt: row.created_at as Date,
  };
}
