import { randomBytes } from "node:crypto";
import { brokerList, type KafkaSecurity, kafkaSecurityEnv, kafkaSecurityOf, parseConfig } from "@flyt/config";
import { createKafka, kafkaHealthCheck } from "@flyt/kafka";
import { createLogger } from "@flyt/logging";
import { type RunningAuthorizationServer, startAuthorizationServer } from "@flyt/oauth-server";
import { type SecuredKafka, startSecuredKafka } from "@flyt/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { applyAcls, catalogueAcls } from "./acls";
import { topicCatalogue } from "./catalogue";
import { provisionTopics } from "./provision";

// A broker of its own that authenticates and authorizes as production does (SASL_SSL with SCRAM-SHA-512 and
// OAUTHBEARER, a mutual-TLS listener, ACLs enforced), reached only through the services' own path: environment →
// kafkaSecurityOf → createKafka. The catalogue's ACLs are applied by a super user, the topics created by the
// deployment principal, and each service principal may do what the catalogue says and nothing else.

const logger = createLogger({ service: "secured-kafka-test", level: "silent" });
const secret = () => randomBytes(12).toString("hex");
const passwords: Record<string, string> = {
  "flyt.admin": secret(),
  "flyt.deploy": secret(),
  "flyt.gateway": secret(),
  "flyt.validation": secret(),
};
/** OAUTHBEARER client: the principal is its token's `sub`, its client id. */
const oauthClient = { clientId: "flyt-status-projection-oauth", clientSecret: secret() };
const AUDIENCE = "urn:flyt:kafka:test";
const topics = topicCatalogue();

let oauth: RunningAuthorizationServer;
let broker: SecuredKafka;

/** The security a service would run with, from its environment, exactly as its config.ts reads it. */
function securityFrom(env: Record<string, string>, brokers: readonly string[]): KafkaSecurity | undefined {
  const schema = z
    .object({ KAFKA_BROKERS: brokerList, ...kafkaSecurityEnv })
    .transform((parsed, ctx) => kafkaSecurityOf(parsed, ctx));
  return parseConfig(schema, { KAFKA_BROKERS: brokers.join(","), ...env });
}

const scram = (user: string, password = passwords[user] as string) => ({
  KAFKA_SECURITY_PROTOCOL: "SASL_SSL",
  KAFKA_SSL_CA_FILE: broker.files.ca,
  KAFKA_SASL_MECHANISM: "SCRAM-SHA-512",
  KAFKA_SASL_USERNAME: user,
  KAFKA_SASL_PASSWORD: password,
});

function kafkaAs(env: Record<string, string>, brokers: readonly string[] = broker.brokers) {
  return createKafka({
    clientId: "flyt.secured-test",
    brokers,
    security: securityFrom(env, brokers),
    logger,
  });
}

/** Whether a client with this environment gets an answer from the cluster (the readiness check's one try). */
async function accepted(env: Record<string, string>, brokers: readonly string[] = broker.brokers) {
  const health = kafkaHealthCheck({
    clientId: "flyt.secured-test",
    brokers,
    security: securityFrom(env, brokers),
  });
  try {
    await health.check(AbortSignal.timeout(10_000));
    return "accepted";
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  } finally {
    await health.close();
  }
}

async function publish(env: Record<string, string>, topic: string, value: string, brokers = broker.brokers) {
  // Idempotent, one request in flight: as EventProducer produces.
  const producer = kafkaAs(env, brokers).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ key: "k", value }] });
  } finally {
    await producer.disconnect();
  }
}

beforeAll(async () => {
  oauth = await startAuthorizationServer({ audience: AUDIENCE, clients: [oauthClient] });
  broker = await startSecuredKafka({
    scramUsers: passwords,
    superUsers: ["User:flyt.admin"],
    oauth: { issuer: oauth.issuer, jwksUri: oauth.jwksUri, audience: AUDIENCE },
    logger,
  });
  const admin = kafkaAs(scram("flyt.admin")).admin();
  await admin.connect();
  try {
    await applyAcls(
      admin,
      catalogueAcls({
        principals: {
          "status-projection": `User:${oauthClient.clientId}`,
          "archive-adapter": "User:flyt.mtls-client",
        },
      }),
    );
  } finally {
    await admin.disconnect();
  }
  // The deployment principal creates the topics with its ACLs alone, as npm run topics:deploy does.
  const deploy = kafkaAs(scram("flyt.deploy")).admin();
  await deploy.connect();
  try {
    await provisionTopics(
      deploy,
      [
        topics.submissionReceived,
        topics.submissionValidated,
        topics.submissionCompleted,
        topics.archiveCompleted,
      ],
      logger,
    );
  } finally {
    await deploy.disconnect();
  }
}, 120_000);

