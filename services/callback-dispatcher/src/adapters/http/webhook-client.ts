import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type RequestOptions,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { performance } from "node:perf_hooks";
import { checkOutboundUrl, type Lookup, type OutboundPolicy } from "@flyt/outbound-guard";
import type { AttemptResult } from "../../domain/schedule";

export interface WebhookClientOptions {
  /** https only unless http is allowed; what may resolve to private or loopback addresses. */
  readonly policy: OutboundPolicy;
  /** Until the TCP connection is up. */
  readonly connectTimeoutMs: number;
  /** The whole attempt: connect, TLS, send, and the answer's status and (capped) body. */
  readonly timeoutMs: number;
  /** At most this much of an answer's body is read; the rest is dropped with the connection. */
  readonly responseBodyLimitBytes: number;
  /**
   * Connections at most, also to one host: the per-endpoint limit is the dispatcher's, because endpoints of
   * different owners may share a host (a vendor's service), and one of them hanging must not hold the others'.
   */
  readonly maxSockets: number;
  /** Idle connections kept per host. */
  readonly maxFreeSocketsPerHost: number;
  /** Name resolution (tests resolve names without DNS). */
  readonly lookup?: Lookup;
  readonly userAgent?: string;
}

/** What one POST came to: the attempt result, how long it took, and the start of the answer's body. */
export interface PostOutcome {
  readonly result: AttemptResult;
  readonly durationMs: number;
  readonly responseBody?: string;
}

/**
 * Posts webhooks with Node's own HTTP client, SSRF-safe: the URL passes the outbound guard (scheme, and every
 * address its host resolves to), then the connection goes to the address that was checked (so a DNS answer that
 * changes in between cannot swap it), with the host's name kept for TLS (SNI, certificate) and `Host`. Redirects
 * are never followed; connect and total timeouts; at most a few KB of an answer are read. Connections are kept
 * alive per host.
 */
export class WebhookClient {
  readonly #options: WebhookClientOptions;
  readonly #http: HttpAgent;
  readonly #https: HttpsAgent;

  constructor(options: WebhookClientOptions) {
    this.#options = options;
    const agentOptions = {
      keepAlive: true,
      maxSockets: options.maxSockets,
      maxTotalSockets: options.maxSockets,
      maxFreeSockets: options.maxFreeSocketsPerHost,
      scheduling: "lifo" as const,
    };
    this.#http = new HttpAgent(agentOptions);
    this.#https = new HttpsAgent(agentOptions);
  }

  async post(url: string, headers: Readonly<Record<string, string>>, body: string): Promise<PostOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    // Resolving counts against the attempt's time like connecting does: a silent name server is a slow endpoint.
    const check = await checkOutboundUrl(url, this.#options.policy, this.#options.lookup, {
      lookupTimeoutMs: this.#options.connectTimeoutMs,
    });
    if (check.outcome === "refused") {
      return {
        result: { kind: "refused", reason: check.reason, detail: check.detail },
        durationMs: elapsed(),
      };
    }
    const target = check.url;
    const address = check.addresses[0] as string;
    const https = target.protocol === "https:";
    const pinned: LookupFunction = (_hostname, options, callback) => {
      const family = isIP(address);
      if ((options as { all?: boolean }).all) callback(null, [{ address, family }]);
      else (callback as (error: null, address: string, family: number) => void)(null, address, family);
    };
    const payload = Buffer.from(body);
    const options: RequestOptions = {
      method: "POST",
      protocol: target.protocol,
      hostname: target.hostname.replace(/^\[|\]$/g, ""),
      port: target.port || (https ? 443 : 80),
      path: `${target.pathname}${target.search}`,
      agent: https ? this.#https : this.#http,
      lookup: pinned,
      headers: {
        ...headers,
        "content-type": "application/json",
        "content-length": String(payload.length),
        "user-agent": this.#options.userAgent ?? "Flyt-Callbacks/1",
      },
    };
    try {
      const answer = await this.#send(https, options, payload, this.#options.timeoutMs - elapsed());
      return { ...answer, durationMs: elapsed() };
    } catch (error) {
      return { result: { kind: "failed", error: describe(error) }, durationMs: elapsed() };
    }
  }

  /** Closes idle kept-alive connections. */
  close(): void {
    this.#http.destroy();
    this.#https.destroy();
  }

  #send(
    https: boolean,
    options: RequestOptions,
    payload: Buffer,
    /** What is left of the attempt's time once the name was resolved. */
    remainingMs: number,
  ): Promise<{ result: AttemptResult; responseBody: string }> {
    const { connectTimeoutMs, responseBodyLimitBytes } = this.#options;
    return new Promise((resolve, reject) => {
      const request = (https ? httpsRequest : httpRequest)(options);
      const total = setTimeout(
        () => request.destroy(new TimeoutError(`no answer within ${this.#options.timeoutMs} ms`)),
        Math.max(0, remainingMs),
      );
      const settle = (work: () => void) => {
        clearTimeout(total);
        work();
      };
      request.on("socket", (socket) => {
        if (!socket.connecting) return; // a kept-alive connection
        const connect = setTimeout(
          () => request.destroy(new TimeoutError(`no connection within ${connectTimeoutMs} ms`)),
          connectTimeoutMs,
        );
        socket.once("connect", () => clearTimeout(connect));
        socket.once("close", () => clearTimeout(connect));
      });
      request.on("error", (error) => settle(() => reject(error)));
      request.on("response", (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const answered = () =>
          settle(() =>
            resolve({
              result: {
                kind: "answered",
                statusCode: response.statusCode ?? 0,
                retryAfter: header(response.headers["retry-after"]),
              },
              responseBody: Buffer.concat(chunks).toString("utf8"),
            }),
          );
        response.on("data", (chunk: Buffer) => {
          const room = responseBodyLimitBytes - size;
          if (room > 0) chunks.push(chunk.subarray(0, room));
          size += chunk.length;
          if (size > responseBodyLimitBytes) {
            // Enough: the rest is not read; the connection goes with it.
            response.destroy();
            answered();
          }
        });
        response.on("end", answered);
        response.on("error", () => answered());
      });
      request.end(payload);
    });
  }
}

class TimeoutError extends Error {
  override readonly name = "TimeoutError";
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function describe(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  if (error instanceof TimeoutError) return message ?? "timed out";
  return [code, message].filter(Boolean).join(": ") || "request failed";
}
