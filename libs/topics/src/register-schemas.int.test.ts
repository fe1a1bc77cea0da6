// The registry's own compatibility check, beside the local one in schemas/: every released version of every
// schema is registered in order under a fresh subject, then the current schema must be accepted.
import { httpJson, SchemaRegistryClient, valueSubject } from "@flyt/kafka";
import { loadCurrentSchemas, loadReleasedVersions } from "@flyt/schemas/files";
import { testInfra, uniqueName } from "@flyt/testing";
import { describe, expect, it } from "vitest";
import { allTopics } from "./catalogue";
import { registerSchemas } from "./register-schemas";

const registryUrl = testInfra().schemaRegistryUrl;
const registry = new SchemaRegistryClient(registryUrl);
const current = await loadCurrentSchemas();

async function registryCompatibility(subject: string, schema: object): Promise<boolean> {
  const answer = await httpJson(
    "POST",
    `${registryUrl}/compatibility/subjects/${encodeURIComponent(subject)}/versions/latest`,
    { body: { schema: JSON.stringify(schema) }, contentType: "application/vnd.schemaregistry.v1+json" },
  );
  expect(answer.status).toBe(200);
  return (JSON.parse(answer.body) as { is_compatible: boolean }).is_compatible;
}

describe.each(current.map((file) => [file.name, file.schema] as const))("registry: %s", (name, schema) => {
  it("accepts the current schema after every released version (BACKWARD)", async () => {
    const subject = `${uniqueName(name)}-value`;
    for (const { schema: released } of await loadReleasedVersions(name)) {
      await registry.registerAvro(subject, released, "BACKWARD");
    }
    expect(await registryCompatibility(subject, schema)).toBe(true);
    await expect(registry.registerAvro(subject, schema, "BACKWARD")).resolves.toBeGreaterThan(0);
  });

  it("refuses a breaking change to it", async () => {
    const subject = `${uniqueName(name)}-value`;
    await registry.registerAvro(subject, schema, "BACKWARD");
    const breaking = {
      ...schema,
      fields: [...schema.fields, { name: "mandatoryNewField", type: "string", doc: "x" }],
    };
    expect(await registryCompatibility(subject, breaking)).toBe(false);
    await expect(registry.registerAvro(subject, breaking, "BACKWARD")).rejects.toMatchObject({ status: 409 });
  });
});

describe("registerSchemas", () => {
  it("registers a subject for every topic with a value schema, and again without change", async () => {
    const topics = allTopics({ namespace: uniqueName("reg") });
    const first = await registerSchemas(registry, topics);
    expect(first.map((entry) => entry.subject).sort()).toEqual(
      topics
        .filter((topic) => topic.valueSchema)
        .map(valueSubject)
        .sort(),
    );
    expect(await registerSchemas(registry, topics)).toEqual(first);
  });
});
