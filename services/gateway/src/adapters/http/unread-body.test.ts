import { once } from "node:events";
import { PassThrough } from "node:stream";
import type { Context } from "koa";
import { describe, expect, it } from "vitest";
import { closeAfterUnreadBody, UNREAD_BODY_DEFAULTS } from "./unread-body";

/** A request whose body is still arriving, and what the middleware set on its answer. */
function unreadRequest() {
  const req = Object.assign(new PassThrough(), { complete: false });
  const headers: Record<string, string> = {};
  const ctx = { req, set: (name: string, value: string) => (headers[name] = value) } as unknown as Context;
  return { req, ctx, headers };
}

/** Runs the middleware over `ctx` with a handler that answers without reading the body; tells when it is done. */
function answerWithoutReading(middleware: ReturnType<typeof closeAfterUnreadBody>, ctx: Context) {
  const state = { done: false };
  const finished = middleware(ctx, async () => undefined).then(() => {
    state.done = true;
  });
  return { state, finished };
}

describe("closeAfterUnreadBody", () => {
  it("bounds what one refused client may cost by default: 8 MiB, 10 s, 64 connections at once", () => {
    expect(UNREAD_BODY_DEFAULTS).toEqual({ drainBytes: 8 * 1024 * 1024, drainMs: 10_000, maxDraining: 64 });
  });

  it("drains at most maxDraining connections at once; past that it closes at once after the answer", async () => {
    const middleware = closeAfterUnreadBody({ drainBytes: 1_000_000, drainMs: 600_000, maxDraining: 2 });
    const first = unreadRequest();
    const second = unreadRequest();
    const third = unreadRequest();
    const draining = [
      answerWithoutReading(middleware, first.ctx),
      answerWithoutReading(middleware, second.ctx),
    ];
    const notDrained = answerWithoutReading(middleware, third.ctx);

    await notDrained.finished;
    expect(third.headers).toEqual({ Connection: "close" });
    expect(third.req.readableFlowing).not.toBe(true);
    expect(draining.map(({ state }) => state.done)).toEqual([false, false]);
    expect([first.req.readableFlowing, second.req.readableFlowing]).toEqual([true, true]);

    // The first body ends: its slot is free again for the next refused client.
    first.req.end("rest of the body");
    await draining[0]?.finished;
    const fourth = unreadRequest();
    const drainingFourth = answerWithoutReading(middleware, fourth.ctx);
    await once(fourth.req, "resume");
    expect(drainingFourth.state.done).toBe(false);

    second.req.end();
    fourth.req.end();
    await Promise.all([draining[1]?.finished, drainingFourth.finished]);
  });
});
