import { isUtf8 } from "node:buffer";
import { pipeline, type Readable } from "node:stream";
import { createBrotliDecompress, createUnzip } from "node:zlib";
import type { Context } from "koa";
import { MAX_DEPTH } from "../../contract/body-limits";
import { escapePointer } from "../../contract/bounded-body";
import type { FieldError } from "../../domain/document-rules";
import { JsonScanner, type JsonScanVerdict, type JsonShapeLimits } from "./json-scan";
import { LARGE_JSON_BODY_BYTES } from "./large-bodies";
import { Problem } from "./problem";
import { BODY_BYTES_READ } from "./rate-limit";

/** What one route takes as a JSON body: its size, and how many values and member names it may hold. */
export interface JsonBodyLimits extends Omit<JsonShapeLimits, "maxDepth"> {
  readonly maxBytes: number;
}

// Twice: a setImmediate from an I/O callback runs before the loop polls for I/O again; its own runs after.
const otherRequestsFirst = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

/** Limits for the small bodies of other routes (a callback URL, an operator's reason, a configuration). */
export const smallJsonBody = (maxBytes: number): JsonBodyLimits => ({
  maxBytes,
  maxValues: 100_000,
  maxNames: 10_000,
});

/**
 * The request body as JSON: `application/json` only (415 otherwise), at most `maxBytes` (413), UTF-8 and
 * valid JSON with an object or array at the top (400; no body at all is `{}`), and within the route's budget of
 * nesting, values and member names (400), each a problem body. The budget is checked by one linear scan of the
 * bytes as they arrive, before anything parses or walks the body, so a hostile body costs a bounded amount of
 * work and nothing recursive ever sees a deep one. A string with an unpaired surrogate (`"\ud800"`) is not text
 * (I-JSON, RFC 7493): refused with a field error at its pointer, never stored changed. A member named
 * `__proto__` is refused, as it always was.
 */
