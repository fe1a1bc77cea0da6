import { describe, expect, it } from "vitest";
import { newClusterId } from "./kafka";

describe("newClusterId", () => {
  it("is 22 base64url characters", () => {
    expect(newClusterId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("draws again rather than start with '-', which the storage tool would read as an option", () => {
    const draws = [Buffer.from([0xf8, ...new Array(15).fill(1)]), Buffer.alloc(16, 7)];
    expect(draws[0]?.toString("base64url").startsWith("-")).toBe(true);
    const id = newClusterId(() => draws.shift() as Buffer);
    expect(id).toBe(Buffer.alloc(16, 7).toString("base64url"));
  });
});
