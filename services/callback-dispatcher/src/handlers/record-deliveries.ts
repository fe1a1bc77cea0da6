import { answerEventId, type ConsumedMessage, handlerFor } from "@flyt/kafka";
import type { CallbackRequested, SubmissionCompleted } from "@flyt/schemas";
import { callbackPayload } from "@flyt/status-read-model";
import type { TopicCatalogue } from "@flyt/topics";
import type { Knex } from "knex";
import type { DeliveryStore, LeasedDelivery, NewDelivery } from "../adapters/postgres/delivery-store";

export interface RecordDeliveriesDependencies {
  readonly topics: TopicCatalogue;
  /** Records one delivery (coalesced with others handled at the same time); resolves with it if leased here. */
  readonly record: (delivery: NewDelivery) => Promise<LeasedDelivery | undefined>;
  readonly store: Pick<DeliveryStore, "onceFor" | "resend" | "replay" | "recordPing">;
  /** Whether this instance takes on another first attempt now (else the scheduler claims it shortly). */
  readonly hasRoom: () => boolean;
  /** Hands leased deliveries to the dispatcher: attempted off the consumer's path. */
  readonly dispatch: (deliveries: readonly LeasedDelivery[]) => void;
}

/** The webhook-id of a terminal transition's callback: the same however often its event is delivered. */
export const deliveryIdOf = (completedEventId: string) => answerEventId(completedEventId, "callback");

/**
 * The consumer's side: it only records. A `submission.completed` becomes a delivery (once, by its webhook-id,
 * if the owner's endpoint was registered before the submission ended), attempted at once by the dispatcher; a
 * request resends, replays or pings, applied once by its event id. No HTTP call is made on the consumer's path,
 * so a slow or dead endpoint never holds up a partition.
 */
export function recordDeliveryHandlers(deps: RecordDeliveriesDependencies) {
  return [
    handlerFor({
      topic: deps.topics.submissionCompleted,
      handle: async ({ value }: ConsumedMessage<SubmissionCompleted>) => {
        const payload = callbackPayload(value);
        if (!payload) return;
        const leased = await deps.record({
          id: deliveryIdOf(value.meta.eventId),
          kind: "submission",
          owner: {
            tenantId: value.submission.tenant,
            sourceApplicationId: value.submission.sourceApplication,
          },
          submissionId: value.submission.id,
          run: value.submission.run,
          eventType: payload.type,
          body: JSON.stringify(payload),
          occurredAt: value.updatedAt,
          lease: deps.hasRoom(),
        });
        if (leased) deps.dispatch([leased]);
      },
    }),
    handlerFor({
      topic: deps.topics.callbackRequested,
      handle: async ({ value, logger }: ConsumedMessage<CallbackRequested>) => {
        const owner = { tenantId: value.tenant, sourceApplicationId: value.sourceApplication };
        const applied = await deps.store.onceFor(
          value.meta.eventId,
          (trx: Knex): Promise<boolean | number> => {
            switch (value.action) {
              case "PING":
                return deps.store.recordPing(trx, {
                  id: value.deliveryId ?? deliveryIdOf(value.meta.eventId),
                  kind: "ping",
                  owner,
                  submissionId: null,
                  run: null,
                  eventType: "callback.ping",
                  body: JSON.stringify({
                    type: "callback.ping",
                    requestedAt: value.meta.occurredAt.toISOString(),
                  }),
                  occurredAt: value.meta.occurredAt,
                });
              case "RESEND":
                return value.deliveryId
                  ? deps.store.resend(trx, owner, value.deliveryId)
                  : Promise.resolve(false);
              case "REPLAY":
                return value.since ? deps.store.replay(trx, owner, value.since) : Promise.resolve(0);
            }
          },
        );
        logger.info(
          { action: value.action, requestedBy: value.requestedBy, applied: applied ?? "already" },
          "callback request applied",
        );
      },
    }),
  ];
}
