import type { Context } from "koa";
import { describe, expect, it } from "vitest";
import { BODY_BYTES_READ, rateLimit } from "./rate-limit";

/** A request of a client as the middleware sees it: its headers, and its body's type when it has one. */
function request(clientId: string, headers: Record<string, string> = {}, type = "application/json") {
  const hasBody = "content-length" in headers || "transfer-encoding" in headers;
  return {
    state: { caller: { clientId } } as Record<string, unknown>,
    get: (name: string) => headers[name] ?? "",
    is: (wanted: string) => (!hasBody ? null : wanted === type ? type : false),
  } as unknown as Context;
}

const length = (bytes: number) => ({ "content-length": String(bytes) });
const chunked = { "transfer-encoding": "chunked" };
const retryAfter = (seconds: string) => ({ status: 429, extra: { headers: { "Retry-After": seconds } } });

describe("rateLimit on body bytes", () => {
  let clock = 0;
  const limit = rateLimit({
    burst: 1_000,
    perSecond: 1_000,
    bodyBytes: { burst: 100, perSecond: 10, maxBody: 250 },
    uploadBytes: { burst: 1_000, perSecond: 100, maxBody: 2_000 },
    now: () => clock,
  });
  /** Sends a request whose handler reads `read` bytes of its body (undefined: reads none). */
  const send = (ctx: Context, read?: number) =>
    limit(ctx, async () => {
      if (read !== undefined) ctx.state[BODY_BYTES_READ] = read;
    });
  /** Starts a request whose body is still being read when the next comes. */
  const reading = (ctx: Context) => {
    let finish = () => {};
    const done = limit(ctx, () => new Promise<void>((resolve) => (finish = resolve)));
    return () => {
      finish();
      return done;
    };
  };

  it("lets a body of any size through while the client has bytes left, then makes it wait until it has paid", async () => {
    clock = 0;
    await send(request("big", length(250)), 250);
    await expect(send(request("big", length(1)), 1)).rejects.toMatchObject(retryAfter("16"));
    // Another client is not held up by it.
    await send(request("small", length(10)), 10);
    clock = 15_100;
    await send(request("big", length(250)), 250);
    await expect(send(request("big", length(1)), 1)).rejects.toMatchObject({ status: 429 });
  });

  it("holds back the most a body can cost while it is read: bodies of unknown length, or compressed, cannot all start at once", async () => {
    for (const headers of [chunked, { ...length(40), "content-encoding": "gzip" }]) {
      clock += 100_000;
      const client = JSON.stringify(headers);
      const first = reading(request(client, headers));
      await expect(send(request(client, headers), 10)).rejects.toMatchObject({ status: 429 });
      // It read nothing in the end: everything held back is given back.
      await first();
      await send(request(client, headers), 10);
    }
  });

  it("charges a refused or abandoned body what was read of it, never more than the largest body", async () => {
    clock = 200_000;
    // Declares far more than any body may be; refused (413) after 40 bytes.
    await send(request("liar", length(Number.MAX_SAFE_INTEGER)), 40);
    await send(request("liar", length(60)), 60);
    await expect(send(request("liar", length(1)), 1)).rejects.toMatchObject(retryAfter("1"));
  });

  it("counts uploads against a budget of their own, and requests without a body against none", async () => {
    clock = 300_000;
    await send(request("uploader", length(1_500), "application/pdf"), 1_500);
    await expect(send(request("uploader", length(1), "application/pdf"), 1)).rejects.toMatchObject(
      retryAfter("6"),
    );
    // JSON bodies and polling go on meanwhile.
    await send(request("uploader", length(50)), 50);
    await send(request("uploader"));
  });

  it("leaves bodies alone where no byte budget is set", async () => {
    const requestsOnly = rateLimit({ burst: 2, perSecond: 1, now: () => 0 });
    await requestsOnly(request("any", length(10 ** 9)), async () => {});
    await requestsOnly(request("any", length(10 ** 9)), async () => {});
    await expect(requestsOnly(request("any", length(1)), async () => {})).rejects.toMatchObject({
      status: 429,
    });
  });
});
