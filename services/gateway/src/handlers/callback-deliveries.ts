import type {
  CallbackEndpoint,
  CallbackEndpoints,
  DeliveryReader,
  DeliveryState,
  DeliveryWithAttempts,
  Owner,
} from "@flyt/callbacks";
import { decodeDeliveryCursor, deliveryStates } from "@flyt/callbacks";
import type { AuditAction } from "@flyt/registry";
import type { FieldError } from "../domain/document-rules";
import { parseInstant } from "../domain/instant";

/** A request to the callback dispatcher, published on `flyt.callback.requested.v1`. */
export type DispatcherRequest =
  | {
      readonly action: "PING";
      readonly owner: Owner;
      readonly deliveryId: string;
      readonly requestedBy: string;
    }
  | {
      readonly action: "RESEND";
      readonly owner: Owner;
      readonly deliveryId: string;
      readonly requestedBy: string;
    }
  | { readonly action: "REPLAY"; readonly owner: Owner; readonly since: Date; readonly requestedBy: string };

export interface CallbackDeliveryDependencies {
  readonly endpoints: Pick<CallbackEndpoints, "find">;
  readonly deliveries: Pick<DeliveryReader, "deliveries" | "delivery">;
  /** Resolves once Kafka has the request (the dispatcher acts on it shortly after). */
  readonly request: (request: DispatcherRequest) => Promise<void>;
  readonly newDeliveryId: () => string;
}

/** Who asks, and the audit entry an operator's request leaves (source systems' requests leave none). */
export interface Requester {
  readonly clientId: string;
  readonly audit?: (action: AuditAction, details: Readonly<Record<string, unknown>>) => Promise<void>;
}

export type NoEndpoint = { readonly outcome: "no-endpoint" };
type Invalid = { readonly outcome: "invalid"; readonly errors: readonly FieldError[] };

/** `POST /api/v1/callback/ping`: a signed test event to the caller's endpoint, tried once. */
export async function pingCallback(
  deps: CallbackDeliveryDependencies,
  owner: Owner,
  requester: Requester,
): Promise<NoEndpoint | { readonly outcome: "requested"; readonly deliveryId: string }> {
  if (!(await deps.endpoints.find(owner))) return { outcome: "no-endpoint" };
  const deliveryId = deps.newDeliveryId();
  await deps.request({ action: "PING", owner, deliveryId, requestedBy: requester.clientId });
  return { outcome: "requested", deliveryId };
}

export interface DeliveryQuery {
  readonly state?: DeliveryState;
  readonly limit: number;
  readonly cursor?: string;
}

/** `?state=&limit=&cursor=`, every bad parameter named at once. */
export function parseDeliveryQuery(
  query: Readonly<Record<string, unknown>>,
): Invalid | { readonly outcome: "valid"; readonly query: DeliveryQuery } {
  const errors: FieldError[] = [];
  const single = (name: string) => {
    const value = query[name];
    if (value !== undefined && typeof value !== "string") {
      errors.push({ code: "repeated-parameter", pointer: `/${name}`, detail: `Give ${name} once.` });
      return undefined;
    }
    return value;
  };
  const state = single("state");
  if (state !== undefined && !(deliveryStates as readonly string[]).includes(state)) {
    errors.push({
      code: "invalid-value",
      pointer: "/state",
      detail: `state is one of ${deliveryStates.join(", ")}.`,
    });
  }
  const limit = single("limit") ?? "50";
  if (!/^[1-9][0-9]{0,2}$/.test(limit) || Number(limit) > 200) {
    errors.push({
      code: "invalid-value",
      pointer: "/limit",
      detail: "limit is a whole number from 1 to 200.",
    });
  }
  const cursor = single("cursor");
  if (cursor !== undefined && !decodeDeliveryCursor(cursor)) {
    errors.push({ code: "invalid-value", pointer: "/cursor", detail: "cursor is not one this API gave." });
  }
  if (errors.length > 0) return { outcome: "invalid", errors };
  return {
    outcome: "valid",
    query: {
      limit: Number(limit),
      ...(state ? { state: state as DeliveryState } : {}),
      ...(cursor ? { cursor } : {}),
    },
  };
}

