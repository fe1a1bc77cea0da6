import { randomUUID } from "node:crypto";
import type { FileReference } from "@flyt/schemas";
import { describe, expect, it } from "vitest";
import { journalpost, validated } from "../../test-support/pipeline-harness";
import type {
  ArchiveDriver,
  ArchivedCase,
  ArchivedJournalPost,
  EarlierWrite,
  FinishedWrite,
} from "../drivers/archive-driver";
import { ArchiveRefusedError, ArchiveUnavailableError } from "../drivers/archive-errors";
import { type ArchivingDependencies, archiveSubmission } from "./archive-submission";
import type { Progress } from "./progress";

// An archive that keeps no external id (as FINT): a write taken earlier is followed by its status URL, and one
// whose answer was lost is recognised by what the adapter recorded of its send. Plain fakes throughout.

const file: FileReference = {
  fileId: `file_${randomUUID()}`,
  filename: "kontrakt.pdf",
  mimeType: "application/pdf",
  sizeBytes: 4,
  sha256: "0".repeat(64),
};
const theCase: ArchivedCase = { systemId: "1001", caseNumber: "2026/7" };
const thePost: ArchivedJournalPost = { systemId: "2026/7-1", number: "2026/7-1" };

function progressOf(overrides: Partial<Progress> = {}): Progress {
  return {
    submissionId: `sub_${randomUUID()}`,
    owner: randomUUID(),
    version: 1,
    tenantId: "demo",
    destinationId: "vestland-p360",
    run: 1,
    caseCreated: false,
    caseCreateAttempted: false,
    files: {},
    journalPosts: [],
    journalPostsAttempted: [],
    pendingWrites: {},
    sentWrites: {},
    attempts: 1,
    firstAttemptAt: new Date("2026-12-01T08:00:00Z"),
    firstRunAt: new Date("2026-12-01T08:00:00Z"),
    lastError: null,
    ...overrides,
  };
}

/** What the fake archive was asked, and the progress as saved at each of those moments. */
interface Calls {
  readonly lookups: { readonly what: "case" | "journalPost"; readonly earlier: EarlierWrite | undefined }[];
  readonly writes: { readonly what: "case" | "journalPost"; readonly saved: Progress | undefined }[];
}

function archive(
  behaviour: {
    finished?: FinishedWrite<never>;
    recognised?: { case?: ArchivedCase; journalPost?: ArchivedJournalPost };
    /** Writes are taken (202), then refused at their status URL. */
    refusedAfterTaking?: boolean;
    /** Journal post adds (by index) that fail once before anything goes out, as a transient read would. */
    failBeforeSending?: number[];
  } = {},
) {
  const failBeforeSending = [...(behaviour.failBeforeSending ?? [])];
  let added = 0;
  const calls: Calls = { lookups: [], writes: [] };
  let saved: Progress | undefined;
  const driver: ArchiveDriver = {
    async caseByExternalId(_id, earlier) {
      calls.lookups.push({ what: "case", earlier });
      return earlier?.sent ? behaviour.recognised?.case : undefined;
    },
    async caseByNumber() {
      return undefined;
    },
    async searchCases() {
      return [];
    },
    async createCase() {
      calls.writes.push({ what: "case", saved });
      if (behaviour.refusedAfterTaking) throw refusedAfterTaking();
      return theCase;
    },
    async uploadFile() {
      return "https://fint.test/arkiv/noark/dokumentfil/systemid/1";
    },
    async journalPostByExternalId(_case, _id, earlier) {
      calls.lookups.push({ what: "journalPost", earlier });
      return earlier?.sent ? behaviour.recognised?.journalPost : undefined;
    },
    async addJournalPost(_case, _post, _files, externalId, _accepted, sending) {
      const index = Number(externalId.split("/").at(-1));
      if (failBeforeSending.includes(index)) {
        failBeforeSending.splice(failBeforeSending.indexOf(index), 1);
        throw new ArchiveUnavailableError("GET case 2026/7 answered 503");
      }
      // As FINT's driver: the case's highest number, told just before the add goes out.
      await sending?.(String(added));
      calls.writes.push({ what: "journalPost", saved });
      if (behaviour.refusedAfterTaking) throw refusedAfterTaking();
      added += 1;
      return { systemId: `2026/7-${added}`, number: `2026/7-${added}` };
    },
    async finishCaseCreate() {
      return behaviour.finished ?? "unknown";
    },
    async finishJournalPost() {
      return behaviour.finished ?? "unknown";
    },
  };
  const others = { cases: [] as string[][], journalPosts: [] as string[][] };
  const deps: ArchivingDependencies = {
    now: () => new Date("2026-12-01T09:30:00Z"),
    archiving: async () => {},
    driver,
    save: async (progress) => {
      saved = structuredClone(progress);
    },
    fileContent: async () => Buffer.from("%PDF"),
    searches: {
      claim: async (_destination, _criteria, submissionId) => ({ holder: submissionId }),
      settle: async () => {},
    },
    caseOfSubmission: async () => "waiting",
    ownCases: { hasCaseNumber: async () => false, among: async () => new Set() },
    writtenByOthers: {
      cases: async (_owner, _submission, numbers) => {
        others.cases.push([...numbers]);
        return new Set(numbers.filter((number) => number === "2026/6"));
      },
      journalPosts: async (_owner, _submission, _case, numbers) => {
        others.journalPosts.push([...numbers]);
        return new Set();
      },
    },
  };
  return { deps, calls, others, saved: () => saved };
}

