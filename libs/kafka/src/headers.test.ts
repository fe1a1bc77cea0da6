import { describe, expect, it } from "vitest";
import { childTraceparent } from "./headers";

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const parts = (traceparent: string) => TRACEPARENT.exec(traceparent)?.slice(1) ?? [];

describe("childTraceparent", () => {
  it("keeps the parent's trace and flags and takes a new span", () => {
    const parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00";
    const [traceId, spanId, flags] = parts(childTraceparent(parent));
    expect(traceId).toBe("0af7651916cd43dd8448eb211c80319c");
    expect(flags).toBe("00");
    expect(spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(spanId).not.toBe("b7ad6b7169203331");
  });

  it("starts a new sampled trace when there is no valid parent", () => {
    for (const parent of [
      undefined,
      "",
      "not-a-traceparent",
      "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    ]) {
      const [traceId, spanId, flags] = parts(childTraceparent(parent));
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(flags).toBe("01");
    }
  });

  it("never hands out the same ids twice, also across refills of its random pool", () => {
    const spans = new Set<string>();
    const traces = new Set<string>();
    // 3,000 traces of 24 random bytes each span several 4 KB refills.
    for (let i = 0; i < 3_000; i += 1) {
      const [traceId, spanId] = parts(childTraceparent());
      traces.add(traceId as string);
      spans.add(spanId as string);
    }
    expect(traces.size).toBe(3_000);
    expect(spans.size).toBe(3_000);
  });
});