/** The owner's deliveries, newest first, each with its attempts. */
export async function listDeliveries(
  deps: CallbackDeliveryDependencies,
  owner: Owner,
  query: DeliveryQuery,
): Promise<{ readonly items: DeliveryWithAttempts[]; readonly next?: string }> {
  return deps.deliveries.deliveries(owner, {
    limit: query.limit,
    ...(query.state ? { state: query.state } : {}),
    ...(query.cursor ? { after: query.cursor } : {}),
  });
}

/** One of the owner's deliveries; anyone else's is not found. */
export async function findDelivery(
  deps: CallbackDeliveryDependencies,
  owner: Owner,
  id: string,
): Promise<DeliveryWithAttempts | undefined> {
  return UUID.test(id) ? deps.deliveries.delivery(owner, id) : undefined;
}

/** Sends one of the owner's deliveries again: the same webhook-id, its schedule started over. */
export async function resendDelivery(
  deps: CallbackDeliveryDependencies,
  owner: Owner,
  id: string,
  requester: Requester,
): Promise<{ readonly outcome: "unknown-delivery" } | { readonly outcome: "requested" }> {
  const delivery = await findDelivery(deps, owner, id);
  if (!delivery) return { outcome: "unknown-delivery" };
  await deps.request({ action: "RESEND", owner, deliveryId: id, requestedBy: requester.clientId });
  await requester.audit?.("callback.delivery-resent", {
    deliveryId: id,
    submissionId: delivery.submissionId,
  });
  return { outcome: "requested" };
}

/** Sends every delivery of the owner parked since `since` again. Body: `{ "since": "<ISO 8601 instant>" }`. */
export async function replayParked(
  deps: CallbackDeliveryDependencies,
  owner: Owner,
  body: unknown,
  requester: Requester,
): Promise<Invalid | NoEndpoint | { readonly outcome: "requested"; readonly since: Date }> {
  const since = (body as { since?: unknown } | null)?.since;
  const parsed = parseInstant(since);
  if (!parsed) {
    return {
      outcome: "invalid",
      errors: [
        {
          code: since === undefined ? "missing-field" : "invalid-format",
          pointer: "/since",
          detail: "since is an ISO 8601 instant with a time zone, e.g. 2026-11-23T00:00:00Z.",
        },
      ],
    };
  }
  if (!(await deps.endpoints.find(owner))) return { outcome: "no-endpoint" };
  await deps.request({ action: "REPLAY", owner, since: parsed, requestedBy: requester.clientId });
  await requester.audit?.("callback.parked-replayed", { since: parsed.toISOString() });
  return { outcome: "requested", since: parsed };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A delivery as the source API and the admin API show it. */
export function deliveryBody(delivery: DeliveryWithAttempts) {
  const iso = (at: Date | null) => at?.toISOString() ?? null;
  return {
    id: delivery.id,
    type: delivery.type,
    submissionId: delivery.submissionId,
    state: delivery.state,
    attempts: delivery.attempts,
    nextAttemptAt: iso(delivery.nextAttemptAt),
    lastAttemptAt: iso(delivery.lastAttemptAt),
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    deliveredAt: iso(delivery.deliveredAt),
    parkedAt: iso(delivery.parkedAt),
    parkedReason: delivery.parkedReason,
    createdAt: delivery.createdAt.toISOString(),
    attemptLog: delivery.attemptLog.map((attempt) => ({
      attempt: attempt.attempt,
      at: attempt.at.toISOString(),
      durationMs: attempt.durationMs,
      statusCode: attempt.statusCode,
      error: attempt.error,
    })),
  };
}

/** An endpoint as operators see it (never its secrets). */
export function endpointBody(endpoint: CallbackEndpoint) {
  const iso = (at: Date | null) => at?.toISOString() ?? null;
  return {
    sourceApplicationId: endpoint.sourceApplicationId,
    url: endpoint.url,
    registeredAt: endpoint.registeredAt.toISOString(),
    failingSince: iso(endpoint.failingSince),
    disabledAt: iso(endpoint.disabledAt),
    disabledReason: endpoint.disabledReason,
    flaggedAt: iso(endpoint.flaggedAt),
  };
}
