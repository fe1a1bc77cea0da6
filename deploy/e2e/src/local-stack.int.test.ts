import { spawn } from "node:child_process";
import { once } from "node:events";
import { repoRoot } from "@flyt/local-infra";
import { testInfra } from "@flyt/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { accessToken, type LocalStack, startLocalStack } from "./local-stack";

const PORT_OFFSET = 10_000;
const DEMO_TIMEOUT_MS = 110_000;
const infra = testInfra();
let stack: LocalStack;
/** What the demo's submissions should call their source system back with, set once the demo has run. */
const expectedCallbacks = new Map<string, string[]>();

beforeAll(async () => {
  stack = await startLocalStack({
    ...infra,
    runId: infra.runId,
    portOffset: PORT_OFFSET,
    serviceSettings: {
      // An outage FAILS after 3 s instead of a minute; each archive call takes 300 ms, as a real archive's
      // would, so the journal posts are surely sent before their case is archived.
      FLYT_LOCAL_ARCHIVE_ADAPTER__ARCHIVE_RETRY_BUDGET_MS: "3000",
      FLYT_LOCAL_ARCHIVE_ADAPTER__SIMULATOR_LATENCY_MS: "300",
    },
  });
}, 180_000);

afterAll(async () => {
  await stack?.cleanUp();
});

