import type { ReadMessage, TopicOffsets } from "../adapters/kafka/topic-reader";
import type { IncomingStatusEvent } from "../adapters/postgres/status-store";
import type { StatusSource } from "./project-status";

/** Events applied in one transaction at most. */
const CHUNK = 1_000;

export interface RebuildDependencies {
  readonly sources: readonly StatusSource[];
  /** Where every lifecycle topic ends now. */
  readonly endOffsets: () => Promise<TopicOffsets>;
  /** Reads the lifecycle topics in a range (from their beginning when `from` is left out). */
  readonly read: (
    range: { readonly from?: TopicOffsets; readonly to: TopicOffsets },
    onBatch: (messages: readonly ReadMessage[]) => Promise<void>,
  ) => Promise<{ readonly messages: number }>;
  /** The read model being rebuilt, beside the live one. */
  readonly rebuilt: {
    prepare(): Promise<void>;
    apply(events: readonly IncomingStatusEvent[]): Promise<unknown>;
  };
  /** Puts the rebuilt tables in place of the live ones. */
  readonly swap: () => Promise<void>;
  /** The live read model, after the swap. */
  readonly live: { apply(events: readonly IncomingStatusEvent[]): Promise<unknown> };
}

/**
 * Rebuilds the status read model from the lifecycle topics while the projection keeps running: every event up to
 * a snapshot of the topics' ends goes into new tables, which then replace the live ones at once; the events that
 * arrived meanwhile are applied again to them (each is recorded once by its id, so whatever the live projection
 * applied as well counts once). The status is folded from the recorded events, so the result does not depend on
 * the order the topics are read in: it equals the live model.
 */
export async function rebuildReadModel(
  deps: RebuildDependencies,
): Promise<{ readonly rebuilt: number; readonly caughtUp: number }> {
  const toEvent = new Map(deps.sources.map((source) => [source.topic.topic, source.toEvent]));
  const incoming = (messages: readonly ReadMessage[]): IncomingStatusEvent[] =>
    messages.flatMap((message) => {
      const toStatus = toEvent.get(message.topic);
      return toStatus ? [{ event: toStatus(message.value as never), headers: message.headers }] : [];
    });
  const inChunks =
    (apply: (events: readonly IncomingStatusEvent[]) => Promise<unknown>) =>
    async (messages: readonly ReadMessage[]) => {
      const events = incoming(messages);
      for (let start = 0; start < events.length; start += CHUNK)
        await apply(events.slice(start, start + CHUNK));
    };

  await deps.rebuilt.prepare();
  const snapshot = await deps.endOffsets();
  const rebuilt = await deps.read(
    { to: snapshot },
    inChunks((events) => deps.rebuilt.apply(events)),
  );
  await deps.swap();
  const now = await deps.endOffsets();
  const caughtUp = await deps.read(
    { from: snapshot, to: now },
    inChunks((events) => deps.live.apply(events)),
  );
  return { rebuilt: rebuilt.messages, caughtUp: caughtUp.messages };
}