const refusedAfterTaking = () =>
  new ArchiveRefusedError("Zero cases found", { status: 400, afterAccepted: true });

const caseRequest = () => validated({ destination: { id: "vestland-p360", driver: "FINT" } });
const postRequest = () =>
  validated({
    destination: { id: "vestland-p360", driver: "FINT" },
    caseMode: "BY_ID",
    caseRef: theCase.caseNumber,
    case: null,
    journalPosts: [journalpost(file)],
  });

describe("a write the archive answered as failed after taking it", () => {
  it("is looked for before a case create is sent again: the archive may have made it", async () => {
    const { deps, calls } = archive({ finished: "failed", recognised: { case: theCase } });
    const progress = progressOf({
      caseCreateAttempted: true,
      pendingWrites: { case: "https://fint.test/arkiv/noark/sak/status/1" },
      sentWrites: {
        case: {
          firstSentAt: new Date("2026-12-01T08:01:00Z"),
          lastSentAt: new Date("2026-12-01T08:01:00Z"),
          sends: 1,
        },
      },
    });
    const done = await archiveSubmission(caseRequest(), progress, deps);
    expect(done.caseNumber).toBe(theCase.caseNumber);
    expect(calls.writes).toEqual([]);
    expect(calls.lookups[0]?.earlier?.sent).toMatchObject({ sends: 1, answeredFailed: true });
  });

  it("is looked for before a journal post is added again", async () => {
    const { deps, calls } = archive({ finished: "failed", recognised: { journalPost: thePost } });
    const progress = progressOf({
      case: theCase,
      files: { [file.fileId]: "https://fint.test/arkiv/noark/dokumentfil/systemid/1" },
      journalPostsAttempted: [0],
      pendingWrites: { "journalPost/0": "https://fint.test/arkiv/noark/sak/status/2" },
      sentWrites: {
        "journalPost/0": {
          firstSentAt: new Date("2026-12-01T08:01:00Z"),
          lastSentAt: new Date("2026-12-01T08:01:00Z"),
          sends: 1,
          marker: "0",
        },
      },
    });
    const done = await archiveSubmission(postRequest(), progress, deps);
    expect(done.journalPostNumbers).toEqual([thePost.number]);
    expect(calls.writes).toEqual([]);
    expect(calls.lookups[0]?.earlier?.sent).toMatchObject({ marker: "0", answeredFailed: true });
  });

  it("is sent again only when it is not found, and then recorded as sent once more", async () => {
    const { deps, calls } = archive({ finished: "failed" });
    const progress = progressOf({
      caseCreateAttempted: true,
      pendingWrites: { case: "https://fint.test/arkiv/noark/sak/status/1" },
      sentWrites: {
        case: {
          firstSentAt: new Date("2026-12-01T08:01:00Z"),
          lastSentAt: new Date("2026-12-01T08:01:00Z"),
          sends: 1,
        },
      },
    });
    await archiveSubmission(caseRequest(), progress, deps);
    expect(calls.lookups.map(({ what }) => what)).toEqual(["case"]);
    expect(calls.writes[0]?.saved?.sentWrites.case).toEqual({
      firstSentAt: new Date("2026-12-01T08:01:00Z"),
      lastSentAt: new Date("2026-12-01T09:30:00Z"),
      sends: 2,
    });
  });
});

describe("a write the archive refused at its status URL, after taking it", () => {
  it("is the case the archive made all the same when it is there", async () => {
    const { deps, calls } = archive({ refusedAfterTaking: true, recognised: { case: theCase } });
    const done = await archiveSubmission(caseRequest(), progressOf(), deps);
    expect(done).toMatchObject({ caseNumber: theCase.caseNumber, caseCreated: true });
    expect(calls.writes).toHaveLength(1);
    expect(calls.lookups[0]?.earlier?.sent).toMatchObject({ sends: 1, answeredFailed: true });
  });

  it("is the journal post the archive added all the same when it is there", async () => {
    const { deps, calls } = archive({ refusedAfterTaking: true, recognised: { journalPost: thePost } });
    const progress = progressOf({ case: theCase });
    const done = await archiveSubmission(postRequest(), progress, deps);
    expect(done.journalPostNumbers).toEqual([thePost.number]);
    expect(calls.writes).toHaveLength(1);
  });

  it("stands when nothing like it is there, and stays recorded as sent for a later run to look for", async () => {
    const { deps, saved } = archive({ refusedAfterTaking: true });
    const error = await archiveSubmission(caseRequest(), progressOf(), deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveRefusedError);
    expect(saved()?.sentWrites.case).toMatchObject({ sends: 1, answeredFailed: true });
    expect(saved()?.caseCreateAttempted).toBe(true);
  });
});

