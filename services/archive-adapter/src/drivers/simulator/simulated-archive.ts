import { createHash, randomUUID } from "node:crypto";
import type { Arkivsak, FileReference, Journalpost } from "@flyt/schemas";
import type { Knex } from "knex";
import type { ArchiveDriver, ArchivedCase, ArchivedJournalPost, ArchiveFileRef } from "../archive-driver";
import { ArchiveRefusedError, ArchiveUnavailableError } from "../archive-errors";
import type { CodeToCheck, DriverCheck } from "../destination-check";
import type { DeclaredOutages } from "./declared-outages";

/** How the simulated archive misbehaves, to show and test what a real one does. */
export interface SimulatorBehaviour {
  /** Added to every call, as a slow archive answers: half before it acts, half before its answer arrives. */
  readonly latencyMs: number;
  /** Share of calls (0–1) answered "503 Service Unavailable" before doing anything. */
  readonly errorRate: number;
  /** Share of writes (0–1) that happen and then time out, so the caller cannot know they happened. */
  readonly uncertainRate: number;
  /** Periods in which every call fails as if the archive were down. */
  readonly outages: readonly { readonly from: Date; readonly to: Date }[];
}

export const wellBehaved: SimulatorBehaviour = { latencyMs: 0, errorRate: 0, uncertainRate: 0, outages: [] };

interface CaseRow {
  readonly system_id: string;
  readonly case_number: string;
  readonly arkivdel: string | null;
}

/** Fields a search may compare, and the column each is kept in. */
const searchable: Readonly<Record<string, string>> = {
  arkivdel: "arkivdel",
  tittel: "tittel",
  saksmappetype: "saksmappetype",
  administrativEnhet: "administrativ_enhet",
};

/**
 * An archive in Postgres that behaves like a real one at the driver interface: case numbers `YYYY/n` per
 * destination and year, journal post numbers `YYYY/n-m`, search, external ids, and what real archives do wrong
 * (latency, errors, outages, writes whose answer is lost). The default archive of the local run and benchmarks.
 */
export class SimulatedArchive implements ArchiveDriver {
  constructor(
    private readonly db: Knex,
    private readonly destinationId: string,
    private readonly behaviour: SimulatorBehaviour = wellBehaved,
    /** Outages declared at run time, whatever the configured behaviour. */
    private readonly declaredOutages?: Pick<DeclaredOutages, "reasonNow">,
    private readonly now: () => Date = () => new Date(),
    private readonly random: () => number = Math.random,
  ) {}

  async caseByExternalId(externalId: string): Promise<ArchivedCase | undefined> {
    await this.#answer();
    const row = await this.#cases().where({ external_id: externalId }).first();
    return row && toCase(row);
  }

  async caseByNumber(caseNumber: string): Promise<ArchivedCase | undefined> {
    await this.#answer();
    const row = await this.#cases().where({ case_number: caseNumber }).first();
    return row && toCase(row);
  }

  /**
   * The simulator's connection check: it answers (unless it is down), takes every caller, and has no code lists,
   * so every configured code is one it takes. A county's real archive is checked by its own driver.
   */
  async check(codes: readonly CodeToCheck[]): Promise<DriverCheck> {
    try {
      await this.#answer();
    } catch (error) {
      return {
        steps: [
          {
            step: "reach",
            ok: false,
            detail: `The simulated archive did not answer: ${(error as Error).message}`,
          },
        ],
        unknownCodes: [],
      };
    }
    return {
      steps: [
        { step: "reach", ok: true, detail: "The simulated archive answered." },
        { step: "authenticate", ok: true, detail: "The simulated archive takes every caller." },
        {
          step: "code-lists",
          ok: true,
          detail: "The simulated archive has no code lists: it takes any code.",
        },
        { step: "codes", ok: true, detail: `${codes.length} configured codes, all taken.` },
      ],
      unknownCodes: [],
    };
  }

  /** Answers unless it is down (or a 503 comes by chance). */
  async probe(): Promise<void> {
    await this.#answer();
  }

  async searchCases(criteria: Readonly<Record<string, string>>): Promise<ArchivedCase[]> {
    await this.#answer();
    let query = this.#cases();
    const klassering: Record<string, string> = {};
    for (const [field, value] of Object.entries(criteria)) {
      const column = searchable[field];
      if (column) query = query.where(column, value);
      else if (field.startsWith("klassering.")) klassering[field.slice("klassering.".length)] = value;
      else throw new ArchiveRefusedError(`cannot search by ${field}`, { status: 400 });
    }
    if (Object.keys(klassering).length > 0) {
      query = query.whereRaw("klassering @> ?::jsonb", [JSON.stringify([klassering])]);
    }
    return (await query.orderBy("created_at").limit(50)).map(toCase);
  }

