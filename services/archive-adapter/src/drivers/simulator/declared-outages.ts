import type { Knex } from "knex";

/** How long a read of the declared outages is used before the table is read again. */
const FRESH_FOR_MS = 1_000;

/**
 * Outages an operator declares for a simulated destination while the system runs (`npm run simulator -- outage`),
 * as a real archive goes down and comes back: kept in the simulated archive's own tables, read at most once a
 * second per process so the simulator's calls stay cheap.
 */
export class DeclaredOutages {
  #read: { at: number; outages: Promise<OutageRow[]> } | undefined;

  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The reason the destination is down now, if it is. */
  async reasonNow(destinationId: string): Promise<string | undefined> {
    const now = this.now().getTime();
    if (!this.#read || now - this.#read.at >= FRESH_FOR_MS) {
      // A promise, read once: a knex builder would run its query again for every `then`.
      const outages: Promise<OutageRow[]> = this.db("simulated_archive_outages")
        .where("ends_at", ">", this.now())
        .select("destination_id", "starts_at", "ends_at", "reason")
        .then((rows: OutageRow[]) => rows);
      // A failed read is not an outage of the archive: the next call reads again.
      outages.catch(() => {
        this.#read = undefined;
      });
      this.#read = { at: now, outages };
    }
    const outage = (await this.#read.outages).find(
      (row) =>
        row.destination_id === destinationId && row.starts_at.getTime() <= now && now < row.ends_at.getTime(),
    );
    return outage?.reason;
  }

  /** Declares the destination down from now for `durationMs`. */
  async declare(destinationId: string, durationMs: number, reason: string): Promise<void> {
    const startsAt = this.now();
    await this.db("simulated_archive_outages").insert({
      destination_id: destinationId,
      starts_at: startsAt,
      ends_at: new Date(startsAt.getTime() + durationMs),
      reason,
    });
  }

  /** Ends every outage of the destination now. */
  async end(destinationId: string): Promise<number> {
    return this.db("simulated_archive_outages")
      .where({ destination_id: destinationId })
      .andWhere("ends_at", ">", this.now())
      .update({ ends_at: this.now() });
  }
}

interface OutageRow {
  readonly destination_id: string;
  readonly starts_at: Date;
  readonly ends_at: Date;
  readonly reason: string;
}