afterAll(async () => {
  await broker?.stop();
  await oauth?.stop();
});

describe("TLS with SCRAM-SHA-512", () => {
  it("carries a submission from the gateway's principal to validation's consumer group", async () => {
    const value = `received-${secret()}`;
    await publish(scram("flyt.gateway"), topics.submissionReceived.topic, value);

    const consumer = kafkaAs(scram("flyt.validation")).consumer({ groupId: "flyt.validation" });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: topics.submissionReceived.topic, fromBeginning: true });
      const read = new Promise<string>((resolve) => {
        void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) });
      });
      expect(await read).toBe(value);
    } finally {
      await consumer.disconnect();
    }
  });

  it("refuses a client without credentials, with a wrong password, without TLS, or trusting another CA", async () => {
    const { KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, ...tlsOnly } =
      scram("flyt.gateway");
    const { KAFKA_SSL_CA_FILE, ...systemCas } = scram("flyt.gateway");
    expect(await accepted(scram("flyt.gateway"))).toBe("accepted");
    // Each refusal is the broker's own (it closes the connection, or the handshake fails), never a timeout.
    expect(await accepted({ ...tlsOnly, KAFKA_SECURITY_PROTOCOL: "SSL" })).toBe("refused: Closed connection");
    expect(await accepted(scram("flyt.gateway", "not-the-password"))).toMatch(
      /^refused: .*authentication failed/i,
    );
    expect(await accepted({})).toBe("refused: Closed connection");
    // SCRAM without TLS, as only a loopback broker may be asked: the TLS listener does not take it.
    expect(
      await accepted({
        ...scram("flyt.gateway"),
        KAFKA_SECURITY_PROTOCOL: "SASL_PLAINTEXT",
        KAFKA_SSL_CA_FILE: "",
      }),
    ).toBe("refused: Closed connection");
    expect(await accepted(systemCas)).toMatch(
      /^refused: Connection error: unable to verify the first certificate/,
    );
  });

  it("lets a principal write only what the catalogue says it produces", async () => {
    // The finding: anyone who reached the brokers could publish a submission.received for any county.
    await expect(
      publish(scram("flyt.validation"), topics.submissionReceived.topic, "forged"),
    ).rejects.toThrow(/not authorized|authorization failed/i);
    await expect(publish(scram("flyt.gateway"), topics.submissionValidated.topic, "forged")).rejects.toThrow(
      /not authorized|authorization failed/i,
    );
  });
});

describe("OAUTHBEARER with client credentials", () => {
  const bearer = (clientSecret: string) => ({
    KAFKA_SECURITY_PROTOCOL: "SASL_SSL",
    KAFKA_SSL_CA_FILE: broker.files.ca,
    KAFKA_SASL_MECHANISM: "OAUTHBEARER",
    KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL: oauth.tokenEndpoint,
    KAFKA_SASL_OAUTHBEARER_CLIENT_ID: oauthClient.clientId,
    KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET: clientSecret,
  });

  it("authenticates with a token the broker checks against the issuer's keys, as the token's subject", async () => {
    await publish(bearer(oauthClient.clientSecret), topics.submissionCompleted.topic, "completed");
    await expect(
      publish(bearer(oauthClient.clientSecret), topics.submissionReceived.topic, "forged"),
    ).rejects.toThrow(/not authorized|authorization failed/i);
  });

  it("is refused when the token endpoint refuses the client, or the token is another issuer's", async () => {
    expect(await accepted(bearer("wrong-secret"))).toMatch(/^refused: .*401/);
    // Same client, same audience, from an issuer the broker does not trust: its keys sign nothing the broker takes.
    const stranger = await startAuthorizationServer({ audience: AUDIENCE, clients: [oauthClient] });
    try {
      expect(
        await accepted({
          ...bearer(oauthClient.clientSecret),
          KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL: stranger.tokenEndpoint,
        }),
      ).toMatch(/^refused: (No brokers in the broker pool|.*authentication failed)/i);
    } finally {
      await stranger.stop();
    }
  });
});

describe("mutual TLS", () => {
  const mutual = (withCertificate: boolean) => ({
    KAFKA_SECURITY_PROTOCOL: "SSL",
    KAFKA_SSL_CA_FILE: broker.files.ca,
    ...(withCertificate
      ? { KAFKA_SSL_CERT_FILE: broker.files.clientCert, KAFKA_SSL_KEY_FILE: broker.files.clientKey }
      : {}),
  });

  it("authenticates by the client certificate, and refuses a client without one", async () => {
    await publish(mutual(true), topics.archiveCompleted.topic, "archived", broker.mutualTlsBrokers);
    expect(await accepted(mutual(false), broker.mutualTlsBrokers)).toMatch(/^refused: .*bad certificate/);
  });
});
