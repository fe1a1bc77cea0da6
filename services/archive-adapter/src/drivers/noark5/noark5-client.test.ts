import { describe, expect, it } from "vitest";
import { receivedBytes } from "./noark5-client";

describe("receivedBytes", () => {
  it("reads the archive's Range in v1.1's form and the later one", () => {
    expect(receivedBytes("bytes 0-524287")).toBe(524_288);
    expect(receivedBytes("0-1048575")).toBe(1_048_576);
    expect(receivedBytes("bytes=0-99")).toBe(100);
  });

  it("reads a Range with its total, as some servers echo Content-Range's form", () => {
    expect(receivedBytes("bytes 0-99/2000")).toBe(100);
    expect(receivedBytes("bytes=0-99/*")).toBe(100);
    expect(receivedBytes("0-99/2000")).toBe(100);
  });

  it("knows nothing from an absent or odd Range", () => {
    expect(receivedBytes(null)).toBeUndefined();
    expect(receivedBytes("bytes */2000")).toBeUndefined();
    expect(receivedBytes("0-")).toBeUndefined();
  });
});
