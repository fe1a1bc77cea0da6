import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { uniqueName } from "@flyt/testing";
import { describe, expect, it } from "vitest";
import type { CodeToCheck } from "../destination-check";
import { arkivsak, closeFakeAfterEach, driverOptionsFor, setUp } from "./noark5.fixtures";
import { createNoark5Driver } from "./noark5-driver";

// The connection check of a Noark 5 destination, against the fake: reads only, stops at the first step that
// fails, and names every configured code the archive cannot take.

closeFakeAfterEach();

const code = (field: CodeToCheck["field"], value: string): CodeToCheck => ({
  field,
  value,
  usedBy: ["byggesak"],
});

const configured: CodeToCheck[] = [
  code("arkivdel", "SAK"),
  code("klassifikasjonssystem", "GBNR"),
  code("saksstatus", "B"),
  code("journalstatus", "J"),
  code("dokumentstatus", "F"),
  code("dokumenttype", "B"),
  code("tilgangsrestriksjon", "13"),
  code("administrativEnhet", "Plan og bygg"),
];

describe("Noark 5 connection check", () => {
  it("passes every step for a destination whose codes the archive knows, and writes nothing", async () => {
    const { fake, driver } = await setUp();
    await driver.createCase(arkivsak(), uniqueName("sub"));
    const before = fake.requests.length;
    const result = await driver.check?.(configured);

    expect(result?.unknownCodes).toEqual([]);
    expect(result?.steps.map((step) => [step.step, step.ok])).toEqual([
      ["reach", true],
      ["authenticate", true],
      ["code-lists", true],
      ["codes", true],
    ]);
    expect(result?.steps[0]?.detail).toMatch(/oidc/);
    expect(result?.steps[2]?.detail).toMatch(/protokollversjon 1\.1, bulkgrense 157286400/);
    expect(result?.steps[3]?.detail).toMatch(/administrativEnhet "Plan og bygg" \(free text/);
    const asked = fake.requests.slice(before);
    expect(asked.filter((request) => request.method !== "GET" && request.operation !== "token")).toEqual([]);
    expect(fake.saksmapper()).toHaveLength(1);
  });

  it("names each code the archive does not know, or that is outdated, or that Noark 5 has no place for", async () => {
    const { driver } = await setUp({
      arkivdeler: [
        { tittel: "SAK", klassifikasjonssystemer: ["GBNR"] },
        { tittel: "ARKIV", writable: false },
        { tittel: "DOBBEL" },
        { tittel: "DOBBEL" },
        { tittel: "PERSONAL" },
      ],
      codeLists: { tilgangsrestriksjon: [{ kode: "13", utdatert: "2020-01-01T00:00:00Z" }] },
    });
    const result = await driver.check?.([
      code("arkivdel", "SAK"),
      code("arkivdel", "UKJENT"),
      code("arkivdel", "ARKIV"),
      code("arkivdel", "DOBBEL"),
      code("klassifikasjonssystem", "ORGNR"),
      code("saksstatus", "Q"),
      code("tilgangsrestriksjon", "13"),
      code("saksmappetype", "BYGG"),
      code("tilgangsgruppe", "Eiendom"),
    ]);
    expect(result?.steps.map((step) => [step.step, step.ok])).toEqual([
      ["reach", true],
      ["authenticate", true],
      ["code-lists", true],
      ["codes", false],
    ]);
    expect(result?.unknownCodes.map((unknown) => [unknown.field, unknown.value, unknown.why])).toEqual([
      ["arkivdel", "UKJENT", expect.stringMatching(/no arkivdel titled "UKJENT"/)],
      ["arkivdel", "ARKIV", expect.stringMatching(/may not create saksmapper/)],
      ["arkivdel", "DOBBEL", expect.stringMatching(/2 arkivdeler/)],
      ["klassifikasjonssystem", "ORGNR", expect.stringMatching(/no klassifikasjonssystem "ORGNR"/)],
      ["saksstatus", "Q", expect.stringMatching(/not in the archive's code list saksstatus/)],
      ["tilgangsrestriksjon", "13", expect.stringMatching(/outdated since 2020/)],
      ["saksmappetype", "BYGG", expect.stringMatching(/mappetype was removed/)],
      ["tilgangsgruppe", "Eiendom", expect.stringMatching(/no tilgangsgruppe/)],
    ]);
    expect(result?.unknownCodes[0]?.usedBy).toEqual(["byggesak"]);
  });

  it("fails the code lists when the archive lacks Flyt's business metadata fields, or a code Flyt always sends", async () => {
    const { driver } = await setUp({
      businessMetadataFields: ["vnd-flyt-v1:eksternid"],
      codeLists: { variantformat: [{ kode: "P" }] },
    });
    const result = await driver.check?.(configured);
    const step = result?.steps.at(-1);
    expect(step).toMatchObject({ step: "code-lists", ok: false });
    expect(step?.detail).toMatch(/vnd-flyt-v1:fullfoert is not in the archive's catalogue/);
    expect(step?.detail).toMatch(/A: not in the archive's code list variantformat/);
  });

  it("finds an arkivdel whose saksmappe template takes no business metadata, the default one too", async () => {
    const { driver } = await setUp({ businessMetadataOn: ["journalpost"] });
    const result = await driver.check?.([code("arkivdel", "SAK")]);
    const why = expect.stringMatching(/saksmappe template shows no virksomhetsspesifikkeMetadata/);
    expect(result?.unknownCodes.map((unknown) => [unknown.value, unknown.usedBy, unknown.why])).toEqual([
      ["SAK", ["byggesak"], why],
      ["PERSONAL", ["(the destination's default arkivdel)"], why],
    ]);
  });

  it("fails the code lists when the journalpost template takes no business metadata", async () => {
    const { fake, driver } = await setUp({ businessMetadataOn: ["saksmappe"] });
    await driver.createCase(arkivsak(), uniqueName("sub"));
    const result = await createNoark5Driver(driverOptionsFor(fake)).check?.(configured);
    expect(result?.steps.at(-1)).toMatchObject({
      step: "code-lists",
      ok: false,
      detail: expect.stringMatching(/^the journalpost template shows no virksomhetsspesifikkeMetadata/),
    });
  });

  it("stops at authentication when the archive refuses the client's credentials", async () => {
    const { fake } = await setUp();
    const wrong = createNoark5Driver({
      ...driverOptionsFor(fake),
      oauth: { clientId: fake.clientId, clientSecret: "wrong" },
    });
    const result = await wrong.check?.(configured);
    expect(result?.steps.map((step) => [step.step, step.ok])).toEqual([
      ["reach", true],
      ["authenticate", false],
    ]);
    expect(result?.steps[1]?.detail).toMatch(/refused the client/);
    expect(result?.unknownCodes).toEqual([]);
  });

  it("stops at reach when the archive cannot be reached", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { fake } = await setUp();
    const unreachable = createNoark5Driver({
      ...driverOptionsFor(fake),
      baseUrl: `http://127.0.0.1:${port}/api/`,
    });
    const result = await unreachable.check?.(configured);
    expect(result?.steps).toEqual([
      { step: "reach", ok: false, detail: expect.stringMatching(/could not be reached/) },
    ]);
  });

  it("goes on with a configured token URL where the root wants a token, and says so", async () => {
    const { fake } = await setUp({ login: { rootNeedsToken: true } });
    const discovering = createNoark5Driver(driverOptionsFor(fake));
    expect((await discovering.check?.(configured))?.steps).toEqual([
      { step: "reach", ok: false, detail: expect.stringMatching(/token URL/) },
    ]);
    const configuredUrl = createNoark5Driver({
      ...driverOptionsFor(fake),
      oauth: { tokenUrl: fake.tokenUrl, clientId: fake.clientId, clientSecret: fake.clientSecret },
    });
    const result = await configuredUrl.check?.(configured);
    expect(result?.steps.map((step) => step.ok)).toEqual([true, true, true, true]);
    expect(result?.steps[0]?.detail).toMatch(/only with a token/);
    expect(result?.steps[1]?.detail).toMatch(/configured/);
  });
});