export async function readJson(ctx: Context, limits: JsonBodyLimits): Promise<unknown> {
  if (!ctx.is("application/json")) {
    throw new Problem(
      415,
      "unsupported-media-type",
      "Unsupported media type",
      "Send the body as Content-Type: application/json.",
    );
  }
  // What is left of the body unread is drained, and the connection closed, by closeAfterUnreadBody.
  const tooLarge = () =>
    new Problem(413, "body-too-large", "Body too large", `The body may be at most ${limits.maxBytes} bytes.`);
  const encoding = (ctx.get("content-encoding") || "identity").toLowerCase();
  if (encoding === "identity" && Number(ctx.get("content-length") || 0) > limits.maxBytes) throw tooLarge();

  const scanner = new JsonScanner({ ...limits, maxDepth: MAX_DEPTH });
  const declared = encoding === "identity" ? Number(ctx.get("content-length")) : Number.NaN;
  let bytes: BodyBytes | undefined = new BodyBytes(declared);
  let size = 0;
  // Bytes are scanned and kept as they arrive. Past the budget the rest is only counted and let go, and the
  // answer sent once it is all in, so the client reads it (a connection closed under a client still sending
  // often loses the answer); past the size limit the rest is left to closeAfterUnreadBody.
  const whole = await consume(decompressed(ctx.req, encoding), (chunk) => {
    size += chunk.length;
    ctx.state[BODY_BYTES_READ] = size;
    if (size > limits.maxBytes) return false;
    if (bytes && scanner.write(chunk)) bytes.add(chunk);
    else bytes = undefined;
    return true;
  }).catch((error: unknown) => {
    // zlib's own codes (Z_DATA_ERROR, Z_BUF_ERROR, ...): what was sent is not the compression it says it is.
    if (String((error as { code?: unknown }).code).startsWith("Z_")) {
      throw malformed(`The body is not valid ${encoding} data.`);
    }
    throw error;
  });
  if (!whole) throw tooLarge();
  const verdict = scanner.verdict();
  if (verdict.outcome !== "within-limits" || !bytes) throw tooComplex(verdict.outcome, limits);
  const received = bytes.all();
  if (!isUtf8(received)) throw malformed("The body is not UTF-8.");
  // A byte order mark is ignored (RFC 8259 allows it), as it always was.
  const bom = received[0] === 0xef && received[1] === 0xbb && received[2] === 0xbf ? 3 : 0;
  const large = received.length > LARGE_JSON_BODY_BYTES;
  const source = received.toString("utf8", bom);
  if (large) await otherRequestsFirst();
  if (/^[ \t\n\r]*$/.test(source)) return {};
  if (!/^[ \t\n\r]*[[{]/.test(source)) throw malformed("The body is not a JSON object or array.");
  let body: unknown;
  try {
    body = JSON.parse(source);
  } catch (error) {
    throw malformed((error as Error).message);
  }
  if (large) await otherRequestsFirst();
  if (verdict.lookCloser) {
    const errors = notText(body);
    if (errors.length > 0)
      throw new Problem(
        400,
        "invalid-request",
        "The request has errors",
        "See errors: every problem found, at once.",
        {
          errors,
        },
      );
  }
  return body;
}

/** The body as sent, decompressed when the client compressed it (gzip, deflate, br), 415 for another coding. */
function decompressed(req: Readable, encoding: string): Readable {
  if (encoding === "identity") return req;
  const decompress =
    encoding === "gzip" || encoding === "deflate"
      ? createUnzip()
      : encoding === "br"
        ? createBrotliDecompress()
        : undefined;
  if (!decompress) {
    throw new Problem(
      415,
      "unsupported-media-type",
      "Unsupported content encoding",
      `Content-Encoding ${encoding} is not supported; send gzip, deflate, br or none.`,
    );
  }
  // An abort of the request fails the decompression too, so reading it ends either way.
  return pipeline(req, decompress, () => {});
}

/**
 * A body's bytes as they arrive. With a Content-Length they are copied into one buffer of that size as they come
 * (a copy of 50 MB at the end would hold up every other request at once); without one, joined at the end.
 */
class BodyBytes {
  #chunks: Buffer[] = [];
  #whole: Buffer | undefined;
  #length = 0;

  constructor(declaredLength: number) {
    if (Number.isSafeInteger(declaredLength) && declaredLength > 0)
      this.#whole = Buffer.allocUnsafe(declaredLength);
  }

  add(chunk: Buffer): void {
    if (this.#whole && this.#length + chunk.length <= this.#whole.length) {
      chunk.copy(this.#whole, this.#length);
    } else {
      // More than was declared (only a compressed body can be): joined at the end after all.
      if (this.#whole) this.#chunks.push(this.#whole.subarray(0, this.#length));
      this.#whole = undefined;
      this.#chunks.push(chunk);
    }
    this.#length += chunk.length;
  }

  all(): Buffer {
    return this.#whole ? this.#whole.subarray(0, this.#length) : Buffer.concat(this.#chunks, this.#length);
  }
}

/**
 * Reads a stream to its end, handing each chunk to `take`; resolves true at the end, false as soon as `take`
 * says stop (the stream is left paused, unread). Rejects when the stream fails or the client goes away.
 */
function consume(stream: Readable, take: (chunk: Buffer) => boolean): Promise<boolean> {
  return new Promise((resolve, reject) => {
    let ended = false;
    const finish = (outcome: () => void) => {
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.off("error", onError);
      stream.off("close", onClose);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      if (take(chunk)) return;
      stream.pause();
      finish(() => resolve(false));
    };
    const onEnd = () => {
      ended = true;
      finish(() => resolve(true));
    };
    const onError = (error: Error) => finish(() => reject(error));
    const onClose = () => {
      if (!ended) finish(() => reject(Object.assign(new Error("request aborted"), { code: "ECONNRESET" })));
    };
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("error", onError);
    stream.on("close", onClose);
  });
}

function malformed(detail: string): Problem {
  return new Problem(400, "malformed-json", "Malformed JSON", "The body is not valid JSON.", {
    errors: [{ code: "malformed-json", pointer: "", detail }],
  });
}

function tooComplex(reason: JsonScanVerdict["outcome"], limits: JsonBodyLimits) {
  const detail = {
    "within-limits": "The body could not be read.", // not reached: the scan stops only past a limit
    "too-deep": `The body nests objects and arrays more than ${MAX_DEPTH} levels deep.`,
    "too-many-values": `The body holds more than ${limits.maxValues} values and field names.`,
    "too-many-names": `The body uses more than ${limits.maxNames} different field names.`,
  }[reason];
  return new Problem(400, "body-too-complex", "Body too complex", `${detail} It was not read further.`, {
    errors: [{ code: reason, pointer: "", detail }],
  });
}

// In a `u` regular expression a surrogate matches only where it is not half of a pair.
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/**
 * Strings and member names with an unpaired surrogate, and members named `__proto__`, each at its pointer. Walks
 * the parsed body without recursion (the scan found it worth a look, and bounded it).
 */
function notText(body: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const pending: [unknown, string][] = [[body, ""]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, pointer] = next;
    if (typeof value === "string") {
      if (UNPAIRED_SURROGATE.test(value)) errors.push(unpaired(pointer));
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    for (const [name, member] of Object.entries(value)) {
      const at = `${pointer}/${escapePointer(name)}`;
      if (UNPAIRED_SURROGATE.test(name)) errors.push(unpaired(at));
      if (name === "__proto__" && !Array.isArray(value))
        errors.push({
          code: "forbidden-field",
          pointer: at,
          detail: "__proto__ is not a field name we take.",
        });
      pending.push([member, at]);
    }
  }
  return errors.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
}

const unpaired = (pointer: string): FieldError => ({
  code: "unpaired-surrogate",
  pointer,
  detail:
    "Holds an unpaired UTF-16 surrogate (such as \\ud800 alone), which is not text; send the character it was part of.",
});
