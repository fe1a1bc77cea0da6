import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import type { FileReference } from "@flyt/schemas";
import type { Knex } from "knex";

/**
 * Whose a file is: the county, the source application and the environment (test or production) of the client
 * that sent it. Only its owner may use it; to anyone else it does not exist.
 */
export interface FileOwner {
  readonly tenantId: string;
  readonly sourceApplicationId: string;
  readonly environment: string;
}

/** Whose a file is, as the pipeline knows it from a submission (which the gateway accepted from its owner). */
export type SubmissionFileOwner = Pick<FileOwner, "tenantId" | "sourceApplicationId">;

export interface NewFile {
  readonly owner: FileOwner;
  readonly id: string;
  readonly filename: string;
  readonly mimeType: string;
}

/**
 * A submission's files whose first bytes are wanted. The pipeline reads only files its submissions name, which
 * the gateway accepted from their owner; a file stored before files had owners (by a gateway of an earlier
 * version, for a submission still on its way or retried later) is read as its county's.
 */
export interface HeadsRequest {
  readonly owner: SubmissionFileOwner;
  readonly fileIds: readonly string[];
}

export type StoreOutcome =
  | { readonly outcome: "stored"; readonly reference: FileReference }
  | { readonly outcome: "too-large"; readonly limitBytes: number }
  | { readonly outcome: "empty" };

/** Where document contents live; messages carry only references. A port: Postgres now, object storage later. */
export interface FileStore {
  /** Stores a stream, hashing and counting as it goes, refusing it (and keeping nothing) past `limitBytes`. */
  store(file: NewFile, content: Readable | Buffer, limitBytes: number): Promise<StoreOutcome>;
  /** The file, if it is the owner's. */
  reference(owner: FileOwner, fileId: string): Promise<FileReference | undefined>;
}

const CHUNK_BYTES = 1024 * 1024;

/** Files in Postgres, in 1 MiB chunks, so memory stays bounded whatever the file's size. */
export class PostgresFileStore implements FileStore {
  constructor(private readonly db: Knex) {}

