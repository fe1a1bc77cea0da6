import { describe, expect, it } from "vitest";
import { z } from "zod";
import { brokerList, pipelineServiceSchema } from "./fields";
import { kafkaSecurityEnv, kafkaSecurityOf } from "./kafka-security";
import { ConfigError, parseConfig } from "./parse-config";

const CA = "-----BEGIN CERTIFICATE-----\nMIIB...ca\n-----END CERTIFICATE-----\n";
const CERT = "-----BEGIN CERTIFICATE-----\nMIIB...client\n-----END CERTIFICATE-----\n";
const KEY = "-----BEGIN PRIVATE KEY-----\nMIIE...key\n-----END PRIVATE KEY-----\n";

/** Files as a deployment mounts them; any other path does not exist. */
const mounted: Record<string, string> = {
  "/run/secrets/kafka-ca.pem": CA,
  "/run/secrets/kafka-client.pem": CERT,
  "/run/secrets/kafka-client.key": KEY,
  "/run/secrets/kafka-password": "s3cret-from-file\n",
  "/run/secrets/kafka-oauth-secret": "oauth-secret-from-file",
  "/run/secrets/not-a-certificate": "hello",
};
const readMounted = (path: string) => {
  const content = mounted[path];
  if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
  return content;
};

const schema = z
  .object({ KAFKA_BROKERS: brokerList, ...kafkaSecurityEnv })
  .transform((env, ctx) => kafkaSecurityOf(env, ctx, readMounted));
const security = (env: Record<string, string>) =>
  parseConfig(schema, { KAFKA_BROKERS: "kafka-1.flyt.internal:9093,kafka-2.flyt.internal:9093", ...env });
