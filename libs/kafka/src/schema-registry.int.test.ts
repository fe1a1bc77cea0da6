import { testInfra, uniqueName } from "@flyt/testing";
import { SchemaType } from "@kafkajs/confluent-schema-registry";
import { describe, expect, it } from "vitest";
import { httpJson } from "./http-json";
import { SchemaRegistryClient } from "./schema-registry";

const recordV1 = {
  type: "record",
  name: "Probe",
  namespace: "no.flyt.test",
  fields: [{ name: "submissionId", type: "string" }],
};

/** Registers a schema the way another tool would: plain REST, no subject-level compatibility. */
async function registerWithoutSubjectConfig(registryUrl: string, subject: string, schema: object) {
  const answer = await httpJson("POST", `${registryUrl}/subjects/${encodeURIComponent(subject)}/versions`, {
    body: { schema: JSON.stringify(schema) },
    contentType: "application/vnd.schemaregistry.v1+json",
  });
  expect(answer.status).toBe(200);
}

describe("SchemaRegistryClient over Apicurio's Confluent-compatible API", () => {
  const { schemaRegistryUrl } = testInfra();

  it("shows the difference: the bare library refuses a subject that has no subject-level config", async () => {
    const subject = `${uniqueName("flyt.probe.bare.v1")}-value`;
    await registerWithoutSubjectConfig(schemaRegistryUrl, subject, recordV1);
    const client = new SchemaRegistryClient(schemaRegistryUrl);

    const config = await httpJson("GET", `${schemaRegistryUrl}/config/${encodeURIComponent(subject)}`);
    const body = JSON.parse(config.body) as { compatibilityLevel?: string };
    // Confluent would answer 404 here; if Apicurio ever does too, this adapter can go.
    expect({ status: config.status, level: body.compatibilityLevel }).toEqual({ status: 200, level: "NONE" });

    await expect(
      client.library.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(recordV1) },
        { subject, compatibility: "BACKWARD" as never },
      ),
    ).rejects.toThrow(/Compatibility does not match/);
  });

  it("registers such a subject with the level we ask for, and the registry then enforces it", async () => {
    const subject = `${uniqueName("flyt.probe.adapted.v1")}-value`;
    await registerWithoutSubjectConfig(schemaRegistryUrl, subject, recordV1);
    const client = new SchemaRegistryClient(schemaRegistryUrl);

    const id = await client.registerAvro(subject, recordV1, "BACKWARD");
    const config = await httpJson("GET", `${schemaRegistryUrl}/config/${encodeURIComponent(subject)}`);
    expect(JSON.parse(config.body)).toEqual({ compatibilityLevel: "BACKWARD" });

    const topic = {
      name: "probe",
      topic: subject.replace(/-value$/, ""),
      valueSchema: recordV1,
      key: "submission id",
      partitions: 1,
      retentionMs: -1,
      cleanupPolicy: "delete" as const,
    };
    const decoded = await client.decode(client.encode(topic, id, { submissionId: "sub_1" }), recordV1);
    expect(decoded).toEqual({ submissionId: "sub_1" });

    const breaking = { ...recordV1, fields: [...recordV1.fields, { name: "caseNumber", type: "string" }] };
    await expect(client.registerAvro(subject, breaking, "BACKWARD")).rejects.toMatchObject({ status: 409 });
  });

  it("is idempotent: registering the same schema again returns the same id", async () => {
    const subject = `${uniqueName("flyt.probe.again.v1")}-value`;
    const client = new SchemaRegistryClient(schemaRegistryUrl);
    const first = await client.registerAvro(subject, recordV1, "BACKWARD");
    expect(await client.registerAvro(subject, recordV1, "BACKWARD")).toBe(first);
  });
});
