import { SchemaRegistry, SchemaType } from "@kafkajs/confluent-schema-registry";

export type CompatibilityLevel =
  | "BACKWARD"
  | "BACKWARD_TRANSITIVE"
  | "FORWARD"
  | "FORWARD_TRANSITIVE"
  | "FULL"
  | "FULL_TRANSITIVE"
  | "NONE";

/**
 * The Confluent client library over a Confluent-compatible registry (Apicurio's `/apis/ccompat/v7` here),
 * with registration made to work the same on both.
 *
 * Why: for a subject that exists but has no subject-level compatibility, Confluent answers
 * `GET /config/{subject}` with 404, while Apicurio answers 200 `{"compatibilityLevel":"NONE"}` even though
 * its global BACKWARD rule still applies. The library reads that NONE as a mismatch and refuses to register
 * (`Compatibility does not match the configuration`). Setting the level on the subject first (an idempotent
 * PUT) makes both registries report and enforce the level we ask for.
 */
export class SchemaRegistryClient {
  readonly library: SchemaRegistry;
  readonly #baseUrl: string;

  constructor(baseUrl: string) {
    this.#baseUrl = baseUrl.replace(/\/$/, "");
    this.library = new SchemaRegistry({ host: this.#baseUrl });
  }

  /** Registers an Avro schema under `subject` (or finds it registered) and returns its id. */
  async registerAvro(subject: string, schema: object, compatibility: CompatibilityLevel): Promise<number> {
    await this.setSubjectCompatibility(subject, compatibility);
    const { id } = await this.library.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
      { subject, compatibility: compatibility as never },
    );
    return id;
  }

  async setSubjectCompatibility(subject: string, compatibility: CompatibilityLevel): Promise<void> {
    const res = await fetch(`${this.#baseUrl}/config/${encodeURIComponent(subject)}`, {
      method: "PUT",
      headers: { "content-type": "application/vnd.schemaregistry.v1+json" },
      body: JSON.stringify({ compatibility }),
    });
    if (!res.ok) {
      throw new Error(
        `registry refused compatibility ${compatibility} for ${subject}: ${res.status} ${await res.text()}`,
      );
    }
  }

  encode(schemaId: number, value: unknown): Promise<Buffer> {
    return this.library.encode(schemaId, value);
  }

  decode(buffer: Buffer): Promise<unknown> {
    return this.library.decode(buffer);
  }
}