describe("recognising an earlier write", () => {
  it("hands the driver what the ledger records as other submissions' cases and journal posts", async () => {
    const { deps, calls, others } = archive();
    const request = caseRequest();
    const progress = progressOf({
      caseCreateAttempted: true,
      sentWrites: {
        case: { firstSentAt: new Date("2026-12-01T08:01:00Z"), lastSentAt: new Date(), sends: 1 },
      },
    });
    await archiveSubmission(request, progress, deps);
    const taken = await calls.lookups[0]?.earlier?.writtenByOthers?.(["2026/5", "2026/6"]);
    expect([...(taken ?? [])]).toEqual(["2026/6"]);
    expect(others.cases).toEqual([["2026/5", "2026/6"]]);
  });

  it("takes a write an older adapter attempted without recording its send as sent since the first run", async () => {
    const { deps, calls } = archive();
    const firstAttemptAt = new Date("2026-12-01T07:45:00Z");
    // An operator's retry (run 2) started its own attempts later; the send may be from the first run.
    const progress = progressOf({
      run: 2,
      caseCreateAttempted: true,
      firstRunAt: firstAttemptAt,
      firstAttemptAt: new Date("2026-12-01T09:00:00Z"),
    });
    await archiveSubmission(caseRequest(), progress, deps);
    expect(calls.lookups[0]?.earlier?.sent).toEqual({
      firstSentAt: firstAttemptAt,
      lastSentAt: new Date("2026-12-01T09:30:00Z"),
      sends: 1,
    });
    // Sent again after that, it stays bounded by the first attempt.
    expect(calls.writes[0]?.saved?.sentWrites.case?.firstSentAt).toEqual(firstAttemptAt);
  });

  it("does the same for a journal post", async () => {
    const { deps, calls } = archive();
    const firstAttemptAt = new Date("2026-12-01T07:45:00Z");
    const progress = progressOf({
      case: theCase,
      files: { [file.fileId]: "https://fint.test/arkiv/noark/dokumentfil/systemid/1" },
      journalPostsAttempted: [0],
      firstRunAt: firstAttemptAt,
    });
    await archiveSubmission(postRequest(), progress, deps);
    expect(calls.lookups[0]?.earlier?.sent?.firstSentAt).toEqual(firstAttemptAt);
  });
});

describe("a journal post whose add failed before it went out", () => {
  it("is not looked for as sent, and never taken for another of the submission's journal posts", async () => {
    const { deps, calls } = archive({ failBeforeSending: [1] });
    // Two journal posts alike in every field FINT can recognise them by.
    const request = { ...postRequest(), journalPosts: [journalpost(file), journalpost(file)] };
    const progress = progressOf({ case: theCase });
    const failed = await archiveSubmission(request, progress, deps).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ArchiveUnavailableError);
    expect(progress.journalPosts.map((post) => post?.number)).toEqual(["2026/7-1"]);

    const done = await archiveSubmission(request, progress, deps);
    expect(done.journalPostNumbers).toEqual(["2026/7-1", "2026/7-2"]);
    const lookup = calls.lookups.find(({ what }) => what === "journalPost");
    expect(lookup?.earlier?.sent).toBeUndefined();
    const notIt = await lookup?.earlier?.writtenByOthers?.(["2026/7-1", "2026/7-3"]);
    expect([...(notIt ?? [])]).toEqual(["2026/7-1"]);
  });
});

describe("a write's send", () => {
  it("is saved as sent before the case create goes out", async () => {
    const { deps, calls } = archive();
    await archiveSubmission(caseRequest(), progressOf(), deps);
    const [write] = calls.writes;
    expect(write?.saved?.caseCreateAttempted).toBe(true);
    expect(write?.saved?.sentWrites.case).toMatchObject({ sends: 1 });
  });

  it("is saved as sent before a journal post goes out", async () => {
    const { deps, calls } = archive();
    await archiveSubmission(postRequest(), progressOf({ case: theCase }), deps);
    const [write] = calls.writes;
    expect(write?.saved?.journalPostsAttempted).toEqual([0]);
    expect(write?.saved?.sentWrites["journalPost/0"]).toMatchObject({ sends: 1 });
  });
});
