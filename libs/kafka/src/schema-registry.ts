import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { isConnectionError, PermanentError, TransientError } from "@flyt/errors";
import { avroType, logicalTypes } from "@flyt/schemas";
import { COMPATIBILITY, SchemaRegistry, SchemaType } from "@kafkajs/confluent-schema-registry";
import type avro from "avsc";
import { httpJson } from "./http-json";
import { type TopicDefinition, valueSubject } from "./topic";

type Resolver = ReturnType<avro.Type["createResolver"]>;

export type CompatibilityLevel = keyof typeof COMPATIBILITY;

/** A value that is not in the Confluent wire format, or that its writer schema cannot read. */
export class UndecodableMessageError extends PermanentError {}

/** The registry did not answer or refused a request; worth retrying. */
export class SchemaRegistryUnavailableError extends TransientError {}

const MAGIC_BYTE = 0;
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Avro values in the Confluent wire format (magic byte 0, 4-byte schema id, Avro binary) through a
 * Confluent-compatible registry (Apicurio's `/apis/ccompat/v7` here). Schema ids and parsed types are cached;
 * reading resolves the writer's schema into the reader's, so consumers survive compatible schema changes.
 *
 * Registration sets the subject's compatibility explicitly first. Why: for a subject without subject-level
 * config Confluent answers `GET /config/{subject}` with 404, Apicurio with 200 `NONE` (while still enforcing
 * its global rule); the Confluent client library takes that NONE for a mismatch and refuses to register.
 */
export class SchemaRegistryClient {
  readonly library: SchemaRegistry;
  readonly #baseUrl: string;
  readonly #ids = new Map<string, Promise<number>>();
  readonly #readers = new Map<object, avro.Type>();
  readonly #resolvers = new Map<avro.Type, Map<number, Resolver>>();

  constructor(baseUrl: string) {
    this.#baseUrl = baseUrl.replace(/\/$/, "");
    // No keep-alive: Apicurio closes idle connections, and a request written to one it has just closed either
    // fails ("socket hang up") or waits forever; both were seen in CI. Registry calls are rare (all cached).
    const agent = this.#baseUrl.startsWith("https:")
      ? new HttpsAgent({ keepAlive: false, timeout: REQUEST_TIMEOUT_MS })
      : new HttpAgent({ keepAlive: false, timeout: REQUEST_TIMEOUT_MS });
    this.library = new SchemaRegistry(
      { host: this.#baseUrl, agent },
      { [SchemaType.AVRO]: { logicalTypes } },
    );
  }

  /** Registers an Avro schema under `subject` (or finds it registered) and returns its id. */
  async registerAvro(subject: string, schema: object, compatibility: CompatibilityLevel): Promise<number> {
    // Both steps are idempotent, so a request lost to a reset connection is simply sent again.
    return retryOnConnectionFailure(async () => {
      await this.setSubjectCompatibility(subject, compatibility);
      const { id } = await withDeadline(
        this.library.register(
          { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
          { subject, compatibility: COMPATIBILITY[compatibility] },
        ),
        `registering ${subject}`,
      );
      return id;
    });
  }

  async setSubjectCompatibility(subject: string, compatibility: CompatibilityLevel): Promise<void> {
    const answer = await httpJson("PUT", `${this.#baseUrl}/config/${encodeURIComponent(subject)}`, {
      body: { compatibility },
      contentType: "application/vnd.schemaregistry.v1+json",
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
    if (answer.status !== 200) {
      throw new SchemaRegistryUnavailableError(
        `registry refused compatibility ${compatibility} for ${subject}: ${answer.status} ${answer.body}`,
      );
    }
  }

  /**
   * The id of the exact schema a topic is written with. `register` registers it when missing (local runs and
   * tests); otherwise it must have been registered by the deployment (`npm run topics:deploy`).
   */
  schemaIdFor(topic: TopicDefinition, options: { register: boolean }): Promise<number> {
    const subject = valueSubject(topic);
    let id = this.#ids.get(subject);
    if (!id) {
      const schema = requireSchema(topic);
      const lookup = options.register
        ? this.registerAvro(subject, schema, "BACKWARD")
        : withDeadline(
            this.library.getRegistryIdBySchema(subject, {
              type: SchemaType.AVRO,
              schema: JSON.stringify(schema),
            }),
            `looking up ${subject}`,
          );
      id = lookup.catch((error: unknown) => {
        this.#ids.delete(subject);
        if (
          (error as { status?: number }).status === 404 ||
          /not found/i.test((error as Error).message ?? "")
        ) {
          // A deployment that did not register the schema: retrying cannot help.
          throw new PermanentError(`schema for ${subject} is not registered (npm run topics:deploy)`, {
            cause: error,
          });
        }
        throw new SchemaRegistryUnavailableError(`no schema id for ${subject}`, { cause: error });
      });
      this.#ids.set(subject, id);
    }
    return id;
  }

  /** Encodes `value` with the topic's schema under the given id. Throws on a value the schema refuses. */
  encode(topic: TopicDefinition, schemaId: number, value: unknown): Buffer {
    const type = this.#readerType(requireSchema(topic));
    const header = Buffer.alloc(5);
    header.writeUInt8(MAGIC_BYTE, 0);
    header.writeInt32BE(schemaId, 1);
    return Buffer.concat([header, type.toBuffer(value)]);
  }

  /** Decodes a wire-format value into the shape of `readerSchema`. */
  async decode<T>(buffer: Buffer | null, readerSchema: object): Promise<T> {
    const decoded = this.decodeIfKnown<T>(buffer, readerSchema);
    if (decoded !== NOT_YET_KNOWN) return decoded;
    const schemaId = (buffer as Buffer).readInt32BE(1);
    const reader = this.#readerType(readerSchema);
    return decodeWith<T>(reader, await this.#resolver(reader, schemaId), buffer as Buffer, schemaId);
  }

  /**
   * Decodes without waiting when the writer's schema is already known (nearly always, after the first
   * message of a schema); otherwise answers NOT_YET_KNOWN and `decode` fetches the schema.
   */
  decodeIfKnown<T>(buffer: Buffer | null, readerSchema: object): T | typeof NOT_YET_KNOWN {
    if (!buffer || buffer.length < 5 || buffer.readUInt8(0) !== MAGIC_BYTE) {
      throw new UndecodableMessageError("value is not in the Confluent wire format");
    }
    const schemaId = buffer.readInt32BE(1);
    const reader = this.#readerType(readerSchema);
    const resolver = this.#resolvers.get(reader)?.get(schemaId);
    return resolver ? decodeWith<T>(reader, resolver, buffer, schemaId) : NOT_YET_KNOWN;
  }

  #readerType(schema: object): avro.Type {
    let type = this.#readers.get(schema);
    if (!type) {
      type = avroType(schema);
      this.#readers.set(schema, type);
    }
    return type;
  }

  async #resolver(reader: avro.Type, schemaId: number): Promise<Resolver> {
    let byWriter = this.#resolvers.get(reader);
    if (!byWriter) {
      byWriter = new Map();
      this.#resolvers.set(reader, byWriter);
    }
    const cached = byWriter.get(schemaId);
    if (cached) return cached;
    let writer: avro.Type;
    try {
      writer = (await withDeadline(
        this.library.getSchema(schemaId),
        `fetching schema ${schemaId}`,
      )) as unknown as avro.Type;
    } catch (error) {
      if ((error as { status?: number }).status === 404) {
        throw new UndecodableMessageError(`schema ${schemaId} is not in the registry`, { cause: error });
      }
      throw new SchemaRegistryUnavailableError(`could not fetch schema ${schemaId}`, { cause: error });
    }
    let resolver: Resolver;
    try {
      resolver = reader.createResolver(writer);
    } catch (error) {
      throw new UndecodableMessageError(
        `schema ${schemaId} cannot be read as ${reader.name ?? "the reader"}`,
        {
          cause: error,
        },
      );
    }
    byWriter.set(schemaId, resolver);
    return resolver;
  }
}

/**
 * The client library sets no deadline of its own (its agent's socket timeout only emits an event), and a
 * pending lookup is cached: without this, one hung request would hold up every later publish.
 */
function withDeadline<T>(work: Promise<T>, what: string, ms = REQUEST_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(Object.assign(new Error(`registry did not answer in time: ${what}`), { code: "ETIMEDOUT" })),
      ms,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Tries again, up to three times, when the connection failed; any answer from the registry stands. */
async function retryOnConnectionFailure<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const connectionFailed =
        isConnectionError(error) ||
        /socket hang up|did not answer in time/.test((error as Error)?.message ?? "");
      if (!connectionFailed || attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

export const NOT_YET_KNOWN: unique symbol = Symbol("schema not yet known");

function decodeWith<T>(reader: avro.Type, resolver: Resolver, buffer: Buffer, schemaId: number): T {
  try {
    return reader.fromBuffer(buffer.subarray(5), resolver) as T;
  } catch (error) {
    throw new UndecodableMessageError(`value does not decode with schema ${schemaId}`, { cause: error });
  }
}

function requireSchema(topic: TopicDefinition): object {
  if (!topic.valueSchema) throw new Error(`topic ${topic.topic} has no value schema`);
  return topic.valueSchema;
}
