import { type Projection, project, type StatusEvent } from "./status-transition";

/** A recorded event the history does not show yet, with when the projection recorded it. */
export interface HeldBackEvent {
  readonly event: StatusEvent;
  readonly recordedAt: Date;
}

/**
 * What the periodic sweep does to a submission with events held back: those recorded at or before `cutoff` have
 * waited so long that a step they follow must have been lost on the way (dead-lettered by this service, or
 * recorded without a position by an older instance during a deploy), so they are shown anyway, in lifecycle
 * order; a younger event that follows them is shown as usual. The submission then gets its row and, when that is
 * terminal, its announcement; a missing step arriving later is recorded and never shown (the history only grows
 * at its end).
 */
export function releaseOverdue(
  shown: readonly StatusEvent[],
  heldBack: readonly HeldBackEvent[],
  cutoff: Date,
): Projection {
  const overdue = new Set(
    heldBack.filter(({ recordedAt }) => recordedAt <= cutoff).map(({ event }) => event.eventId),
  );
  return project(
    shown,
    heldBack.map(({ event }) => event),
    (event) => overdue.has(event.eventId),
  );
}
