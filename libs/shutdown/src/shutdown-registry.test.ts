import { EventEmitter } from "node:events";
import { createLogger } from "@flyt/logging";
import { describe, expect, it, vi } from "vitest";
import { exitOnSignals } from "./exit-on-signals";
import { ShutdownRegistry } from "./shutdown-registry";

const logger = createLogger({ service: "test", level: "silent" });

describe("ShutdownRegistry", () => {
  it("closes hooks in reverse order of registration", async () => {
    const closed: string[] = [];
    const registry = new ShutdownRegistry({ logger, deadlineMs: 1000 });
    registry.register("pool", () => {
      closed.push("pool");
    });
    registry.register("producer", async () => {
      closed.push("producer");
    });
    registry.register("consumer", () => {
      closed.push("consumer");
    });
    expect(await registry.shutdown("test")).toBe("clean");
    expect(closed).toEqual(["consumer", "producer", "pool"]);
  });

  it("keeps closing after a hook fails, and reports the failure", async () => {
    const closed: string[] = [];
    const registry = new ShutdownRegistry({ logger, deadlineMs: 1000 });
    registry.register("pool", () => {
      closed.push("pool");
    });
    registry.register("broken", () => {
      throw new Error("boom");
    });
    expect(await registry.shutdown("test")).toBe("failed");
    expect(closed).toEqual(["pool"]);
  });

  it("gives up at the deadline when a hook hangs", async () => {
    const registry = new ShutdownRegistry({ logger, deadlineMs: 20 });
    registry.register("hangs", () => new Promise<void>(() => {}));
    expect(await registry.shutdown("test")).toBe("deadline-exceeded");
  });

  it("runs once however often it is asked", async () => {
    const close = vi.fn();
    const registry = new ShutdownRegistry({ logger, deadlineMs: 1000 });
    registry.register("pool", close);
    const [first, second] = await Promise.all([registry.shutdown("a"), registry.shutdown("b")]);
    expect(first).toBe("clean");
    expect(second).toBe("clean");
    expect(close).toHaveBeenCalledTimes(1);
    expect(() => registry.register("late", close)).toThrow(/during shutdown/);
  });
});

describe("exitOnSignals", () => {
  function fakeProcess() {
    const emitter = new EventEmitter();
    const exit = vi.fn<(code: number) => void>();
    return Object.assign(emitter, { exit });
  }

  it("exits 0 after a clean shutdown on SIGTERM", async () => {
    const proc = fakeProcess();
    const registry = new ShutdownRegistry({ logger, deadlineMs: 1000 });
    exitOnSignals(registry, proc);
    proc.emit("SIGTERM");
    await vi.waitFor(() => expect(proc.exit).toHaveBeenCalledWith(0));
  });

  it("exits 1 when the shutdown missed its deadline", async () => {
    const proc = fakeProcess();
    const registry = new ShutdownRegistry({ logger, deadlineMs: 10 });
    registry.register("hangs", () => new Promise<void>(() => {}));
    exitOnSignals(registry, proc);
    proc.emit("SIGINT");
    await vi.waitFor(() => expect(proc.exit).toHaveBeenCalledWith(1));
  });

  it("exits at once on a second signal", () => {
    const proc = fakeProcess();
    const registry = new ShutdownRegistry({ logger, deadlineMs: 1000 });
    registry.register("hangs", () => new Promise<void>(() => {}));
    exitOnSignals(registry, proc);
    proc.emit("SIGINT");
    proc.emit("SIGINT");
    expect(proc.exit).toHaveBeenCalledWith(130);
  });
});
