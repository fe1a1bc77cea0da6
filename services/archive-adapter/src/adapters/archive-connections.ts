import { readFile } from "node:fs/promises";
import { z } from "zod";
import { fintDefaults } from "../drivers/fint/fint-options";
import { DEFAULT_UPLOAD } from "../drivers/noark5/noark5-file-upload";

const oauth = z.strictObject({
  tokenUrl: z.url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** FINT's password grant; without them the client credentials grant is used. */
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  scope: z.string().min(1).optional(),
});

/** Noark 5: client credentials; the token URL only where the archive's OpenID configuration does not do. */
const noark5Oauth = oauth.omit({ username: true, password: true, tokenUrl: true }).extend({
  /** Overrides the token_endpoint the archive's OpenID configuration names (found from its root otherwise). */
  tokenUrl: z.url().optional(),
});

/** An M502 skjermingMetadata code (07-tjenester_og_informasjonsmodell.rst:5928ff at tag versjon-1.1). */
const skjermingMetadataCode = z.enum([
  "KID",
  "TKL",
  "TM1",
  "TMO",
  "NPS",
  "TR1",
  "TRO",
  "NA",
  "NM",
  "TD",
  "MT",
  "M",
]);

const MIB = 1024 * 1024;

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
    /**
     * The consumer FINT runs behind `/arkiv/noark` (it changes which answers mean what): `classic`
     * (fint-consumer-arkiv-noark) or `core` (fint-core-consumer). Ask the county's FINT administrator.
     */
    consumer: z.enum(["classic", "core"]).default(fintDefaults.consumer),
    /**
     * The archive behind FINT: `P360` (Public 360) or `ELEMENTS` (Elements). Left out, only what both take is
     * sent: searches by fewer criteria, case officers by numeric id where no list of people is offered.
     */
    adapter: z.enum(["P360", "ELEMENTS"]).optional(),
    /** How long FINT keeps a write's status; a write whose answer was lost is not sent again sooner. */
    statusWindowMs: z.number().int().positive().default(fintDefaults.statusWindowMs),
    /** How far the archive's clock may lag when it stamps when it made a case (recognising a lost create). */
    createdSkewMs: z.number().int().nonnegative().default(fintDefaults.createdSkewMs),
    /** How long the archive's code lists are kept before they are read again (also read on a value not found). */
    codeListRefreshMs: z.number().int().positive().default(fintDefaults.codeListRefreshMs),
    /** Variant format and document status of the files Flyt sends (code, system id or link in their lists). */
    variantFormat: z.string().min(1).default(fintDefaults.variantFormat),
    dokumentstatus: z.string().min(1).default(fintDefaults.dokumentstatus),
    /**
     * The archive's file format (a code, system id or link of its `format` list) by MIME type, over the Noark
     * defaults (`application/pdf` → `RA-PDF`, ...). A document whose MIME type has none fails to archive.
     */
    fileFormats: z.record(z.string().regex(/^[\w.+-]+\/[\w.+-]+$/), z.string().min(1)).default({}),
  }),
  z.strictObject({
    driver: z.literal("NOARK5"),
    /** The API root: everything else is found from its links. */
    baseUrl: z.url(),
    oauth: noark5Oauth,
    requestTimeoutMs: z.number().int().positive().default(30_000),
    /**
     * Screened cases and journal posts: which skjermingMetadata codes go with them, and how this archive takes
     * them — `inline` in skjerming as v1.1 reads, `relation` one by one through the object's
     * ny-skjermingmetadata link as the reference server (Nikita, 2021) needs, `omit` for neither.
     */
    screening: z
      .strictObject({
        form: z.enum(["inline", "relation", "omit"]).default("inline"),
        saksmappe: z.array(skjermingMetadataCode).min(1).default(["TM1", "NPS"]),
        journalpost: z.array(skjermingMetadataCode).min(1).default(["TR1", "NA", "NM"]),
      })
      .default({ form: "inline", saksmappe: ["TM1", "NPS"], journalpost: ["TR1", "NA", "NM"] }),
    /**
     * Files above the archive's bulkgrense go in chunks of `chunkBytes`; `contentRange` is how a chunk's range
     * is written: `v1.1` (`bytes 0-524287/2000000`) or `2025` (`0-524287/2000000`, the standard's later text);
     * when an upload cut off is started over rather than gone on with (see UploadSettings).
     */
    upload: z
      .strictObject({
        chunkBytes: z
          .number()
          .int()
          .min(256 * 1024)
          .max(256 * MIB)
          .default(8 * MIB),
        contentRange: z.enum(["v1.1", "2025"]).default("v1.1"),
        /** An upload the archive acknowledged nothing of for this long is started over, not gone on with. */
        sessionMaxAgeMs: z.number().int().positive().default(DEFAULT_UPLOAD.sessionMaxAgeMs),
        /** Failed attempts in a row (5xx, no answer) to go on with an upload, after which it starts over. */
        sessionMaxFailures: z.number().int().min(1).max(100).default(DEFAULT_UPLOAD.sessionMaxFailures),
      })
      .default(DEFAULT_UPLOAD),
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