  async store(file: NewFile, content: Readable | Buffer, limitBytes: number): Promise<StoreOutcome> {
    const hash = createHash("sha256");
    let size = 0;
    let seq = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      await this.db("file_chunks").insert({
        file_id: file.id,
        seq,
        data: Buffer.concat(pending, pendingBytes),
      });
      seq += 1;
      pending = [];
      pendingBytes = 0;
    };
    try {
      for await (const chunk of Buffer.isBuffer(content) ? [content] : content) {
        const bytes = chunk as Buffer;
        size += bytes.length;
        if (size > limitBytes) {
          await this.#discard(file.id);
          return { outcome: "too-large", limitBytes };
        }
        hash.update(bytes);
        pending.push(bytes);
        pendingBytes += bytes.length;
        if (pendingBytes >= CHUNK_BYTES) await flush();
      }
    } catch (error) {
      await this.#discard(file.id);
      throw error;
    }
    if (size === 0) return { outcome: "empty" };
    const sha256 = hash.digest("hex");
    const row = {
      id: file.id,
      tenant_id: file.owner.tenantId,
      source_application_id: file.owner.sourceApplicationId,
      environment: file.owner.environment,
      filename: file.filename,
      mime_type: file.mimeType,
      size_bytes: size,
      sha256,
    };
    try {
      if (seq === 0) {
        // A small file (one chunk, nothing written yet): its chunk and its row in one round trip.
        const chunk = { file_id: file.id, seq: 0, data: Buffer.concat(pending, pendingBytes) };
        await this.db
          .with("chunk", (q) => q.insert(chunk).into("file_chunks"))
          .insert(row)
          .into("files");
      } else {
        await flush();
        await this.db("files").insert(row);
      }
    } catch (error) {
      await this.#discard(file.id);
      throw error;
    }
    return {
      outcome: "stored",
      reference: {
        fileId: file.id,
        filename: file.filename,
        mimeType: file.mimeType,
        sizeBytes: size,
        sha256,
      },
    };
  }

  async reference(owner: FileOwner, fileId: string): Promise<FileReference | undefined> {
    const row = await this.db("files")
      .where({
        id: fileId,
        tenant_id: owner.tenantId,
        source_application_id: owner.sourceApplicationId,
        environment: owner.environment,
      })
      .first("id", "filename", "mime_type", "size_bytes", "sha256");
    return (
      row && {
        fileId: row.id,
        filename: row.filename,
        mimeType: row.mime_type,
        sizeBytes: Number(row.size_bytes),
        sha256: row.sha256,
      }
    );
  }

  /**
   * The first `bytes` of files, without loading whole files (what a content check needs), for several requests
   * in one statement: one map of file id → bytes per request. A file of another owner than the request's is
   * left out, as if it did not exist.
   */
  async heads(requests: readonly HeadsRequest[], bytes: number): Promise<Map<string, Uint8Array>[]> {
    const wanted = requests.flatMap(({ owner, fileIds }) =>
      fileIds.map((id) => ({ tenant: owner.tenantId, application: owner.sourceApplicationId, id })),
    );
    const found = new Map<string, Uint8Array>();
    if (wanted.length > 0) {
      const { rows } = await this.db.raw<{ rows: { key: string; head: Buffer }[] }>(
        `select wanted.tenant_id || '/' || wanted.application_id || '/' || f.id as key,
                substring(c.data from 1 for ?) as head
           from unnest(?::text[], ?::text[], ?::text[]) as wanted(tenant_id, application_id, id)
           join files f on f.tenant_id = wanted.tenant_id
                       and (f.source_application_id = wanted.application_id or f.source_application_id is null)
                       and f.id = wanted.id
           join file_chunks c on c.file_id = f.id and c.seq = 0`,
        [
          bytes,
          wanted.map((file) => file.tenant),
          wanted.map((file) => file.application),
          wanted.map((file) => file.id),
        ],
      );
      for (const row of rows) found.set(row.key, new Uint8Array(row.head));
    }
    return requests.map(({ owner, fileIds }) => {
      const heads = new Map<string, Uint8Array>();
      for (const id of fileIds) {
        const head = found.get(`${owner.tenantId}/${owner.sourceApplicationId}/${id}`);
        if (head) heads.set(id, head);
      }
      return heads;
    });
  }

  /** The whole content of a file (empty when it is another owner's or none), loaded into memory. */
  async content(owner: SubmissionFileOwner, fileId: string): Promise<Buffer> {
    const chunks = await this.db("file_chunks as c")
      .join("files as f", "f.id", "c.file_id")
      .where({ "f.tenant_id": owner.tenantId, "c.file_id": fileId })
      .where((q) =>
        q.where("f.source_application_id", owner.sourceApplicationId).orWhereNull("f.source_application_id"),
      )
      .orderBy("c.seq")
      .select("c.data");
    return Buffer.concat(chunks.map((chunk) => chunk.data as Buffer));
  }

  /**
   * The whole content of a county's file, for an archive driver that must read again a file it was given
   * earlier (Noark 5 stages files until their journal post exists; after a restart the bytes come from here).
   * Never for a file id from outside: the gateway checked the file's owner when the submission named it.
   */
  async contentForRestaging(tenantId: string, fileId: string): Promise<Buffer> {
    const chunks = await this.db("file_chunks as c")
      .join("files as f", "f.id", "c.file_id")
      .where({ "f.tenant_id": tenantId, "c.file_id": fileId })
      .orderBy("c.seq")
      .select("c.data");
    return Buffer.concat(chunks.map((chunk) => chunk.data as Buffer));
  }

  async #discard(fileId: string): Promise<void> {
    await this.db("file_chunks").where({ file_id: fileId }).delete();
  }
}
