// Proof that tests talk to real infrastructure: Apicurio Registry through the Confluent client library,
// Kafka carrying the Confluent wire format, and knex migrations on Postgres.
import { Agent } from "node:http";
import { COMPATIBILITY, SchemaRegistry, SchemaType } from "@kafkajs/confluent-schema-registry";
import { Kafka, logLevel } from "kafkajs";
import knex, { type Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, testInfra, uniqueName } from "./index";

const caseV1 = {
  type: "record",
  name: "ProofCase",
  namespace: "no.flyt.test",
  fields: [
    { name: "submissionId", type: "string" },
    { name: "title", type: "string" },
  ],
};

describe("schema registry (Apicurio, Confluent-compatible API) and Kafka", () => {
  const infra = testInfra();
  // No keep-alive, as SchemaRegistryClient does: Apicurio closes idle connections (see libs/kafka).
  const registry = new SchemaRegistry({
    host: infra.schemaRegistryUrl,
    agent: new Agent({ keepAlive: false }),
  });

  it("registers an Avro schema, produces it in the Confluent wire format and decodes it back", async () => {
    const topic = uniqueName("flyt.proof.case-received.v1");
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(caseV1) },
      { subject: `${topic}-value`, compatibility: COMPATIBILITY.BACKWARD },
    );
    const value = { submissionId: "sub_01", title: "Erverv av grunn - gnr 12 bnr 4 (æøå)" };
    const encoded = await registry.encode(id, value);
    // Confluent wire format: magic byte 0, then the schema id as a 4-byte big-endian integer, then Avro.
    expect(encoded[0]).toBe(0);
    expect(encoded.readInt32BE(1)).toBe(id);

    const kafka = new Kafka({
      clientId: "flyt.proof",
      brokers: [...infra.kafkaBrokers],
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    const producer = kafka.producer({ idempotent: true });
    const consumer = kafka.consumer({ groupId: uniqueName("flyt.proof") });
    await Promise.all([admin.connect(), producer.connect(), consumer.connect()]);
    try {
      // Right after creation KRaft may briefly call the topic unknown (retriable): wait until it is usable.
      await vi.waitFor(
        () => admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }),
        {
          timeout: 10_000,
          interval: 250,
        },
      );
      await vi.waitFor(() => admin.fetchTopicMetadata({ topics: [topic] }), {
        timeout: 10_000,
        interval: 250,
      });
      await producer.send({ topic, acks: -1, messages: [{ key: value.submissionId, value: encoded }] });

      await consumer.subscribe({ topic, fromBeginning: true });
      const received = new Promise<{ raw: Buffer; decoded: unknown }>((resolve, reject) => {
        void consumer
          .run({
            eachMessage: async ({ message }) => {
              if (!message.value) return;
              resolve({ raw: message.value, decoded: await registry.decode(message.value) });
            },
          })
          .catch(reject);
      });
      const { raw, decoded } = await received;
      expect(raw.readInt32BE(1)).toBe(id);
      expect(decoded).toEqual(value);
    } finally {
      await Promise.all([consumer.disconnect(), producer.disconnect()]);
      await admin.disconnect();
    }
  });

  it("refuses a BACKWARD-incompatible change and accepts a compatible one", async () => {
    const subject = `${uniqueName("flyt.proof.compat.v1")}-value`;
    const first = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(caseV1) },
      { subject, compatibility: COMPATIBILITY.BACKWARD },
    );

    // A new required field without a default: consumers on the new schema cannot read old records.
    const incompatible = { ...caseV1, fields: [...caseV1.fields, { name: "caseNumber", type: "string" }] };
    await expect(
      registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(incompatible) },
        { subject, compatibility: COMPATIBILITY.BACKWARD },
      ),
    ).rejects.toMatchObject({ status: 409 });

    const compatible = {
      ...caseV1,
      fields: [...caseV1.fields, { name: "caseNumber", type: ["null", "string"], default: null }],
    };
    const second = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(compatible) },
      { subject, compatibility: COMPATIBILITY.BACKWARD },
    );
    expect(second.id).not.toBe(first.id);
    expect(await registry.getLatestSchemaId(subject)).toBe(second.id);
  });
});

describe("postgres through knex", () => {
  let db: Knex;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    db = knex({ client: "pg", connection: database.url });
  });

  afterAll(async () => {
    await db.destroy();
    await drop();
  });

  it("runs a migration, writes and reads back, and rolls it back", async () => {
    const migrations = {
      getMigrations: async () => ["20261123_create_proof_cases"],
      getMigrationName: (name: string) => name,
      getMigration: async () => ({
        up: (k: Knex) =>
          k.schema.createTable("proof_cases", (table) => {
            table.text("submission_id").primary();
            table.text("title").notNullable();
            table.timestamp("received_at", { useTz: true }).notNullable().defaultTo(k.fn.now());
          }),
        down: (k: Knex) => k.schema.dropTable("proof_cases"),
      }),
    };
    const [, applied] = await db.migrate.latest({ migrationSource: migrations });
    expect(applied).toEqual(["20261123_create_proof_cases"]);

    await db("proof_cases").insert({ submission_id: "sub_01", title: "Søknad om drosjeløyve" });
    const rows = await db("proof_cases").select("submission_id", "title", "received_at");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ submission_id: "sub_01", title: "Søknad om drosjeløyve" });
    expect(rows[0].received_at).toBeInstanceOf(Date);

    await db.migrate.rollback({ migrationSource: migrations });
    expect(await db.schema.hasTable("proof_cases")).toBe(false);
  });
});
