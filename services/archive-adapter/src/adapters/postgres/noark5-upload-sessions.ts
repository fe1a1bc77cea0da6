import type { Knex } from "knex";
import type { UploadSession, UploadSessions } from "../../drivers/noark5/upload-sessions";

interface Row {
  readonly session_url: string;
  readonly received: string | number;
  readonly total_bytes: string | number;
  readonly sha256: string;
  readonly acknowledged_at: Date;
  readonly failures: number;
}

/** A session not touched this long is an upload given up; its row goes when the destination starts another. */
const ABANDONED_AFTER = "7 days";

/**
 * One Noark 5 destination's chunked uploads in progress, in `noark5_upload_sessions`, so an upload cut off by a
 * crash goes on after the restart from the last chunk the archive acknowledged.
 */
export function postgresUploadSessions(db: Knex, destinationId: string): UploadSessions {
  const table = () => db("noark5_upload_sessions");
  return {
    async get(filUrl) {
      const row = (await table().where({ destination_id: destinationId, fil_url: filUrl }).first()) as
        | Row
        | undefined;
      if (!row) return undefined;
      return {
        sessionUrl: row.session_url,
        received: Number(row.received),
        totalBytes: Number(row.total_bytes),
        sha256: row.sha256,
        acknowledgedAt: row.acknowledged_at.getTime(),
        failures: row.failures,
      } satisfies UploadSession;
    },
    async save(filUrl, session) {
      if (session.received === 0) {
        await table()
          .where({ destination_id: destinationId })
          .andWhere("updated_at", "<", db.raw(`now() - interval '${ABANDONED_AFTER}'`))
          .delete();
      }
      await table()
        .insert({
          destination_id: destinationId,
          fil_url: filUrl,
          session_url: session.sessionUrl,
          received: session.received,
          total_bytes: session.totalBytes,
          sha256: session.sha256,
          acknowledged_at: new Date(session.acknowledgedAt),
          failures: session.failures,
          updated_at: db.fn.now(),
        })
        .onConflict(["destination_id", "fil_url"])
        .merge();
    },
    async forget(filUrl) {
      await table().where({ destination_id: destinationId, fil_url: filUrl }).delete();
    },
  };
}
