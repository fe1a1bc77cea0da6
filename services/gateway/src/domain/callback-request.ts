import type { EventHeaders } from "@flyt/kafka";
import type { CallbackRequested } from "@flyt/schemas";
import type { DispatcherRequest } from "../handlers/callback-deliveries";

/** The `flyt.callback.requested.v1` message of a request: keyed by its owner, so an owner's requests keep order. */
export function callbackRequestedMessage(
  request: DispatcherRequest,
  context: {
    readonly eventId: string;
    readonly correlationId: string;
    readonly traceparent: string;
    readonly at: Date;
  },
): { readonly key: string; readonly value: CallbackRequested; readonly headers: EventHeaders } {
  const { owner } = request;
  return {
    key: `${owner.tenantId}/${owner.sourceApplicationId}`,
    value: {
      meta: {
        eventId: context.eventId,
        occurredAt: context.at,
        correlationId: context.correlationId,
        producer: "gateway",
      },
      tenant: owner.tenantId,
      sourceApplication: owner.sourceApplicationId,
      action: request.action,
      deliveryId: request.action === "REPLAY" ? null : request.deliveryId,
      since: request.action === "REPLAY" ? request.since : null,
      requestedBy: request.requestedBy,
    },
    headers: {
      correlationId: context.correlationId,
      traceparent: context.traceparent,
      tenant: owner.tenantId,
      sourceApplication: owner.sourceApplicationId,
      submissionId: "",
    },
  };
}
