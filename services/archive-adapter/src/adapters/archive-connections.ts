import { readFile } from "node:fs/promises";
import { z } from "zod";

const oauth = z.strictObject({
  tokenUrl: z.url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** FINT's password grant; without them the client credentials grant is used. */
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  scope: z.string().min(1).optional(),
});

const connection = z.discriminatedUnion("driver", [
  z.strictObject({
    driver: z.literal("FINT"),
    baseUrl: z.url(),
    oauth,
    requestTimeoutMs: z.number().int().positive().default(30_000),
    /** A write's status URL is polled from `initialMs`, doubling to `maxMs`, for at most `totalMs`. */
    poll: z
      .strictObject({
        initialMs: z.number().int().positive(),
        maxMs: z.number().int().positive(),
        totalMs: z.number().int().positive(),
      })
      .default({ initialMs: 500, maxMs: 10_000, totalMs: 5 * 60_000 }),
  }),
  z.strictObject({
    driver: z.literal("NOARK5"),
    baseUrl: z.url(),
    oauth: oauth.omit({ username: true, password: true }),
    requestTimeoutMs: z.number().int().positive().default(30_000),
  }),
]);

/** How to reach each archive destination of a FINT or Noark 5 archive, by destination id. */
export const archiveConnectionsSchema = z.record(z.string().regex(/^[a-z][a-z0-9-]{1,62}$/), connection);
export type ArchiveConnections = z.output<typeof archiveConnectionsSchema>;
export type ArchiveConnection = ArchiveConnections[string];

/**
 * Reads the connections file (`ARCHIVE_CONNECTIONS_FILE`): it holds the archives' client secrets, so it comes
 * from the deployment's secret store, never from the registry or the environment listing. Every problem at
 * once, by JSON pointer; values are never echoed.
 */
export async function loadArchiveConnections(path: string | undefined): Promise<ArchiveConnections> {
  if (!path) return {};
  const text = await readFile(path, "utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not JSON`);
  }
  const parsed = archiveConnectionsSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `  /${issue.path.map(String).join("/")}: ${issue.message}`,
  );
  throw new Error(`${path} has ${problems.length} problem(s):\n${problems.join("\n")}`);
}
