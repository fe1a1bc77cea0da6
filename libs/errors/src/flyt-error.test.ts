import { describe, expect, it } from "vitest";
import { FlytError, isRetriable, PermanentError, TransientError } from "./flyt-error";

class ArchiveUnavailableError extends TransientError {}

describe("FlytError", () => {
  it("carries retriable, cause and the subclass name", () => {
    const cause = new Error("ECONNRESET");
    const error = new ArchiveUnavailableError("archive did not answer", { cause });
    expect(error).toBeInstanceOf(FlytError);
    expect(error.name).toBe("ArchiveUnavailableError");
    expect(error.retriable).toBe(true);
    expect(error.cause).toBe(cause);
  });

  it("tells what is worth retrying", () => {
    expect(isRetriable(new TransientError("busy"))).toBe(true);
    expect(isRetriable(new PermanentError("no such integration"))).toBe(false);
    expect(isRetriable(new TypeError("a library's error"))).toBe(true);
  });
});
