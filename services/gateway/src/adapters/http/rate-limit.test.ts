import type { Context } from "koa";
import { describe, expect, it } from "vitest";
import { Problem } from "./problem";
import { BODY_BYTES_READ, rateLimit } from "./rate-limit";

/** A request of a client, as the middleware sees it: its declared body length, and what its reader read. */
function request(clientId: string, contentLength?: number) {
  const headers: Record<string, string> =
    contentLength === undefined ? {} : { "content-length": String(contentLength) };
  return {
    state: { caller: { clientId } } as Record<string, unknown>,
    get: (name: string) => headers[name] ?? "",
  } as unknown as Context;
}

describe("rateLimit on body bytes", () => {
  let clock = 0;
  const limit = rateLimit({
    burst: 1_000,
    perSecond: 1_000,
    bodyBytes: { burst: 100, perSecond: 10 },
    now: () => clock,
  });
  const send = async (ctx: Context, read?: number) => {
    await limit(ctx, async () => {
      if (read !== undefined) ctx.state[BODY_BYTES_READ] = read;
    });
  };
  const refusal = (ctx: Context) =>
    send(ctx).then(
      () => undefined,
      (error: unknown) => error as Problem,
    );

  it("lets a body of any size through while the client owes nothing, then makes it wait until it has paid", async () => {
    clock = 0;
    await send(request("big", 250));
    const refused = await refusal(request("big", 1));
    expect(refused).toBeInstanceOf(Problem);
    expect(refused).toMatchObject({ status: 429, extra: { headers: { "Retry-After": "15" } } });
    // Another client is not held up by it.
    await send(request("small", 10));
    clock = 15_000;
    await send(request("big", 250));
    expect(await refusal(request("big", 1))).toMatchObject({ status: 429 });
  });

  it("charges a body that did not declare its length for what was read", async () => {
    clock = 100_000;
    await send(request("chunked"), 300);
    expect(await refusal(request("chunked"))).toMatchObject({
      status: 429,
      extra: { headers: { "Retry-After": "20" } },
    });
  });

  it("leaves bodies alone where no byte budget is set", async () => {
    const requestsOnly = rateLimit({ burst: 2, perSecond: 1, now: () => 0 });
    await requestsOnly(request("any", 10 ** 9), async () => {});
    await requestsOnly(request("any", 10 ** 9), async () => {});
    await expect(requestsOnly(request("any", 1), async () => {})).rejects.toMatchObject({ status: 429 });
  });
});
