/** How much JSON a body may hold before it is parsed: what bounds the work of parsing and validating it. */
export interface JsonShapeLimits {
  /** Nesting of objects and arrays. */
  readonly maxDepth: number;
  /** Values (of any type, at any depth) and member names together. */
  readonly maxValues: number;
  /** Different member names: V8 builds objects of many different names slowly (a new hidden class for each). */
  readonly maxNames: number;
}

/** Longer than any member name a route takes (the contract's are short; a code conversion's key ≤ 200). */
const MAX_NAME_BYTES = 1024;

export type JsonScanVerdict =
  | {
      readonly outcome: "within-limits";
      /**
       * A string holds an unpaired surrogate escape (`"\ud800"`), or a member name may be `__proto__`: the
       * parsed body needs a closer look (rare: only then is it walked).
       */
      readonly lookCloser: boolean;
    }
  | { readonly outcome: Refusal };

type Refusal = "too-deep" | "too-many-values" | "too-many-names";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OBJECT = 1;
const ARRAY = 2;

// Where the scan is: between tokens, in a string, after a backslash, within a \uXXXX escape.
const BETWEEN = 0;
const IN_STRING = 1;
const IN_ESCAPE = 2;
const IN_UNICODE_ESCAPE = 3;

/**
 * One linear, non-recursive pass over a JSON body's bytes as they arrive, before anything parses it: measures
 * nesting, counts values and member names, and stops at the first limit passed. Structural characters are
 * ASCII and never part of a multi-byte UTF-8 sequence, so the bytes can be scanned before they are decoded.
 * It does not check the syntax (JSON.parse does, after); on valid JSON its counts are exact.
 */
export class JsonScanner {
  #state: number = BETWEEN;
  #depth = 0;
  readonly #containers: Uint8Array;
  #values = 0;
  /** Member names as their raw bytes (one char a byte): counted exactly, so no crafted collision hides one. */
  readonly #names = new Set<string>();
  #expectName = false;
  #inScalar = false;
  // The string being read: a member name is kept (to count different names), a value skipped.
  #isName = false;
  #name = "";
  #hexDigits = 0;
  #codeUnit = 0;
  // A high surrogate escape was just read: only a low surrogate escape may follow it.
  #afterHighSurrogate = false;
  #lookCloser = false;
  #refused: Refusal | undefined;

  constructor(private readonly limits: JsonShapeLimits) {
    this.#containers = new Uint8Array(limits.maxDepth + 2);
  }

