import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ServiceProcess, startServiceProcess, waitForReady } from "@flyt/testing";

/**
 * An archive adapter deployment for county archives (FINT or Noark 5), as a process of its own, reaching them
 * through a connections file written for it; it is consuming when this resolves.
 */
export async function startCountyArchiveAdapter(options: {
  readonly driver: "FINT" | "NOARK5";
  readonly namespace: string;
  readonly databaseUrl: string;
  /** By destination id, as in ARCHIVE_CONNECTIONS_FILE. */
  readonly connections: Readonly<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, string>>;
}): Promise<{ readonly adapter: ServiceProcess; stop(): Promise<void> }> {
  const folder = await mkdtemp(join(tmpdir(), "flyt-connections-"));
  const connections = join(folder, "connections.json");
  await writeFile(connections, JSON.stringify(options.connections), { mode: 0o600 });
  const adapter = await startServiceProcess("archive-adapter", {
    FLYT_TOPIC_NAMESPACE: options.namespace,
    DATABASE_URL: options.databaseUrl,
    REGISTER_SCHEMAS: "true",
    ARCHIVE_DRIVERS: options.driver,
    ARCHIVE_CONNECTIONS_FILE: connections,
    ...options.env,
  });
  await waitForReady(adapter);
  return {
    adapter,
    async stop() {
      await adapter.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