const problems = (env: Record<string, string>) => {
  try {
    security(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("accepted");
};

const scram = {
  KAFKA_SECURITY_PROTOCOL: "SASL_SSL",
  KAFKA_SASL_MECHANISM: "SCRAM-SHA-512",
  KAFKA_SASL_USERNAME: "flyt.gateway",
  KAFKA_SASL_PASSWORD_FILE: "/run/secrets/kafka-password",
  KAFKA_SSL_CA_FILE: "/run/secrets/kafka-ca.pem",
};

describe("kafkaSecurityOf", () => {
  it("is plaintext when nothing is set, to brokers on loopback as the local run's are", () => {
    const local = { KAFKA_BROKERS: "127.0.0.1:9092" };
    expect(security(local)).toBeUndefined();
    expect(security({ ...local, KAFKA_SECURITY_PROTOCOL: "", KAFKA_SSL_CA_FILE: "" })).toBeUndefined();
  });

  it("refuses plaintext to brokers off this machine unless the deployment vouches for its network", () => {
    expect(problems({})).toEqual([
      "KAFKA_SECURITY_PROTOCOL: plaintext to kafka-1.flyt.internal:9093, kafka-2.flyt.internal:9093: use SASL_SSL or SSL, or set KAFKA_ALLOW_PLAINTEXT=true where the network is the deployment's own",
    ]);
    expect(security({ KAFKA_ALLOW_PLAINTEXT: "true" })).toBeUndefined();
  });

  it("sends an OAUTHBEARER client's secret to a token endpoint over https only, or on this machine", () => {
    const oauth = {
      KAFKA_SECURITY_PROTOCOL: "SASL_SSL",
      KAFKA_SASL_MECHANISM: "OAUTHBEARER",
      KAFKA_SASL_OAUTHBEARER_CLIENT_ID: "flyt-gateway",
      KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET: "s3cret",
    };
    expect(
      problems({ ...oauth, KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL: "http://idp.example/token" }),
    ).toEqual(["KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL: the client's secret goes there: https only"]);
    expect(
      security({ ...oauth, KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL: "http://127.0.0.1:8090/token" })?.sasl,
    ).toMatchObject({ mechanism: "oauthbearer", tokenEndpoint: "http://127.0.0.1:8090/token" });
  });

  it("reads TLS with SCRAM, the secret from its mounted file without the file's newline", () => {
    expect(security({ ...scram, KAFKA_SSL_SERVERNAME: "kafka.flyt.internal" })).toEqual({
      tls: { ca: CA, servername: "kafka.flyt.internal" },
      sasl: { mechanism: "scram-sha-512", username: "flyt.gateway", password: "s3cret-from-file" },
    });
  });

  it("reads mutual TLS without SASL, and TLS to publicly trusted brokers without a CA file", () => {
    expect(
      security({
        KAFKA_SECURITY_PROTOCOL: "SSL",
        KAFKA_SSL_CA_FILE: "/run/secrets/kafka-ca.pem",
        KAFKA_SSL_CERT_FILE: "/run/secrets/kafka-client.pem",
        KAFKA_SSL_KEY_FILE: "/run/secrets/kafka-client.key",
      }),
    ).toEqual({ tls: { ca: CA, cert: CERT, key: KEY } });
    expect(security({ KAFKA_SECURITY_PROTOCOL: "SSL" })).toEqual({ tls: {} });
  });

  it("reads OAUTHBEARER with client credentials against a token endpoint", () => {
    expect(
      security({
        KAFKA_SECURITY_PROTOCOL: "SASL_SSL",
        KAFKA_SASL_MECHANISM: "OAUTHBEARER",
        KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL: "https://login.example/tenant/oauth2/v2.0/token",
        KAFKA_SASL_OAUTHBEARER_CLIENT_ID: "flyt-gateway",
        KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET_FILE: "/run/secrets/kafka-oauth-secret",
        KAFKA_SASL_OAUTHBEARER_SCOPE: "api://kafka/.default",
      }),
    ).toEqual({
      tls: {},
      sasl: {
        mechanism: "oauthbearer",
        tokenEndpoint: "https://login.example/tenant/oauth2/v2.0/token",
        clientId: "flyt-gateway",
        clientSecret: "oauth-secret-from-file",
        scope: "api://kafka/.default",
      },
    });
  });

  it("refuses settings the protocol does not use: a half configuration is not silently plaintext", () => {
    expect(
      problems({ KAFKA_SSL_CA_FILE: "/run/secrets/kafka-ca.pem", KAFKA_SASL_USERNAME: "flyt.gateway" }),
    ).toEqual([
      expect.stringMatching(/^KAFKA_SECURITY_PROTOCOL: plaintext to /),
      "KAFKA_SSL_CA_FILE: is a TLS setting, and KAFKA_SECURITY_PROTOCOL is PLAINTEXT",
      "KAFKA_SASL_USERNAME: is a SASL setting, and KAFKA_SECURITY_PROTOCOL is PLAINTEXT",
    ]);
    expect(problems({ KAFKA_SECURITY_PROTOCOL: "SSL", KAFKA_SASL_MECHANISM: "SCRAM-SHA-512" })).toEqual([
      "KAFKA_SASL_MECHANISM: is a SASL setting, and KAFKA_SECURITY_PROTOCOL is SSL",
    ]);
  });

  it("refuses SASL without its mechanism, username or password, naming each", () => {
    expect(problems({ KAFKA_SECURITY_PROTOCOL: "SASL_SSL" })).toEqual([
      "KAFKA_SASL_MECHANISM: SASL_SSL needs one: SCRAM-SHA-256, SCRAM-SHA-512, PLAIN or OAUTHBEARER",
    ]);
    expect(problems({ KAFKA_SECURITY_PROTOCOL: "SASL_SSL", KAFKA_SASL_MECHANISM: "SCRAM-SHA-256" })).toEqual([
      "KAFKA_SASL_USERNAME: SCRAM-SHA-256 needs it",
      "KAFKA_SASL_PASSWORD: SCRAM-SHA-256 needs a password: set KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE",
    ]);
    expect(problems({ ...scram, KAFKA_SASL_PASSWORD: "also-inline" })).toEqual([
      "KAFKA_SASL_PASSWORD_FILE: set either KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE, not both",
    ]);
    expect(problems({ ...scram, KAFKA_SASL_OAUTHBEARER_CLIENT_ID: "x" })).toEqual([
      "KAFKA_SASL_OAUTHBEARER_CLIENT_ID: is for OAUTHBEARER; KAFKA_SASL_MECHANISM is SCRAM-SHA-512",
    ]);
  });

  it("refuses files that cannot be read or hold the wrong thing, and a certificate without its key", () => {
    expect(
      problems({
        ...scram,
        KAFKA_SSL_CA_FILE: "/run/secrets/missing-ca.pem",
        KAFKA_SSL_CERT_FILE: "/run/secrets/not-a-certificate",
        KAFKA_SASL_PASSWORD_FILE: "/run/secrets/missing-password",
      }),
    ).toEqual([
      "KAFKA_SSL_CA_FILE: cannot read /run/secrets/missing-ca.pem (ENOENT)",
      "KAFKA_SSL_CERT_FILE: /run/secrets/not-a-certificate holds no PEM certificate",
      "KAFKA_SSL_KEY_FILE: a client certificate needs its key: set both KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE",
      "KAFKA_SASL_PASSWORD_FILE: cannot read /run/secrets/missing-password (ENOENT)",
      "KAFKA_SASL_PASSWORD: SCRAM-SHA-512 needs a password: set KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE",
    ]);
  });

  it("refuses SASL without TLS unless every broker is on loopback, and PLAIN or OAUTHBEARER without TLS at all", () => {
    const plaintextScram = {
      KAFKA_SECURITY_PROTOCOL: "SASL_PLAINTEXT",
      KAFKA_SASL_MECHANISM: "SCRAM-SHA-512",
      KAFKA_SASL_USERNAME: "flyt.gateway",
      KAFKA_SASL_PASSWORD: "s3cret",
    };
    expect(problems(plaintextScram)).toEqual([
      "KAFKA_SECURITY_PROTOCOL: SASL_PLAINTEXT is for brokers on loopback only; kafka-1.flyt.internal:9093, kafka-2.flyt.internal:9093 needs SASL_SSL",
    ]);
    expect(security({ ...plaintextScram, KAFKA_BROKERS: "127.0.0.1:9092,localhost:9094" })).toEqual({
      sasl: { mechanism: "scram-sha-512", username: "flyt.gateway", password: "s3cret" },
    });
    expect(
      problems({ ...plaintextScram, KAFKA_SASL_MECHANISM: "PLAIN", KAFKA_BROKERS: "127.0.0.1:9092" }),
    ).toEqual(["KAFKA_SECURITY_PROTOCOL: PLAIN sends the secret itself: only over TLS (SASL_SSL)"]);
    expect(
      problems({
        ...plaintextScram,
        KAFKA_SSL_CA_FILE: "/run/secrets/kafka-ca.pem",
        KAFKA_BROKERS: "127.0.0.1:9092",
      }),
    ).toEqual(["KAFKA_SSL_CA_FILE: is a TLS setting, and KAFKA_SECURITY_PROTOCOL is SASL_PLAINTEXT"]);
  });

  it("is read by every pipeline service's schema, refusing a CA file it cannot read at start-up", () => {
    const refused = () =>
      parseConfig(pipelineServiceSchema("validation", 8091), {
        KAFKA_BROKERS: "kafka:9093",
        SCHEMA_REGISTRY_URL: "http://registry:8080/apis/ccompat/v7",
        DATABASE_URL: "postgres://flyt@db:5432/flyt",
        KAFKA_SECURITY_PROTOCOL: "SSL",
        KAFKA_SSL_CA_FILE: "/nonexistent/flyt-test/kafka-ca.pem",
      });
    expect(refused).toThrow(ConfigError);
    expect(refused).toThrow(
      /KAFKA_SSL_CA_FILE: cannot read \/nonexistent\/flyt-test\/kafka-ca.pem \(ENOENT\)/,
    );
  });
});
