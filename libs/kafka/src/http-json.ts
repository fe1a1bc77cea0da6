import { request } from "node:http";
import { request as requestTls } from "node:https";

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * One HTTP request on a connection of its own, bounded in time. For the schema registry: reusing keep-alive
 * connections to Apicurio was seen to hang a request forever or fail it with "socket hang up" (Apicurio
 * closes idle connections), and registry calls are rare (ids and schemas are cached).
 */
export function httpJson(
  method: string,
  url: string,
  options: { body?: unknown; contentType?: string; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  const target = new URL(url);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const send = target.protocol === "https:" ? requestTls : request;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method,
        agent: false,
        timeout: options.timeoutMs ?? 10_000,
        headers: {
          accept: "application/json",
          ...(payload === undefined
            ? {}
            : {
                "content-type": options.contentType ?? "application/json",
                "content-length": Buffer.byteLength(payload),
              }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${target.pathname} did not answer in time`)));
    req.on("error", reject);
    req.end(payload);
  });
}