  /** Scans the next bytes; false once a limit is passed (the rest need not be scanned). */
  write(bytes: Uint8Array): boolean {
    if (this.#refused) return false;
    const length = bytes.length;
    // Where the next backslash and quote are, found once each: looking again after every escape would make a
    // string of escapes cost the square of its length.
    let nextBackslash = -1;
    let nextQuote = -1;
    let i = 0;
    while (i < length) {
      if (this.#state === IN_STRING) {
        if (this.#isName || this.#afterHighSurrogate) {
          this.#stringByte(bytes[i] as number);
          if (this.#refused) return false;
          i += 1;
          continue;
        }
        // A value string is skipped to its end or its next escape at native speed: documents are long strings.
        if (nextBackslash < i) nextBackslash = indexOrEnd(bytes, BACKSLASH, i);
        if (nextQuote < i) nextQuote = indexOrEnd(bytes, QUOTE, i);
        const quote = nextQuote;
        if (nextBackslash < quote) {
          // A two-byte escape (`\n`, `\"`, ...) needs no look: stepped over here, the common case in one go.
          const escaped = bytes[nextBackslash + 1];
          if (escaped !== undefined && escaped !== 0x75) {
            i = nextBackslash + 2;
            continue;
          }
          this.#state = IN_ESCAPE;
          i = nextBackslash + 1;
        } else {
          if (quote < length) this.#state = BETWEEN;
          i = quote + 1;
        }
        continue;
      }
      if (this.#state !== BETWEEN) {
        this.#escapeByte(bytes[i] as number);
        if (this.#refused) return false;
        i += 1;
        continue;
      }
      if (!this.#between(bytes[i] as number)) return false;
      i += 1;
    }
    return true;
  }

  verdict(): JsonScanVerdict {
    return this.#refused
      ? { outcome: this.#refused }
      : { outcome: "within-limits", lookCloser: this.#lookCloser };
  }

  /** A byte outside strings; false when it passes a limit. */
  #between(byte: number): boolean {
    switch (byte) {
      case 0x7b: // {
      case 0x5b: // [
        this.#inScalar = false;
        this.#depth += 1;
        if (this.#depth > this.limits.maxDepth) return this.#refuse("too-deep");
        this.#containers[this.#depth] = byte === 0x7b ? OBJECT : ARRAY;
        this.#expectName = byte === 0x7b;
        return this.#countValue();
      case 0x7d: // }
      case 0x5d: // ]
        this.#inScalar = false;
        this.#depth = Math.max(0, this.#depth - 1);
        this.#expectName = false;
        return true;
      case 0x2c: // ,
        this.#inScalar = false;
        this.#expectName = this.#containers[this.#depth] === OBJECT;
        return true;
      case 0x3a: // :
        this.#inScalar = false;
        this.#expectName = false;
        return true;
      case QUOTE:
        this.#inScalar = false;
        this.#state = IN_STRING;
        this.#isName = this.#expectName;
        this.#name = "";
        return this.#countValue();
      case 0x20:
      case 0x09:
      case 0x0a:
      case 0x0d:
        this.#inScalar = false;
        return true;
      default:
        // A number, true, false or null starts: one value, however many bytes it has.
        if (this.#inScalar) return true;
        this.#inScalar = true;
        return this.#countValue();
    }
  }

  /** A byte within a member name, or within a value string right after a high surrogate escape. */
  #stringByte(byte: number): void {
    if (byte === QUOTE) {
      this.#unpairedHighSurrogate();
      this.#state = BETWEEN;
      if (this.#isName) this.#endName();
      return;
    }
    if (this.#isName) this.#nameByte(byte);
    if (byte === BACKSLASH) {
      this.#state = IN_ESCAPE;
      // An escaped name may spell __proto__ (`\u005f_proto__`).
      if (this.#isName) this.#lookCloser = true;
    } else this.#unpairedHighSurrogate();
  }

  #escapeByte(byte: number): void {
    if (this.#isName) this.#nameByte(byte);
    if (this.#state === IN_ESCAPE) {
      if (byte === 0x75) {
        this.#state = IN_UNICODE_ESCAPE;
        this.#hexDigits = 0;
        this.#codeUnit = 0;
      } else {
        this.#unpairedHighSurrogate();
        this.#state = IN_STRING;
      }
      return;
    }
    this.#codeUnit = this.#codeUnit * 16 + hexValue(byte);
    this.#hexDigits += 1;
    if (this.#hexDigits < 4) return;
    this.#state = IN_STRING;
    const unit = this.#codeUnit;
    if (unit >= 0xdc00 && unit <= 0xdfff) {
      if (!this.#afterHighSurrogate) this.#lookCloser = true;
      this.#afterHighSurrogate = false;
    } else {
      this.#unpairedHighSurrogate();
      this.#afterHighSurrogate = unit >= 0xd800 && unit <= 0xdbff;
    }
  }

  #unpairedHighSurrogate(): void {
    if (!this.#afterHighSurrogate) return;
    this.#afterHighSurrogate = false;
    this.#lookCloser = true;
  }

  #nameByte(byte: number): void {
    if (this.#name.length >= MAX_NAME_BYTES) this.#refuse("too-many-names");
    else this.#name += String.fromCharCode(byte);
  }

  #endName(): void {
    if (this.#name === "__proto__") this.#lookCloser = true;
    this.#names.add(this.#name);
    if (this.#names.size > this.limits.maxNames) this.#refuse("too-many-names");
  }

  #countValue(): boolean {
    this.#values += 1;
    return this.#values > this.limits.maxValues ? this.#refuse("too-many-values") : true;
  }

  #refuse(reason: Refusal): false {
    this.#refused ??= reason;
    return false;
  }
}

function indexOrEnd(bytes: Uint8Array, byte: number, from: number): number {
  const at = bytes.indexOf(byte, from);
  return at < 0 ? bytes.length : at;
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : 0;
}
