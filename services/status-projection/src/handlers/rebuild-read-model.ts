import type { ReadMessage, TopicOffsets, TopicRanges } from "../adapters/kafka/topic-reader";
import type { IncomingStatusEvent } from "../adapters/postgres/status-store";
import type { StatusSource } from "./project-status";

/** Events applied in one transaction at most. */
const CHUNK = 1_000;
/** Catching up from the topics stops once a round finds fewer new events than this (or after a few rounds). */
const CAUGHT_UP_BELOW = 1_000;
const CATCH_UP_ROUNDS = 5;

export interface RebuildDependencies {
  readonly sources: readonly StatusSource[];
  /** Where every lifecycle topic starts and ends now. */
  readonly ranges: () => Promise<TopicRanges>;
  /** Reads the lifecycle topics up to a snapshot (from their beginning when `from` is left out). */
  readonly read: (
    range: { readonly from?: TopicOffsets; readonly to: TopicRanges },
    onBatch: (messages: readonly ReadMessage[]) => Promise<void>,
  ) => Promise<{ readonly messages: number }>;
  /** The read model being rebuilt, beside the live one. */
  readonly rebuilt: {
    prepare(): Promise<void>;
    apply(events: readonly IncomingStatusEvent[]): Promise<unknown>;
  };
  /**
   * Puts the rebuilt tables in place of the live ones, first taking over every event the live projection recorded
   * that the rebuild did not read.
   */
  readonly swap: () => Promise<{ readonly takenOver: number; readonly announced: number }>;
}

/**
 * Rebuilds the status read model from the lifecycle topics while the projection keeps running: every event up to
 * a snapshot of the topics' ends goes into new tables, then what arrived meanwhile (a few rounds, while much did),
 * and the new tables replace the live ones in one transaction that also takes over whatever the live projection
 * recorded that the rebuild has not read. The status is folded from the recorded events, so the result does not
 * depend on the order they were read in: it equals the live model.
 */
export async function rebuildReadModel(deps: RebuildDependencies): Promise<{
  readonly rebuilt: number;
  readonly caughtUp: number;
  readonly takenOver: number;
  readonly announced: number;
}> {
  const toEvent = new Map(deps.sources.map((source) => [source.topic.topic, source.toEvent]));
  const intoRebuilt = async (messages: readonly ReadMessage[]) => {
    const events = messages.flatMap((message) => {
      const toStatus = toEvent.get(message.topic);
      return toStatus ? [{ event: toStatus(message.value as never), headers: message.headers }] : [];
    });
    for (let start = 0; start < events.length; start += CHUNK) {
      await deps.rebuilt.apply(events.slice(start, start + CHUNK));
    }
  };

  await deps.rebuilt.prepare();
  let snapshot = await deps.ranges();
  const { messages: rebuilt } = await deps.read({ to: snapshot }, intoRebuilt);
  let caughtUp = 0;
  for (let round = 0; round < CATCH_UP_ROUNDS; round += 1) {
    const next = await deps.ranges();
    const { messages } = await deps.read({ from: snapshot.high, to: next }, intoRebuilt);
    caughtUp += messages;
    snapshot = next;
    if (messages < CAUGHT_UP_BELOW) break;
  }
  const { takenOver, announced } = await deps.swap();
  return { rebuilt, caughtUp, takenOver, announced };
}
