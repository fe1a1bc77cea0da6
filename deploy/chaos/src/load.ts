import { setTimeout as sleep } from "node:timers/promises";
import { type LoadAction, type PlannedPost, plannedAction } from "./domain/load-plan";
import {
  type AcceptedSubmission,
  type CopyGroup,
  type HttpAnswer,
  isTerminal,
  type NotAccepted,
  type Poll,
  type StatusResource,
} from "./domain/observations";

/** How a source system retries a request the gateway did not take (503, no connection): for two minutes. */
const SEND_DEADLINE_MS = 120_000;
const POLL_INTERVAL_MS = 2_000;
/** Polls at once: a source system polls from a few workers, not a connection per submission. */
const POLLS_AT_ONCE = 8;
const REQUEST_TIMEOUT_MS = 15_000;
/** Tokens are taken again well before they expire. */
const TOKEN_AGE_MS = 10 * 60_000;

export interface LoadTarget {
  readonly gatewayUrl: () => string;
  readonly tokenFor: (application: string) => Promise<string>;
}

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown> | undefined;
  readonly retryAfterSeconds: number | undefined;
}

/**
 * Source systems at a fixed rate: each action of the plan sends its posts (retrying what was not taken, as a
 * source system must), and every accepted submission is polled until it is terminal. Everything the gateway
 * answered is recorded.
 */
export class Load {
  readonly accepted: AcceptedSubmission[] = [];
  readonly copyGroups: CopyGroup[] = [];
  readonly answers: HttpAnswer[] = [];
  readonly polls: Poll[] = [];
  readonly notAccepted: NotAccepted[] = [];
  /** The ids polling has seen terminal. */
  readonly terminal = new Set<string>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #pollers = new Set<Promise<unknown>>();
  readonly #acceptedIds = new Set<string>();
  readonly #pollSlots = new Slots(POLLS_AT_ONCE);
  readonly #tokens = new Map<string, { token: Promise<string>; at: number }>();
  #running = false;
  #stopped: Promise<void> = Promise.resolve();
  #polling = true;

  constructor(
    private readonly target: LoadTarget,
    private readonly tag: string,
  ) {}