/** Runs the printed demo with bash, as a person pastes it; resolves with every JSON line it printed. */
async function runPrintedDemo(): Promise<Record<string, any>[]> {
  const bash = spawn("bash", ["-c", stack.demo()], {
    cwd: repoRoot,
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  bash.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  bash.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // A demo that hangs (a service down, say) is stopped with the test, not left polling.
  const timer = setTimeout(() => bash.kill("SIGKILL"), DEMO_TIMEOUT_MS);
  const [code] = await once(bash, "exit").finally(() => clearTimeout(timer));
  if (code !== 0) throw new Error(`the demo exited with ${code}:\n${stdout}\n${stderr}`);
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, any>);
}

const statusesOf = (resource: Record<string, any>) =>
  (resource.history as { status: string }[]).map((step) => step.status);
const when = (resource: Record<string, any>, status: string) =>
  new Date(
    (resource.history as { status: string; at: string }[]).find((step) => step.status === status)?.at ?? 0,
  );

describe("the whole stack, started as the README starts it", () => {
  it("archives, rejects, fails in an outage and archives on an operator's retry: the printed demo, run", async () => {
    const printed = await runPrintedDemo();
    expect(printed).toHaveLength(6);
    type Printed = Record<string, any>;
    const [caseResource, posts, rejected, failed, retry, retried] = printed as [
      Printed,
      Printed,
      Printed,
      Printed,
      Printed,
      Printed,
    ];

    // One-step: the case and its journal post, with the archive's numbers.
    expect(caseResource).toMatchObject({ kind: "case", status: "ARCHIVED", errors: [] });
    const caseNumber = caseResource.caseNumber as string;
    expect(caseNumber).toMatch(/^\d{4}\/\d+$/);
    expect(caseResource.journalPostNumbers).toEqual([`${caseNumber}-1`]);
    expect(statusesOf(caseResource)).toEqual(["RECEIVED", "VALIDATED", "ARCHIVING", "ARCHIVED"]);

    // Two-step: sent before the case was archived, added to it after.
    expect(posts).toMatchObject({ kind: "journal-posts", status: "ARCHIVED", caseNumber });
    expect(posts.journalPostNumbers).toEqual([`${caseNumber}-2`]);
    expect(new Date(posts.createdAt).getTime()).toBeLessThan(when(caseResource, "ARCHIVED").getTime());

    // Every error at once, each with a pointer into what was sent.
    expect(rejected.status).toBe("REJECTED");
    expect(
      (rejected.errors as { code: string; pointer: string }[]).map((e) => `${e.code} ${e.pointer}`).sort(),
    ).toEqual([
      "content-does-not-match-type /journalPosts/0/dokumenter/0",
      "missing-correspondent /journalPosts/0/korrespondansepart",
      "missing-required-field /case/klassering",
      "unknown-code /journalPosts/0/journalstatus",
    ]);

    // The archive down: FAILED with its own words; back up, an operator's retry archives it.
    expect(failed).toMatchObject({ status: "FAILED", caseNumber: null });
    expect(failed.errors).toEqual([
      expect.objectContaining({
        code: "archive-unavailable",
        detail: expect.stringContaining("planned maintenance"),
      }),
    ]);
    expect(retry).toMatchObject({ id: failed.id, run: 2, status: "RECEIVED" });
    expect(retried).toMatchObject({ id: failed.id, status: "ARCHIVED", errors: [] });
    expect(retried.caseNumber).toMatch(/^\d{4}\/\d+$/);
    expectedCallbacks.set(caseResource.id, ["submission.archived"]);
    expectedCallbacks.set(posts.id, ["submission.archived"]);
    expectedCallbacks.set(rejected.id, ["submission.rejected"]);
    expectedCallbacks.set(failed.id, ["submission.failed", "submission.archived"]);
    expect(statusesOf(retried)).toEqual([
      "RECEIVED",
      "VALIDATED",
      "ARCHIVING",
      "FAILED",
      "RECEIVED",
      "VALIDATED",
      "ARCHIVING",
      "ARCHIVED",
    ]);
  }, 120_000);

  it("calls the demo client back for each of them, signed: the demo receiver prints what it verified", async () => {
    /** The callback types the demo receiver verified for a submission, in the order they came. */
    const verifiedTypes = (id: string) =>
      stack
        .output()
        .split("\n")
        .filter((line) => line.startsWith("[demo receiver] verified callback") && line.includes(` ${id} `))
        .map((line) => line.split(": ")[1]?.split(" ")[0]);
    expect(expectedCallbacks.size).toBe(4);
    await vi.waitFor(
      () => {
        for (const [id, types] of expectedCallbacks) expect(verifiedTypes(id)).toEqual(types);
      },
      { timeout: 30_000, interval: 250 },
    );
    expect(stack.output()).not.toContain("[demo receiver] refused");
  }, 60_000);

  describe("the standing security suite: a source application against another's data", () => {
    let archivedCase: Record<string, any>;
    const tokens: Record<string, string> = {};
    const as = async (client: string, method: string, path: string, body?: unknown) => {
      tokens[client] ??= await accessToken(stack, client);
      const res = await fetch(`${stack.gatewayUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${tokens[client]}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const pdf = Buffer.from("%PDF-1.7\n% security suite\n").toString("base64");
    const document = (
      extra: object = { filnavn: "vedlegg.pdf", mimeType: "application/pdf", innhold: pdf },
    ) => ({
      tittel: "Vedlegg",
      tilknyttetRegistreringSom: "H",
      ...extra,
    });
    const journalPosts = (integrationId: string, sourceInstanceId: string, dokument = document()) => ({
      integrationId,
      sourceInstanceId,
      journalPosts: [
        {
          tittel: "Brev",
          journalposttype: "I",
          korrespondansepart: [{ korrespondanseparttype: "avsender", navn: "Kari Hansen" }],
          dokumenter: [dokument],
        },
      ],
    });
    /** Polls a submission as its own client until it is terminal. */
    const terminal = async (client: string, id: string) => {
      let resource: Record<string, any> = {};
      await vi.waitFor(
        async () => {
          resource = (await as(client, "GET", `/api/v1/submissions/${id}`)).body;
          expect(["ARCHIVED", "REJECTED", "FAILED", "CANCELLED"]).toContain(resource.status);
        },
        { timeout: 30_000, interval: 250 },
      );
      return resource;
    };
    const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

    beforeAll(async () => {
      const created = await as("demo-egrunnerverv-test", "POST", "/api/v1/cases", {
        integrationId: "egrunnerverv-sak",
        sourceInstanceId: `SEC-${unique()}`,
        case: {
          tittel: "Grunneier Kari Hansen, gnr 12 bnr 4",
          klassering: [{ ordningsprinsipp: "GBNR", ordningsverdi: "12/4" }],
        },
      });
      expect(created.status).toBe(202);
      archivedCase = await terminal("demo-egrunnerverv-test", created.body.id);
      expect(archivedCase.status).toBe("ARCHIVED");
    }, 60_000);

    it("cannot read another source application's submission, by id or by its own ids", async () => {
      const byId = await as("demo-vigo-test", "GET", `/api/v1/submissions/${archivedCase.id}`);
      const query = `integrationId=egrunnerverv-sak&sourceInstanceId=${encodeURIComponent(archivedCase.sourceInstanceId)}`;
      const byPair = await as("demo-vigo-test", "GET", `/api/v1/submissions?${query}`);
      expect([byId.status, byPair.status]).toEqual([404, 404]);
      expect(JSON.stringify([byId.body, byPair.body])).not.toContain(archivedCase.caseNumber);
    });

    it("cannot add journal posts to another's case by its submission id: unknown, as an id never used", async () => {
      const theirs = await as(
        "demo-vigo-test",
        "POST",
        `/api/v1/cases/${archivedCase.id}/journal-posts`,
        journalPosts("vigo-soknad-til-arkivet", `SEC-${unique()}`),
      );
      const never = await as(
        "demo-vigo-test",
        "POST",
        "/api/v1/cases/sub_01ARYZ6S41TSV4RRFFQ69G5FAV/journal-posts",
        journalPosts("vigo-soknad-til-arkivet", `SEC-${unique()}`),
      );
      expect([theirs.status, never.status]).toEqual([404, 404]);
      expect(theirs.body.type).toBe(never.body.type);
    });

    it("cannot add journal posts to another's case by its case number: failed exactly as a number that does not exist", async () => {
      const send = async (caseNumber: string) => {
        const accepted = await as(
          "demo-vigo-test",
          "POST",
          `/api/v1/cases/${encodeURIComponent(caseNumber)}/journal-posts`,
          journalPosts("vigo-soknad-til-arkivet", `SEC-${unique()}`),
        );
        expect(accepted.status).toBe(202);
        return terminal("demo-vigo-test", accepted.body.id);
      };
      const theirs = await send(archivedCase.caseNumber);
      const none = await send("1999/987654");
      expect(theirs).toMatchObject({ status: "FAILED", caseNumber: null, journalPostNumbers: [] });
      expect(theirs.errors.map((e: { code: string }) => e.code)).toEqual(["unknown-case"]);
      expect(theirs.errors[0].detail.replace(archivedCase.caseNumber, "N")).toBe(
        none.errors[0].detail.replace("1999/987654", "N"),
      );
      // eGrunnerverv's case still has only what eGrunnerverv put in it.
      const again = await as("demo-egrunnerverv-test", "GET", `/api/v1/submissions/${archivedCase.id}`);
      expect(again.body.journalPostNumbers).toEqual(archivedCase.journalPostNumbers);
    }, 90_000);

    it("cannot file into an archive section of its own choosing, nor find another's cases by search", async () => {
      const chosen = await as("demo-vigo-test", "POST", "/api/v1/cases", {
        integrationId: "vigo-soknad-til-arkivet",
        sourceInstanceId: `SEC-${unique()}`,
        case: {
          tittel: "Søknad",
          arkivdel: "EIENDOM",
          klassering: [{ ordningsprinsipp: "GBNR", ordningsverdi: "12/4" }],
        },
      });
      const rejected = await terminal("demo-vigo-test", chosen.body.id);
      expect(rejected.status).toBe("REJECTED");
      expect(rejected.errors).toEqual([
        expect.objectContaining({ code: "field-fixed-by-integration", pointer: "/case/arkivdel" }),
      ]);

      // ACOS Interact's two cases in SAK under one classification; HMSReg searches SAK by that classification.
      const klassering = [{ ordningsprinsipp: "ORGNR", ordningsverdi: `9${Date.now() % 100_000_000}` }];
      const acos = [];
      for (const n of [1, 2]) {
        const made = await as("demo-acos-interact-test", "POST", "/api/v1/cases", {
          integrationId: "acos-skjematjenesten",
          sourceInstanceId: `SEC-${unique()}`,
          case: { tittel: `Søknad fra Ola Nordmann ${n}`, klassering },
        });
        acos.push(await terminal("demo-acos-interact-test", made.body.id));
      }
      expect(acos.map((resource) => resource.status)).toEqual(["ARCHIVED", "ARCHIVED"]);
      const searching = await as("demo-hmsreg-test", "POST", "/api/v1/cases", {
        integrationId: "hmsreg-arkivering",
        sourceInstanceId: `SEC-${unique()}`,
        case: { tittel: "Mannskapsliste", klassering },
      });
      const own = await terminal("demo-hmsreg-test", searching.body.id);
      // Not "several cases found" with ACOS's titles: HMSReg has no case there, so it makes its own.
      expect(own.status).toBe("ARCHIVED");
      expect(acos.map((resource) => resource.caseNumber)).not.toContain(own.caseNumber);
      expect(JSON.stringify(own)).not.toContain("Ola Nordmann");
    }, 90_000);

    it("cannot use another source application's uploaded file: unknown, as a file never uploaded", async () => {
      tokens["demo-egrunnerverv-test"] ??= await accessToken(stack, "demo-egrunnerverv-test");
      const uploaded = await fetch(`${stack.gatewayUrl}/api/v1/files?filename=skjote.pdf`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${tokens["demo-egrunnerverv-test"]}`,
          "content-type": "application/pdf",
        },
        body: Buffer.from("%PDF-1.7\n% eGrunnerverv's own\n"),
      });
      expect(uploaded.status).toBe(201);
      const { fileId } = (await uploaded.json()) as { fileId: string };
      const attempt = (id: string) =>
        as(
          "demo-vigo-test",
          "POST",
          `/api/v1/cases/${encodeURIComponent(archivedCase.caseNumber)}/journal-posts`,
          journalPosts("vigo-soknad-til-arkivet", `SEC-${unique()}`, document({ fileId: id })),
        );
      const theirs = await attempt(fileId);
      const never = await attempt("file_NeverUploaded0123456789");
      expect([theirs.status, never.status]).toEqual([400, 400]);
      expect(theirs.body.errors).toEqual(never.body.errors);
    });
  });

  it("checks the demo county's archive destination through the admin API: the archive adapter answers", async () => {
    const token = await accessToken(stack, "flyt-platform-admin");
    const checks = `${stack.gatewayUrl}/admin/v1/tenants/demo/destinations/demo-simulator/checks`;
    const asked = await fetch(checks, { method: "POST", headers: { authorization: `Bearer ${token}` } });
    expect(asked.status).toBe(202);
    const { checkId } = (await asked.json()) as { checkId: string };
    let report: Record<string, any> = {};
    await vi.waitFor(
      async () => {
        const res = await fetch(`${checks}/${checkId}`, { headers: { authorization: `Bearer ${token}` } });
        report = (await res.json()) as Record<string, any>;
        expect(report.status).not.toBe("pending");
      },
      { timeout: 30_000, interval: 250 },
    );
    expect(report).toMatchObject({ checkId, status: "passed", unknownCodes: [] });
    expect(
      (report.steps as { step: string; ok: boolean }[]).map((step) => `${step.step} ${step.ok}`),
    ).toEqual(["reach true", "authenticate true", "code-lists true", "codes true"]);
  }, 60_000);

  it("stops everything it started on Ctrl-C", async () => {
    expect(await stack.stop()).toBe(0);
    for (const offsetPort of [8080, 8089, 8091, 8092, 8093, 8094, 8090].map((port) => port + PORT_OFFSET)) {
      await expect(fetch(`http://127.0.0.1:${offsetPort}/livez`)).rejects.toThrow();
    }
  }, 60_000);
});
