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
  /** Sends a file's bytes, all at once, to a dokumentobjekt's `fil` link. */
  upload(url: string, file: FileToSend, purpose: string): Promise<Noark5Answer>;
  /**
   * Starts a chunked upload at a `fil` link (POST, Content-Length 0, X-Upload-Content-Type and
   * -Length, 06-konsepter_og_prinsipper.rst:1438–1470 at tag versjon-1.1): the session URI the archive answers
   * with in Location.
   */
  startUploadSession(url: string, file: FileToSend, purpose: string): Promise<string>;
  /** Sends one chunk (PUT with Content-Range) of a chunked upload; see ChunkAnswer. */
  putChunk(sessionUrl: string, chunk: Chunk, purpose: string): Promise<ChunkAnswer>;
  /** Deletes the object at `url` (its self link), conditional on its `etag` when known. */
  delete(url: string, etag: string | null, purpose: string): Promise<void>;
  /**
   * How many bytes the file behind a `fil` link has, by its Content-Length (its bytes are not read): `none` for
   * no file (404), undefined when the archive does not say (a chunked download).
   */
  storedBytes(url: string, purpose: string): Promise<number | "none" | undefined>;
}

export interface FileToSend {
  readonly content: Buffer;
  readonly mimeType: string;
  readonly filename: string;
}

/** How a chunk's Content-Range is written: `bytes 0-524287/2000000` (v1.1, RFC 9110) or `0-524287/2000000`. */
export type ContentRangeForm = "v1.1" | "2025";

export interface Chunk {
  readonly file: FileToSend;
  /** Offset of the chunk's first byte. */
  readonly from: number;
  /** Bytes in it (the last chunk may be shorter). */
  readonly length: number;
  readonly form: ContentRangeForm;
}

/**
 * The archive's answer to a chunk: `done` with the dokumentobjekt after the last one (201, or 200 with it,
 * 06-konsepter_og_prinsipper.rst:1474–1475; a 200 to the last chunk without Range counts too, as some servers
 * answer); otherwise how many bytes it holds (the upper end of its Range plus one, which may be short of what was
 * sent, even after the last chunk) and where the next chunk goes (a new Location per chunk after v1.1, the same
 * URI in v1.1).
 */
export type ChunkAnswer =
  | { readonly done: true; readonly answer: Noark5Answer }
  | { readonly done: false; readonly received: number; readonly next: string };

/**
 * How many bytes the archive holds, from its `Range`: `bytes 0-524287` (v1.1), `0-524287` (post-1.1), or
 * `bytes=0-524287` (RFC 9110's request form, as Google's resumable upload answers, which the standard names as
 * its model), with or without a `/total`. Undefined when there is none, or none that can be read.
 */
export function receivedBytes(range: string | null): number | undefined {
  const match = /^\s*(?:bytes\s*[=\s]\s*)?(\d+)\s*-\s*(\d+)\s*(?:\/\s*(?:\d+|\*)\s*)?$/i.exec(range ?? "");
  return match ? Number(match[2]) + 1 : undefined;
}

/**
 * The file's name for the reference server, which reads it from `X-File-Name` (Nikita
 * DocumentObjectService.java:190) and there overrides the `filnavn` the dokumentobjekt was made with. A header
 * carries Latin-1 (the servlet reads it so), so the name goes only when Latin-1 holds it exactly; otherwise the
 * `filnavn` stands. The standard has no header for a file's name.
 */
function fileNameHeader(filename: string): Record<string, string> {
  return /^[\x20-\x7e\xa0-\xff]+$/.test(filename) ? { "x-file-name": filename } : {};
}

interface Exchange {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Buffer;
  readonly purpose: string;
  /** `manual` for a chunk, whose 308 (as Google's resumable upload answers) is not a redirect to follow. */
  readonly redirect?: "follow" | "manual";
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
        ...(exchange.redirect === undefined ? {} : { redirect: exchange.redirect }),
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
    return answerOf(await exchangeWithToken(exchange), exchange);
  }

  async function answerOf(response: Response, exchange: Exchange): Promise<Noark5Answer> {
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
          ...fileNameHeader(file.filename),
          // Not in the standard; servers built on common HTTP stacks read a name from it.
          "content-disposition": attachmentDisposition(file.filename),
        },
        body: file.content,
        purpose,
      });
    },
    async startUploadSession(url, file, purpose) {
      const exchange: Exchange = {
        method: "POST",
        url,
        headers: {
          accept,
          "x-upload-content-type": file.mimeType,
          "x-upload-content-length": String(file.content.length),
          ...fileNameHeader(file.filename),
        },
        body: "",
        purpose,
      };
      const response = await exchangeWithToken(exchange);
      const location = response.headers.get("location");
      await answerOf(response, exchange);
      if (response.status !== 200 || !location) {
        throw new ArchiveRefusedError(
          `the archive answered ${response.status}${location ? "" : " without a Location"} to the start of a chunked upload of ${purpose}: it does not take files in chunks as the standard describes`,
          { status: response.status },
        );
      }
      return new URL(location, url).toString();
    },
    async putChunk(sessionUrl, chunk, purpose) {
      const { file, from, length, form } = chunk;
      const total = file.content.length;
      const last = from + length - 1;
      const exchange: Exchange = {
        method: "PUT",
        url: sessionUrl,
        headers: {
          accept,
          "content-type": file.mimeType,
          "content-range": `${form === "v1.1" ? "bytes " : ""}${from}-${last}/${total}`,
        },
        body: file.content.subarray(from, last + 1),
        purpose,
        redirect: "manual",
      };
      const response = await exchangeWithToken(exchange);
      const has = receivedBytes(response.headers.get("range"));
      if (response.status === 308) {
        await response.body?.cancel();
      } else {
        const answer = await answerOf(response, exchange);
        // 201 is done; so is a 200 to the last chunk, unless its Range says the archive lacks some of it.
        const complete = response.status === 201 || has === undefined || has >= total;
        if (last + 1 === total && complete) return { done: true, answer };
      }
      const location = response.headers.get("location");
      return {
        done: false,
        // An answer without Range is taken as having all that was sent (checked once the archive says it is done).
        received: has ?? last + 1,
        next: location ? new URL(location, sessionUrl).toString() : sessionUrl,
      };
    },
    async delete(url, etag, purpose) {
      await jsonExchange({
        method: "DELETE",
        url,
        headers: { accept, ...preconditionHeaders(etag) },
        purpose,
      });
    },
    async storedBytes(url, purpose) {
      // No Accept: the standard answers a download in the file's own type, and 406 to an Accept that excludes it.
      const exchange: Exchange = { method: "GET", url, headers: {}, purpose };
      const response = await exchangeWithToken(exchange);
      await response.body?.cancel();
      if (response.status === 404) return "none";
      if (!response.ok) {
        throw classifyAnswer(
          { status: response.status, retryAfter: response.headers.get("retry-after"), bodyText: "" },
          exchange,
          options.now(),
        );
      }
      const length = Number(response.headers.get("content-length") ?? Number.NaN);
      return Number.isInteger(length) && length >= 0 ? length : undefined;
    },
  };
}
