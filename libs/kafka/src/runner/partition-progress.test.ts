import { describe, expect, it } from "vitest";
import { PartitionProgress } from "./partition-progress";

describe("PartitionProgress", () => {
  it("commits only past messages that are all handled, whatever order they finish in", () => {
    const progress = new PartitionProgress();
    for (const offset of ["10", "11", "12", "13"]) progress.track(offset);
    progress.complete("12");
    progress.complete("11");
    expect(progress.pendingCommit()).toBeUndefined();

    progress.complete("10");
    expect(progress.pendingCommit()).toBe("13");
    expect(progress.inFlight).toBe(1);

    progress.markCommitted("13");
    expect(progress.pendingCommit()).toBeUndefined();

    progress.complete("13");
    expect(progress.pendingCommit()).toBe("14");
    expect(progress.inFlight).toBe(0);
  });

  it("ignores completion of an offset it does not track", () => {
    const progress = new PartitionProgress();
    progress.track("5");
    progress.complete("99");
    expect(progress.pendingCommit()).toBeUndefined();
  });
});

describe("PartitionProgress over many messages", () => {
  it("stays exact while it compacts its window", () => {
    const progress = new PartitionProgress();
    const offsets = Array.from({ length: 3_000 }, (_, i) => i);
    for (const offset of offsets) progress.track(String(offset));
    const shuffled = [...offsets].sort(() => Math.random() - 0.5);
    for (const offset of shuffled.filter((o) => o !== 1_500)) progress.complete(String(offset));
    expect(progress.pendingCommit()).toBe("1500");
    expect(progress.inFlight).toBe(1_500);
    progress.complete("1500");
    expect(progress.pendingCommit()).toBe("3000");
    expect(progress.inFlight).toBe(0);
    progress.track("3000");
    progress.complete("3000");
    expect(progress.pendingCommit()).toBe("3001");
  });
});
