import { createHash } from "node:crypto";
import type { FileReference } from "@flyt/schemas";
import type { Knex } from "knex";

/** Where document contents live; messages carry only references. A port: Postgres now, object storage later. */
export interface FileStore {
  put(file: {
    tenantId: string;
    id: string;
    filename: string;
    mimeType: string;
    content: Buffer;
  }): Promise<FileReference>;
  reference(tenantId: string, fileId: string): Promise<FileReference | undefined>;
}

export class PostgresFileStore implements FileStore {
  constructor(private readonly db: Knex) {}

  async put(file: { tenantId: string; id: string; filename: string; mimeType: string; content: Buffer }) {
    const sha256 = createHash("sha256").update(file.content).digest("hex");
    await this.db("files").insert({
      id: file.id,
      tenant_id: file.tenantId,
      filename: file.filename,
      mime_type: file.mimeType,
      size_bytes: file.content.length,
      sha256,
      content: file.content,
    });
    return {
      fileId: file.id,
      filename: file.filename,
      mimeType: file.mimeType,
      sizeBytes: file.content.length,
      sha256,
    };
  }

  async reference(tenantId: string, fileId: string): Promise<FileReference | undefined> {
    const row = await this.db("files")
      .where({ id: fileId, tenant_id: tenantId })
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
}