  /** Starts an action every `1 / actionsPerSecond` s, on a fixed schedule (a late tick does not slow it). */
  start(actionsPerSecond: number): void {
    this.#running = true;
    const interval = 1_000 / actionsPerSecond;
    const startedAt = Date.now();
    this.#stopped = (async () => {
      for (let n = 0; this.#running; n += 1) {
        this.#track(this.#act(plannedAction(n, this.tag)));
        const next = startedAt + (n + 1) * interval;
        await sleep(Math.max(0, next - Date.now()));
      }
    })();
  }

  /** Stops starting actions and waits for those under way to be answered. */
  async stop(): Promise<void> {
    this.#running = false;
    await this.#stopped;
    while (this.#inFlight.size > 0) await Promise.race(this.#inFlight);
  }

  /** Stops everything at once, waiting for nothing (a run that failed). */
  abort(): void {
    this.#running = false;
    this.#polling = false;
  }

  /** Stops polling (the run is over) and waits for the last polls. */
  async stopPolling(): Promise<void> {
    this.#polling = false;
    while (this.#pollers.size > 0) await Promise.race(this.#pollers);
  }

  /** Each accepted submission's status resource now. */
  async finals(): Promise<Record<string, StatusResource>> {
    const finals: Record<string, StatusResource> = {};
    const ids = [...new Set(this.accepted.map((submission) => submission.id))];
    const applications = new Map(
      this.accepted.map((submission) => [submission.id, submission.sourceApplication]),
    );
    for (let i = 0; i < ids.length; i += 20) {
      await Promise.all(
        ids.slice(i, i + 20).map(async (id) => {
          for (let attempt = 0; attempt < 10; attempt += 1) {
            const answer = await this.#request(
              applications.get(id) as string,
              "GET",
              `/api/v1/submissions/${id}`,
            );
            if (answer.status === 200) {
              finals[id] = answer.body as unknown as StatusResource;
              return;
            }
            await sleep(1_000);
          }
        }),
      );
    }
    return finals;
  }

  #track(work: Promise<unknown>, into = this.#inFlight) {
    const tracked = work.catch(() => undefined).finally(() => into.delete(tracked));
    into.add(tracked);
  }

  async #act(action: LoadAction): Promise<void> {
    if (action.kind === "parallel") {
      await Promise.all(action.posts.map((post) => this.#sendCopies(post, action)));
      return;
    }
    let caseRef: string | undefined;
    for (const post of action.posts) {
      const id = await this.#sendCopies(post, action, caseRef);
      // Journal posts to a case submission are sent as soon as it is accepted, so they wait for it.
      if (!id) return;
      caseRef ??= id;
    }
  }

  /** Sends a post `copies` times (at once, or again after a pause); resolves with the id accepted. */
  async #sendCopies(post: PlannedPost, action: LoadAction, caseRef?: string): Promise<string | undefined> {
    const ids: string[] = [];
    const statuses: number[] = [];
    const send = async () => {
      const answer = await this.#send(post, action.idempotencyKey, caseRef, statuses);
      if (answer.status !== 202) return;
      const id = String(answer.body?.id);
      ids.push(id);
      this.#accept(post, id);
    };
    if (action.copies === 1) await send();
    else if (action.repeatAfterMs === undefined)
      await Promise.all(Array.from({ length: action.copies }, send));
    else {
      for (let copy = 0; copy < action.copies; copy += 1) {
        if (copy > 0) await sleep(action.repeatAfterMs);
        await send();
      }
    }
    if (action.copies > 1) {
      const key = `${post.body.integrationId}/${post.body.sourceInstanceId}`;
      this.copyGroups.push({ key, acceptedIds: ids, statuses });
    }
    if (ids.length === 0) {
      this.notAccepted.push({
        sourceInstanceId: post.body.sourceInstanceId,
        lastStatus: statuses.at(-1) ?? 0,
      });
    }
    return ids[0];
  }

  /** Records a submission at its first 202, and polls it from then on. */
  #accept(post: PlannedPost, id: string) {
    if (this.#acceptedIds.has(id)) return;
    this.#acceptedIds.add(id);
    this.accepted.push({
      id,
      scenario: post.scenario,
      sourceApplication: post.sourceApplication,
      integrationId: post.body.integrationId,
      sourceInstanceId: post.body.sourceInstanceId,
      expectedStatus: post.expectedStatus,
      ...(post.caseGroup ? { caseGroup: post.caseGroup } : {}),
      acceptedAt: Date.now(),
    });
    this.#track(this.#poll(id, post.sourceApplication), this.#pollers);
  }

  /** One copy, sent until the gateway takes it or answers for good (a source system retries 503s). */
  async #send(
    post: PlannedPost,
    idempotencyKey: string | undefined,
    caseRef: string | undefined,
    statuses: number[],
  ) {
    const path =
      post.path === "cases"
        ? "/api/v1/cases"
        : `/api/v1/cases/${encodeURIComponent(caseRef ?? "")}/journal-posts`;
    const deadline = Date.now() + SEND_DEADLINE_MS;
    for (;;) {
      const answer = await this.#request(post.sourceApplication, "POST", path, post.body, idempotencyKey);
      statuses.push(answer.status);
      // A copy sent while another is still being written (or one left half-written by a crash) gets 409: it asks
      // again, as a source system would (a 409 for another body never comes: no body here is sent differently).
      const retriable = [0, 401, 409, 429, 503].includes(answer.status);
      if (!retriable || Date.now() > deadline) return answer;
      await sleep(Math.min(answer.retryAfterSeconds ?? 1, 5) * 1_000);
    }
  }

  async #poll(id: string, application: string): Promise<void> {
    while (this.#polling) {
      await sleep(POLL_INTERVAL_MS);
      const answer = await this.#pollSlots.use(() =>
        this.#request(application, "GET", `/api/v1/submissions/${id}`),
      );
      if (answer.status !== 200 || !answer.body) continue;
      const resource = answer.body as unknown as StatusResource;
      this.polls.push({ id, at: Date.now(), history: resource.history });
      if (isTerminal(resource.status)) {
        this.terminal.add(id);
        return;
      }
    }
  }

  async #request(
    application: string,
    method: "GET" | "POST",
    path: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<Answer> {
    const operation = `${method} ${path.replace(/sub_[0-9A-Za-z]+/g, "{id}")}`;
    const at = Date.now();
    try {
      const res = await fetch(`${this.target.gatewayUrl()}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await this.#token(application)}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await res.text();
      const retryAfter = res.headers.get("retry-after");
      this.answers.push({
        at,
        operation,
        status: res.status,
        retryAfter: retryAfter !== null,
        durationMs: Date.now() - at,
      });
      if (res.status === 401) this.#tokens.delete(application);
      return {
        status: res.status,
        body: parseJson(text),
        retryAfterSeconds: retryAfter === null ? undefined : Number(retryAfter),
      };
    } catch {
      this.answers.push({ at, operation, status: 0, retryAfter: false, durationMs: Date.now() - at });
      return { status: 0, body: undefined, retryAfterSeconds: undefined };
    }
  }

  async #token(application: string): Promise<string> {
    const cached = this.#tokens.get(application);
    if (cached && Date.now() - cached.at < TOKEN_AGE_MS) return cached.token;
    const token = this.target.tokenFor(application);
    token.catch(() => this.#tokens.delete(application));
    this.#tokens.set(application, { token, at: Date.now() });
    return token;
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** At most `size` tasks at once; the others wait their turn, in order. */
class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = size;
  }

  async use<T>(task: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free -= 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free += 1;
    }
  }
}
