import type { Context } from "koa";
import { describe, expect, it } from "vitest";
import { oneLargeBodyAtATime } from "./large-bodies";

function request(headers: Record<string, string>, method = "POST") {
  return {
    method,
    get: (name: string) => headers[name] ?? "",
    is: (type: string) => (type === "application/json" ? type : false),
  } as unknown as Context;
}

describe("oneLargeBodyAtATime", () => {
  it("handles large JSON bodies one at a time, and lets every other request by", async () => {
    const gate = oneLargeBodyAtATime();
    const handled: string[] = [];
    let finishFirst = () => {};
    const first = gate(request({ "content-length": String(50 * 1024 * 1024) }), async () => {
      handled.push("first large");
      await new Promise<void>((resolve) => (finishFirst = resolve));
    });
    const second = gate(request({ "content-encoding": "gzip", "content-length": "40000" }), async () => {
      handled.push("second large (compressed: any size)");
    });
    const third = gate(request({ "transfer-encoding": "chunked" }), async () => {
      handled.push("third large (size unknown)");
    });
    await gate(request({ "content-length": "2048" }), async () => {
      handled.push("small");
    });
    await gate(request({}, "GET"), async () => {
      handled.push("poll");
    });
    expect(handled).toEqual(["first large", "small", "poll"]);
    finishFirst();
    await Promise.all([first, second, third]);
    expect(handled).toEqual([
      "first large",
      "small",
      "poll",
      "second large (compressed: any size)",
      "third large (size unknown)",
    ]);
  });
});
