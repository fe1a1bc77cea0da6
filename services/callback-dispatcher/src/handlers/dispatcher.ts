import type { DisabledReason, Owner, SigningEndpoint } from "@flyt/callbacks";
import { ownerKey } from "@flyt/callbacks";
import type { Logger } from "@flyt/logging";
import { batched } from "@flyt/postgres";
import type { PostOutcome } from "../adapters/http/webhook-client";
import type { Finished, LeasedDelivery } from "../adapters/postgres/delivery-store";
import {
  type AttemptResult,
  type Decision,
  decideAfterAttempt,
  endpointGone,
  failureOf,
  type RetrySchedule,
  succeeded,
} from "../domain/schedule";

/** What the dispatcher reports, for metrics. */
export interface DispatcherMetrics {
  attempted(result: AttemptResult, decision: Decision, durationMs: number): void;
  /** From the submission's terminal status (or the ping request) to its first attempt. */
  firstAttempt(delayMs: number): void;
  skipped(reason: "no-endpoint" | "endpoint-disabled"): void;
  disabled(reason: DisabledReason): void;
  inFlight(count: number): void;
}

export interface DispatcherDependencies {
  readonly store: {
    claimDue(options: {
      readonly limit: number;
      readonly perEndpoint: number;
      readonly exclude: readonly string[];
    }): Promise<LeasedDelivery[]>;
    renewLease(id: string): Promise<number | undefined>;
    release(ids: readonly string[]): Promise<void>;
    finish(
      finished: readonly Finished[],
      disableFailingBefore: Date,
    ): Promise<{ readonly owner: Owner; readonly reason: DisabledReason }[]>;
  };
  /** The owner's endpoint as it signs now (cached briefly), or undefined when none is registered. */
  readonly endpoint: (owner: Owner) => Promise<SigningEndpoint | undefined>;
  readonly sign: (message: {
    readonly id: string;
    readonly timestamp: Date;
    readonly body: string;
    readonly secrets: readonly string[];
  }) => Readonly<Record<string, string>>;
  readonly post: (
    url: string,
    headers: Readonly<Record<string, string>>,
    body: string,
  ) => Promise<PostOutcome>;
  readonly schedule: RetrySchedule;
  /** An endpoint failing every attempt this long is disabled. */
  readonly disableAfterMs: number;
  /** Attempts in flight in all, and to one endpoint. */
  readonly concurrency: number;
  readonly perEndpointConcurrency: number;
  /** An attempt's longest time: a lease with less left is renewed before attempting. */
  readonly attemptTimeoutMs: number;
  readonly pollIntervalMs: number;
  readonly now: () => Date;
  readonly random: () => number;
  readonly logger: Logger;
  readonly metrics: DispatcherMetrics;
}

/** Pings are tried once: the caller sees at once whether its endpoint works. */
const pingSchedule = (schedule: RetrySchedule): RetrySchedule => ({ ...schedule, delaysMs: [] });

/** The most deliveries one claim takes. */
const CLAIM_BATCH = 500;

/**
 * Runs the attempts: deliveries handed over by the consumer (their first attempt, at once) and due ones it claims
 * from the durable schedule every poll interval. Many endpoints in parallel, at most `perEndpointConcurrency`
 * attempts to one endpoint and `concurrency` in all, endpoints taking turns, so a slow or dead endpoint only
 * ever holds its own slots. Each outcome is recorded (batched) with what follows: delivered, retried at a time,
 * or parked.
 */
export class Dispatcher {
  readonly #deps: DispatcherDependencies;
  /** Leased deliveries waiting for a slot, per endpoint, endpoints in turn order. */
  readonly #waiting = new Map<string, LeasedDelivery[]>();
  readonly #running = new Map<string, number>();
  readonly #attempts = new Set<Promise<void>>();
  #queued = 0;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #stopping = false;
  #started = false;
  /** Whether the last claim found due deliveries: then a freed slot is worth another claim at once. */
  #moreDue = false;
  readonly #finish: (finished: Finished) => Promise<void>;

