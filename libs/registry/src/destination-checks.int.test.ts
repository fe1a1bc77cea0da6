import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { landAcquisitionConfiguration } from "./configuration.fixtures";
import { DestinationChecks } from "./destination-checks";
import { useRegistryDatabase } from "./registry-test-database";

const database = useRegistryDatabase({ seedDemoCounty: true });

describe("DestinationChecks", () => {
  const report = (checkId: string, passed: boolean) => ({
    checkId,
    tenantId: "demo",
    destinationId: "demo-simulator",
    requestedBy: "kari.arkivar",
    requestedAt: new Date(),
    passed,
    steps: [{ step: "reach", ok: true, detail: "The archive answered." }],
    unknownCodes: passed
      ? []
      : [
          {
            field: "arkivdel",
            value: "ELEVV",
            usedBy: ["vigo-ny-soker"],
            why: "The archive has no arkivdel ELEVV.",
          },
        ],
  });

  it("keeps each check's report once, by id, for the destination's own tenant only", async () => {
    const checks = new DestinationChecks(database.db);
    const first = randomUUID();
    await checks.record(report(first, false));
    // A redelivered check request records nothing new: the first report stands.
    await checks.record(report(first, true));
    expect(await checks.find("demo", "demo-simulator", first)).toMatchObject({
      passed: false,
      unknownCodes: [{ field: "arkivdel", value: "ELEVV", usedBy: ["vigo-ny-soker"] }],
      finishedAt: expect.any(Date),
    });
    expect(await checks.find("vestland", "demo-simulator", first)).toBeUndefined();
    const second = randomUUID();
    await checks.record(report(second, true));
    expect((await checks.latest("demo", "demo-simulator")).map((check) => check.checkId)).toEqual([
      second,
      first,
    ]);
  });

  it("holds a check asked for as pending until its report comes, and as expired when none comes in time", async () => {
    const checks = new DestinationChecks(database.db);
    const asked = randomUUID();
    const requestedAt = new Date("2026-03-14T12:00:00Z");
    const request = {
      checkId: asked,
      tenantId: "demo",
      destinationId: "demo-simulator",
      requestedBy: "kari.arkivar",
      requestedAt,
    };
    await checks.requested(request);
    const at = (seconds: number) => new Date(requestedAt.getTime() + seconds * 1000);
    expect(await checks.find("demo", "demo-simulator", asked, at(119))).toEqual({
      ...request,
      status: "pending",
    });
    expect(await checks.find("demo", "demo-simulator", asked, at(121))).toEqual({
      ...request,
      status: "expired",
    });
    // Not a finished check: the destination's latest checks leave it out.
    expect((await checks.latest("demo", "demo-simulator")).map((check) => check.checkId)).not.toContain(
      asked,
    );

    await checks.record({ ...report(asked, true), requestedAt });
    expect(await checks.find("demo", "demo-simulator", asked, at(600))).toMatchObject({
      status: "passed",
      passed: true,
      finishedAt: expect.any(Date),
    });
    // Asked for again (a retried POST) changes nothing.
    await checks.requested(request);
    expect(await checks.find("demo", "demo-simulator", asked, at(600))).toMatchObject({ status: "passed" });
    expect(await checks.find("demo", "demo-simulator", randomUUID())).toBeUndefined();
  });

  it("records who asked for a check of a destination in the audit log", async () => {
    await database.audit.recordForDestination({
      actor: "kari.arkivar",
      action: "destination.check-requested",
      tenantId: "demo",
      destinationId: "demo-simulator",
      details: { checkId: "c1" },
    });
    const [row] = await database.db("audit_log").where({ destination_id: "demo-simulator" });
    expect(row).toMatchObject({ actor: "kari.arkivar", action: "destination.check-requested" });
  });
});

describe("ConfigurationStore.usingDestination", () => {
  it("finds each integration's active version and draft that archive into the destination", async () => {
    const { configurations } = database;
    await configurations.saveDraft("demo", "hmsreg-arkivering", landAcquisitionConfiguration);
    await configurations.completeDraft("demo", "hmsreg-arkivering", "kari");
    await configurations.activate("demo", "hmsreg-arkivering", 1);
    await configurations.saveDraft("demo", "hmsreg-arkivering", landAcquisitionConfiguration);
    await configurations.saveDraft("demo", "acos-skjematjenesten", landAcquisitionConfiguration);
    const using = await configurations.usingDestination("demo", "demo-simulator");
    expect(using.map((version) => `${version.integrationId} ${version.version}`)).toEqual([
      "acos-skjematjenesten null",
      "hmsreg-arkivering 1",
      "hmsreg-arkivering null",
    ]);
    expect(await configurations.usingDestination("demo", "no-such-destination")).toEqual([]);
  });
});