  async createCase(arkivsak: Arkivsak, externalId: string): Promise<ArchivedCase> {
    await this.#answer();
    if (!arkivsak.arkivdel) throw new ArchiveRefusedError("arkivdel is required", { status: 400 });
    const created = await this.db.transaction(async (trx) => {
      const year = this.now().getUTCFullYear();
      const [{ last_seq: seq }] = await trx("simulated_archive_counters")
        .insert({ destination_id: this.destinationId, year, last_seq: 1 })
        .onConflict(["destination_id", "year"])
        .merge({ last_seq: trx.raw("simulated_archive_counters.last_seq + 1") })
        .returning("last_seq");
      const row = {
        system_id: randomUUID(),
        destination_id: this.destinationId,
        case_number: `${year}/${seq}`,
        external_id: externalId,
        tittel: arkivsak.tittel,
        arkivdel: arkivsak.arkivdel,
        administrativ_enhet: arkivsak.administrativEnhet,
        saksmappetype: arkivsak.saksmappetype,
        klassering: JSON.stringify(
          arkivsak.klassering.map(({ ordningsprinsipp, ordningsverdi }) => ({
            ordningsprinsipp,
            ordningsverdi,
          })),
        ),
        content: JSON.stringify(arkivsak),
      };
      await trx("simulated_archive_cases").insert(row);
      return row;
    });
    await this.#reply("create case");
    return toCase(created);
  }

  async uploadFile(file: FileReference, content: Buffer): Promise<ArchiveFileRef> {
    await this.#answer();
    if (content.length === 0) throw new ArchiveRefusedError(`${file.filename} is empty`, { status: 400 });
    const ref = `dokumentfil/${randomUUID()}`;
    await this.db("simulated_archive_files").insert({
      ref,
      destination_id: this.destinationId,
      filename: file.filename,
      mime_type: file.mimeType,
      size_bytes: content.length,
      sha256: createHash("sha256").update(content).digest("hex"),
    });
    // Its answer travels back too; a lost one would only leave an unused copy, so uploads always answer here.
    await this.#travel();
    return ref;
  }

  async journalPostByExternalId(
    archivedCase: ArchivedCase,
    externalId: string,
  ): Promise<ArchivedJournalPost | undefined> {
    await this.#answer();
    const row = await this.db("simulated_archive_journal_posts")
      .where({ case_system_id: archivedCase.systemId, external_id: externalId })
      .first("system_id", "number");
    return row && { systemId: row.system_id, number: row.number };
  }

  async addJournalPost(
    archivedCase: ArchivedCase,
    post: Journalpost,
    files: ReadonlyMap<string, ArchiveFileRef>,
    externalId: string,
  ): Promise<ArchivedJournalPost> {
    await this.#answer();
    if (!post.journalstatus) throw new ArchiveRefusedError("journalstatus is required", { status: 400 });
    const missing = post.dokumenter.filter((document) => !files.has(document.file.fileId));
    if (missing.length > 0) {
      throw new ArchiveRefusedError(`no uploaded file for ${missing.map((d) => d.tittel).join(", ")}`, {
        status: 400,
      });
    }
    const added = await this.db.transaction(async (trx) => {
      const [counted] = await trx("simulated_archive_cases")
        .where({ system_id: archivedCase.systemId, destination_id: this.destinationId })
        .increment("last_journal_post_seq", 1)
        .returning(["last_journal_post_seq", "case_number"]);
      if (!counted) throw new ArchiveRefusedError(`no case ${archivedCase.caseNumber}`, { status: 404 });
      const row = {
        system_id: randomUUID(),
        case_system_id: archivedCase.systemId,
        seq: counted.last_journal_post_seq as number,
        number: `${counted.case_number}-${counted.last_journal_post_seq}`,
        external_id: externalId,
        content: JSON.stringify({
          ...post,
          dokumenter: post.dokumenter.map((document) => ({
            ...document,
            archiveFile: files.get(document.file.fileId),
          })),
        }),
      };
      await trx("simulated_archive_journal_posts").insert(row);
      return row;
    });
    await this.#reply("add journal post");
    return { systemId: added.system_id, number: added.number };
  }

  #cases() {
    return this.db("simulated_archive_cases").where({ destination_id: this.destinationId });
  }

  /** What happens before the archive does anything: the request's way there, its outages, its errors. */
  async #answer(): Promise<void> {
    await this.#travel();
    const now = this.now().getTime();
    if (this.behaviour.outages.some(({ from, to }) => from.getTime() <= now && now < to.getTime())) {
      throw new ArchiveUnavailableError("simulated archive: connection refused (outage)");
    }
    const declared = await this.declaredOutages?.reasonNow(this.destinationId);
    if (declared !== undefined) {
      throw new ArchiveUnavailableError(`simulated archive: 503 Service Unavailable (${declared})`);
    }
    if (this.random() < this.behaviour.errorRate) {
      throw new ArchiveUnavailableError("simulated archive: 503 Service Unavailable");
    }
  }

  async #travel(): Promise<void> {
    const halfway = this.behaviour.latencyMs / 2;
    if (halfway > 0) await new Promise((resolve) => setTimeout(resolve, halfway));
  }

  /** The way back of a write's answer: slow, and sometimes lost although the write happened. */
  async #reply(operation: string): Promise<void> {
    await this.#travel();
    if (this.random() < this.behaviour.uncertainRate) {
      throw new ArchiveUnavailableError(`simulated archive: ${operation} timed out`, { uncertain: true });
    }
  }
}

function toCase(row: CaseRow): ArchivedCase {
  return {
    systemId: row.system_id,
    caseNumber: row.case_number,
    ...(row.arkivdel ? { arkivdel: row.arkivdel } : {}),
  };
}
