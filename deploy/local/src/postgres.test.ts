import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@flyt/logging";
import pg from "pg";
import { describe, expect, it } from "vitest";
import {
  dropDatabase,
  ensureDatabase,
  ensureEmbeddedPostgres,
  postgresAnswers,
  stopEmbeddedPostgres,
} from "./postgres";
import { loadSettings } from "./settings";

const logger = createLogger({ service: "test", level: "silent" });

describe("embedded Postgres (the fallback for machines with no server)", () => {
  it("initialises, starts as a tracked process, serves databases, and stops", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "flyt-embedded-pg-"));
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const settings = loadSettings({ FLYT_STATE_DIR: stateDir, FLYT_EMBEDDED_POSTGRES_PORT: String(port) });

    const first = await ensureEmbeddedPostgres(settings, logger);
    try {
      expect(first.startedHere).toBe(true);
      expect(await ensureEmbeddedPostgres(settings, logger)).toEqual({ url: first.url, startedHere: false });

      const url = await ensureDatabase(first.url, "flyt_probe");
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query<{ server_version: string }>("show server_version");
      await client.end();
      expect(rows[0]?.server_version).toMatch(/^15\./);
      await dropDatabase(first.url, "flyt_probe");
    } finally {
      expect(await stopEmbeddedPostgres(stateDir)).toBe(true);
    }
    expect(await postgresAnswers(first.url)).toBe(false);
  });
});
