import { ArchiveRefusedError } from "../archive-errors";
import type { TokenSource } from "./client-credentials-token";
import { attachmentDisposition } from "./content-disposition";
import { classifyAnswer, classifyTransportError } from "./failure-classification";
import type { Noark5Object } from "./links";
import { MERGE_PATCH_MEDIA_TYPE, NOARK5_MEDIA_TYPE } from "./noark5-relations";

/** A successful JSON answer, with what the standard puts in its headers. */
export interface Noark5Answer {
  /** The URL that answered: relative hrefs in the body resolve against it. */
  readonly url: string;
  readonly status: number;
  readonly body: Noark5Object;
  /** The object's version, for an update's `If-Match` (optimistic concurrency, as the standard asks). */
  readonly etag: string | null;
}

export interface Noark5ClientOptions {
  readonly fetch: typeof fetch;
  readonly tokens: TokenSource;
  readonly timeoutMs: number;
  readonly now: () => number;
}

/**
 * HTTP for the tjenestegrensesnitt: the bearer token on every request, the Noark 5 media type both ways, a
 * deadline per request, and every failure turned into `ArchiveUnavailableError` or `ArchiveRefusedError`.
 * `purpose` names the request in those errors (`ny-journalpost`, `saksmappe search`).
 */
export interface Noark5Client {
  get(url: string, purpose: string): Promise<Noark5Answer>;
  post(url: string, body: unknown, purpose: string): Promise<Noark5Answer>;
  /** A JSON Merge Patch (RFC 7396) of the object at `url`, conditional on its `etag`. */
  patch(url: string, body: unknown, etag: string | null, purpose: string): Promise<Noark5Answer>;
  /** Sends a file's bytes to a dokumentobjekt's `fil` link. */
  upload(
    url: string,
    file: { readonly content: Buffer; readonly mimeType: string; readonly filename: string },
    purpose: string,
  ): Promise<Noark5Answer>;
  /** Whether a file is behind a `fil` link: 2xx yes, 404 no. Its bytes are not read. */
  hasContent(url: string, purpose: string): Promise<boolean>;
}

interface Exchange {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Buffer;
  readonly purpose: string;
}

/**
 * A write conditional on the version read: `If-Match` (RFC 9110), the header optimistic concurrency uses; the
 * standard says ETags "skal benyttes" without naming the request header (06-konsepter_og_prinsipper.rst:735–745).
 * The same value goes as an `ETag` request header too, which the reference server of 2021 requires on updates
 * (Nikita NikitaETAGInterceptor.java:32–80) and others ignore.
 */
function preconditionHeaders(etag: string | null): Record<string, string> {
  return etag === null ? {} : { "if-match": etag, etag };
}

export function createNoark5Client(options: Noark5ClientOptions): Noark5Client {
  async function send(exchange: Exchange, token: string): Promise<Response> {
    try {
      return await options.fetch(exchange.url, {
        method: exchange.method,
        headers: { ...exchange.headers, authorization: `Bearer ${token}` },
        ...(exchange.body === undefined ? {} : { body: exchange.body }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      throw classifyTransportError(error, exchange);
    }
  }

  /**
   * One request, and once more with a new token if the archive rejects the one it got (revoked, or its signing
   * key rotated before the token expired). A request rejected with 401 was not carried out, so repeating it is
   * safe even for a write.
   */
  async function exchangeWithToken(exchange: Exchange): Promise<Response> {
    const token = await options.tokens.token();
    const response = await send(exchange, token);
    if (response.status !== 401) return response;
    await response.body?.cancel();
    options.tokens.invalidate(token);
    const retried = await send(exchange, await options.tokens.token());
    if (retried.status === 401) {
      await retried.body?.cancel();
      throw new ArchiveRefusedError(`the archive does not accept the client's token (${exchange.purpose})`, {
        status: 401,
      });
    }
    return retried;
  }

  async function readText(response: Response, exchange: Exchange): Promise<string> {
    try {
      return await response.text();
    } catch (error) {
      // The answer broke off: for a write, the archive may well have done it.
      throw classifyTransportError(error, exchange);
    }
  }

  async function jsonExchange(exchange: Exchange): Promise<Noark5Answer> {
    const response = await exchangeWithToken(exchange);
    const text = await readText(response, exchange);
    if (!response.ok) {
      throw classifyAnswer(
        { status: response.status, retryAfter: response.headers.get("retry-after"), bodyText: text },
        exchange,
        options.now(),
      );
    }
    let body: Noark5Object = {};
    if (text.trim() !== "") {
      try {
        body = JSON.parse(text) as Noark5Object;
      } catch (error) {
        throw new ArchiveRefusedError(`the archive answered ${exchange.purpose} with something not JSON`, {
          status: response.status,
          cause: error,
        });
      }
    }
    return {
      url: response.url || exchange.url,
      status: response.status,
      body,
      etag: response.headers.get("etag"),
    };
  }

  const accept = `${NOARK5_MEDIA_TYPE}, application/json;q=0.9`;

  return {
    get(url, purpose) {
      return jsonExchange({ method: "GET", url, headers: { accept }, purpose });
    },
    post(url, body, purpose) {
      return jsonExchange({
        method: "POST",
        url,
        headers: { accept, "content-type": `${NOARK5_MEDIA_TYPE}; charset=utf-8` },
        body: JSON.stringify(body),
        purpose,
      });
    },
    async patch(url, body, etag, purpose) {
      try {
        return await jsonExchange({
          method: "PATCH",
          url,
          headers: {
            accept,
            "content-type": `${MERGE_PATCH_MEDIA_TYPE}; charset=utf-8`,
            ...preconditionHeaders(etag),
          },
          body: JSON.stringify(body),
          purpose,
        });
      } catch (error) {
        // The standard's PATCH is JSON Merge Patch (06-konsepter_og_prinsipper.rst:824–832); the reference
        // server of 2021 takes only its own patch list on records (RecordHateoasController.java:2372–2382).
        if (error instanceof ArchiveRefusedError && error.status === 415) {
          throw new ArchiveRefusedError(
            `the archive does not take JSON Merge Patch (RFC 7396), which the standard names for updates, for ${purpose}: ${error.archiveMessage}`,
            { status: 415 },
          );
        }
        throw error;
      }
    },
    upload(url, file, purpose) {
      return jsonExchange({
        method: "POST",
        url,
        headers: {
          accept,
          "content-type": file.mimeType,
          "content-disposition": attachmentDisposition(file.filename),
        },
        body: file.content,
        purpose,
      });
    },
    async hasContent(url, purpose) {
      // No Accept: the standard answers a download in the file's own type, and 406 to an Accept that excludes it.
      const exchange: Exchange = { method: "GET", url, headers: {}, purpose };
      const response = await exchangeWithToken(exchange);
      await response.body?.cancel();
      if (response.ok) return true;
      if (response.status === 404) return false;
      throw classifyAnswer(
        { status: response.status, retryAfter: response.headers.get("retry-after"), bodyText: "" },
        exchange,
        options.now(),
      );
    },
  };
}