  constructor(deps: DispatcherDependencies) {
    this.#deps = deps;
    this.#finish = batched(async (finished: readonly Finished[]) => {
      const before = new Date(deps.now().getTime() - deps.disableAfterMs);
      for (const { owner, reason } of await deps.store.finish(finished, before)) {
        deps.metrics.disabled(reason);
        deps.logger.warn(
          { tenant: owner.tenantId, sourceApplication: owner.sourceApplicationId, reason },
          "callback endpoint disabled; flagged for the tenant's operators",
        );
      }
      return finished.map(() => undefined);
    });
  }

  /** How many more deliveries this instance takes on (in flight and waiting for a slot). */
  get room(): number {
    return 2 * this.#deps.concurrency - this.#attempts.size - this.#queued;
  }

  /** Starts claiming due deliveries (once). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#schedulePoll(0);
  }

  /** Takes leased deliveries to attempt as soon as their endpoint has a free slot. */
  offer(deliveries: readonly LeasedDelivery[]): void {
    if (this.#stopping) return;
    for (const delivery of deliveries) {
      const key = ownerKey(delivery.owner);
      const queue = this.#waiting.get(key);
      if (queue) queue.push(delivery);
      else this.#waiting.set(key, [delivery]);
      this.#queued += 1;
    }
    this.#pump();
  }

  /** Stops claiming, gives back what waits (claimed again at once elsewhere or after a restart), finishes attempts. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    await this.#polling;
    const waiting = [...this.#waiting.values()].flat().map((delivery) => delivery.id);
    this.#waiting.clear();
    this.#queued = 0;
    await Promise.allSettled([...this.#attempts]);
    await this.#deps.store.release(waiting);
  }

  #schedulePoll(delayMs: number): void {
    if (this.#stopping) return;
    this.#timer = setTimeout(() => {
      this.#polling = this.#poll().finally(() => {
        this.#polling = undefined;
      });
    }, delayMs);
  }

  async #poll(): Promise<void> {
    let claimedAny = false;
    try {
      const limit = Math.min(this.room, CLAIM_BATCH);
      if (limit > 0) {
        const claimed = await this.#deps.store.claimDue({
          limit,
          perEndpoint: this.#deps.perEndpointConcurrency,
          exclude: this.#busyEndpoints(),
        });
        claimedAny = claimed.length > 0;
        this.offer(claimed);
      }
    } catch (error) {
      this.#deps.logger.warn({ err: error }, "could not claim due callbacks; trying again");
    }
    // Found some: more may be due, claimed again as slots free (see #pollSoon); else at the next interval.
    this.#moreDue = claimedAny;
    this.#schedulePoll(claimedAny && this.room > 0 ? 0 : this.#deps.pollIntervalMs);
  }

  /** Claims again now rather than at the next interval, when more is due and this instance runs low. */
  #pollSoon(): void {
    if (!this.#moreDue || this.#polling || this.#stopping || this.#queued >= this.#deps.concurrency / 2)
      return;
    clearTimeout(this.#timer);
    this.#schedulePoll(0);
  }

  /** Endpoints with as many deliveries here as they may have in flight: claiming more of theirs cannot help. */
  #busyEndpoints(): string[] {
    const busy: string[] = [];
    for (const [key, queue] of this.#waiting) {
      if (queue.length + (this.#running.get(key) ?? 0) >= this.#deps.perEndpointConcurrency) busy.push(key);
    }
    for (const [key, running] of this.#running) {
      if (!this.#waiting.has(key) && running >= this.#deps.perEndpointConcurrency) busy.push(key);
    }
    return busy;
  }

  #pump(): void {
    while (this.#attempts.size < this.#deps.concurrency) {
      const next = this.#nextReady();
      if (!next) break;
      const key = ownerKey(next.owner);
      this.#running.set(key, (this.#running.get(key) ?? 0) + 1);
      const attempt = this.#attempt(next).finally(() => {
        this.#attempts.delete(attempt);
        const left = (this.#running.get(key) ?? 1) - 1;
        if (left > 0) this.#running.set(key, left);
        else this.#running.delete(key);
        this.#deps.metrics.inFlight(this.#attempts.size);
        this.#pump();
        this.#pollSoon();
      });
      this.#attempts.add(attempt);
      this.#deps.metrics.inFlight(this.#attempts.size);
    }
  }

  /** The next delivery of the first endpoint in turn with a free slot; that endpoint goes to the back. */
  #nextReady(): LeasedDelivery | undefined {
    for (const [key, queue] of this.#waiting) {
      if ((this.#running.get(key) ?? 0) >= this.#deps.perEndpointConcurrency) continue;
      const delivery = queue.shift() as LeasedDelivery;
      this.#waiting.delete(key);
      if (queue.length > 0) this.#waiting.set(key, queue);
      this.#queued -= 1;
      return delivery;
    }
    return undefined;
  }

  async #attempt(claimed: LeasedDelivery): Promise<void> {
    const deps = this.#deps;
    try {
      let delivery = claimed;
      // Waited long for a slot: make sure it is still this instance's before calling anyone.
      if (delivery.leaseUntil - Date.now() < 2 * deps.attemptTimeoutMs) {
        const leaseUntil = await deps.store.renewLease(delivery.id);
        if (leaseUntil === undefined) return;
        delivery = { ...delivery, leaseUntil };
      }
      const endpoint = await deps.endpoint(delivery.owner);
      if (!endpoint || endpoint.disabled) {
        const skipped = endpoint ? "endpoint-disabled" : "no-endpoint";
        deps.metrics.skipped(skipped);
        await this.#finish({ delivery, skipped });
        return;
      }
      const at = deps.now();
      if (delivery.attempts === 0) deps.metrics.firstAttempt(at.getTime() - delivery.occurredAt.getTime());
      const headers = deps.sign({
        id: delivery.id,
        timestamp: at,
        body: delivery.body,
        secrets: endpoint.secrets,
      });
      const outcome = await deps.post(endpoint.url, headers, delivery.body);
      const schedule = delivery.kind === "ping" ? pingSchedule(deps.schedule) : deps.schedule;
      const decision = decideAfterAttempt(
        schedule,
        { roundAttempt: delivery.roundAttempts + 1, result: outcome.result },
        deps.now(),
        deps.random,
      );
      deps.metrics.attempted(outcome.result, decision, outcome.durationMs);
      if (outcome.result.kind === "refused") {
        deps.logger.warn(
          {
            deliveryId: delivery.id,
            tenant: delivery.owner.tenantId,
            sourceApplication: delivery.owner.sourceApplicationId,
            refused: outcome.result.detail,
          },
          "callback URL refused before sending",
        );
      }
      await this.#finish({
        delivery,
        attempt: {
          at,
          durationMs: outcome.durationMs,
          url: endpoint.url,
          statusCode: outcome.result.kind === "answered" ? outcome.result.statusCode : null,
          error: withAnswer(failureOf(outcome.result), outcome.responseBody),
        },
        decision,
        health: { succeeded: succeeded(outcome.result), gone: endpointGone(outcome.result) },
      });
    } catch (error) {
      // Not recorded: the lease runs out and the delivery is claimed again (same webhook-id).
      deps.logger.warn(
        { err: error, deliveryId: claimed.id },
        "callback attempt not recorded; retried later",
      );
    }
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed.
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F]+/g;

/** A failure's words, with the start of the endpoint's answer (what it said is often why). */
function withAnswer(failure: string | null, body: string | undefined): string | null {
  const said = body?.replace(CONTROL_CHARACTERS, " ").trim().slice(0, 200);
  return failure && said ? `${failure}: ${said}` : failure;
}
