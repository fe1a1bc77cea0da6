import { randomFillSync } from "node:crypto";
import type { IHeaders } from "kafkajs";

/** The headers every Flyt message carries (architecture.md). */
export interface EventHeaders {
  readonly correlationId: string;
  /** W3C trace context, `00-<trace id>-<span id>-<flags>`. */
  readonly traceparent: string;
  readonly tenant: string;
  readonly sourceApplication: string;
  readonly submissionId: string;
}

export const headerNames = {
  correlationId: "correlation-id",
  traceparent: "traceparent",
  tenant: "tenant",
  sourceApplication: "source-application",
  submissionId: "submission-id",
} as const satisfies Record<keyof EventHeaders, string>;

export function toKafkaHeaders(
  headers: EventHeaders,
  extra: Readonly<Record<string, string>> = {},
): IHeaders {
  const out: IHeaders = { ...extra };
  for (const [field, name] of Object.entries(headerNames)) out[name] = headers[field as keyof EventHeaders];
  return out;
}

/** Kafka headers as text; a repeated header keeps its last value. */
export function readHeaders(raw: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (last !== undefined) out[name] = last.toString();
  }
  return out;
}

/** The Flyt headers of a consumed message, to pass on to what it causes. */
export function eventHeadersOf(headers: Readonly<Record<string, string>>): EventHeaders {
  return {
    correlationId: headers[headerNames.correlationId] ?? "",
    traceparent: childTraceparent(headers[headerNames.traceparent]),
    tenant: headers[headerNames.tenant] ?? "",
    sourceApplication: headers[headerNames.sourceApplication] ?? "",
    submissionId: headers[headerNames.submissionId] ?? "",
  };
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A new span in the same trace as `parent`, or a new trace when there is no valid parent. */
export function childTraceparent(parent?: string): string {
  const match = parent ? TRACEPARENT.exec(parent) : null;
  const traceId = match?.[1] ?? randomHex(16);
  return `00-${traceId}-${randomHex(8)}-${match?.[3] ?? "01"}`;
}

/**
 * Random ids drawn from a pool filled 4 KB at a time: every published event takes a span id, and asking the
 * CSPRNG for 8 bytes each time cost a few per cent of a busy service's CPU.
 */
const randomPool = Buffer.alloc(4096);
let randomPoolUsed = randomPool.length;

function randomHex(bytes: number): string {
  if (randomPoolUsed + bytes > randomPool.length) {
    randomFillSync(randomPool);
    randomPoolUsed = 0;
  }
  const hex = randomPool.toString("hex", randomPoolUsed, randomPoolUsed + bytes);
  randomPoolUsed += bytes;
  return hex;
}

/** Headers that route a message without decoding it: the archive destination of a validated submission. */
export const routingHeaders = { destination: "flyt-destination" } as const;
