import { readFileSync } from "node:fs";
import { z } from "zod";

/** How a Kafka client proves who it is and protects the connection; undefined: plaintext, no authentication. */
export interface KafkaSecurity {
  /** TLS to the brokers; without `ca`, the system's trusted CAs. */
  readonly tls?: {
    /** PEM: the CA (or CAs) the brokers' certificates are checked against. */
    readonly ca?: string;
    /** PEM client certificate and its key, when the brokers require mutual TLS. */
    readonly cert?: string;
    readonly key?: string;
    /** The name the brokers' certificates are checked for, when it is not the host in KAFKA_BROKERS. */
    readonly servername?: string;
  };
  readonly sasl?: KafkaSasl;
}

export type KafkaSasl =
  | {
      readonly mechanism: "plain" | "scram-sha-256" | "scram-sha-512";
      readonly username: string;
      readonly password: string;
    }
  | {
      /** A token from the client credentials grant, as Entra ID and Keycloak brokers take them. */
      readonly mechanism: "oauthbearer";
      readonly tokenEndpoint: string;
      readonly clientId: string;
      readonly clientSecret: string;
      readonly scope?: string;
    };

const emptyAsUnset = (value: unknown) => (value === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUnset, schema.optional());
const text = optional(z.string());

/**
 * The Kafka security environment every process that creates a Kafka client reads (spread into its schema, then
 * `kafkaSecurityOf` in its transform). Names follow Kafka's own client settings. Secrets come from files the
 * deployment mounts (`..._FILE`) or from the environment, never both.
 */
export const kafkaSecurityEnv = {
  /** PLAINTEXT (local runs), SSL, SASL_SSL; SASL_PLAINTEXT only with SCRAM to brokers on loopback. */
  KAFKA_SECURITY_PROTOCOL: z
    .preprocess(emptyAsUnset, z.enum(["PLAINTEXT", "SSL", "SASL_SSL", "SASL_PLAINTEXT"]).optional())
    .transform((value) => value ?? "PLAINTEXT"),
  KAFKA_SSL_CA_FILE: text,
  KAFKA_SSL_CERT_FILE: text,
  KAFKA_SSL_KEY_FILE: text,
  KAFKA_SSL_SERVERNAME: text,
  KAFKA_SASL_MECHANISM: optional(z.enum(["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER"])),
  KAFKA_SASL_USERNAME: text,
  KAFKA_SASL_PASSWORD: text,
  KAFKA_SASL_PASSWORD_FILE: text,
  KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL: optional(z.url()),
  KAFKA_SASL_OAUTHBEARER_CLIENT_ID: text,
  KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET: text,
  KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET_FILE: text,
  KAFKA_SASL_OAUTHBEARER_SCOPE: text,
  /**
   * Plaintext to brokers off this machine: only where the deployment vouches for the network (a compose
   * network of its own). Anyone on the path could otherwise publish for any county.
   */
  KAFKA_ALLOW_PLAINTEXT: optional(z.enum(["true", "false"])).transform((value) => value === "true"),
};

type KafkaSecurityEnv = z.output<z.ZodObject<typeof kafkaSecurityEnv>> & { readonly KAFKA_BROKERS: string[] };

const tlsVariables = [
  "KAFKA_SSL_CA_FILE",
  "KAFKA_SSL_CERT_FILE",
  "KAFKA_SSL_KEY_FILE",
  "KAFKA_SSL_SERVERNAME",
] as const;
const passwordVariables = ["KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD", "KAFKA_SASL_PASSWORD_FILE"] as const;
const oauthVariables = [
  "KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL",
  "KAFKA_SASL_OAUTHBEARER_CLIENT_ID",
  "KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET",
  "KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET_FILE",
  "KAFKA_SASL_OAUTHBEARER_SCOPE",
] as const;
const saslVariables = ["KAFKA_SASL_MECHANISM", ...passwordVariables, ...oauthVariables] as const;

/** A broker on this machine: credentials to it never cross a network. */
const isLoopback = (broker: string) =>
  /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\]|::1):\d+$/.test(broker);
/** A URL to this machine: a secret sent there never crosses a network. */
const isLoopbackUrl = (url: string) =>
  /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/.test(new URL(url).hostname);

/**
 * The Kafka security a parsed environment describes, or undefined for plaintext. A half configuration is
 * refused, each problem naming its variable: TLS or SASL settings the protocol does not use, SASL without what
 * its mechanism needs, a secret given twice, a certificate without its key, a file that cannot be read, SASL
 * without TLS to a broker that is not on loopback, and PLAIN or OAUTHBEARER (which send the secret itself)
 * without TLS at all.
 */
export function kafkaSecurityOf(
  env: KafkaSecurityEnv,
  ctx: z.RefinementCtx,
  readFile: (path: string) => string = (path) => readFileSync(path, "utf8"),
): KafkaSecurity | undefined {
  const protocol = env.KAFKA_SECURITY_PROTOCOL;
  const refuse = (variable: string, message: string) => {
    ctx.addIssue({ code: "custom", path: [variable], message });
  };
  const unused = (variables: readonly (keyof KafkaSecurityEnv)[], why: string) => {
    for (const variable of variables) if (env[variable] !== undefined) refuse(variable, why);
  };
  const file = (variable: keyof KafkaSecurityEnv, looksRight?: { marker: RegExp; what: string }) => {
    const path = env[variable] as string | undefined;
    if (path === undefined) return undefined;
    let content: string;
    try {
      content = readFile(path);
    } catch (error) {
      refuse(variable, `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
      return undefined;
    }
    if (looksRight && !looksRight.marker.test(content))
      refuse(variable, `${path} holds no ${looksRight.what}`);
    return content;
  };
  /** One secret, from the environment or a file, not both; a file's trailing newline is not part of it. */
  const secret = (variable: keyof KafkaSecurityEnv, fileVariable: keyof KafkaSecurityEnv, needed: string) => {
    const inline = env[variable] as string | undefined;
    if (inline !== undefined && env[fileVariable] !== undefined) {
      refuse(fileVariable, `set either ${variable} or ${fileVariable}, not both`);
      return undefined;
    }
    const value = inline ?? file(fileVariable)?.replace(/\r?\n$/, "");
    if (value === undefined || value.length === 0)
      refuse(variable, `${needed}: set ${variable} or ${fileVariable}`);
    return value;
  };

  const remoteBrokers = env.KAFKA_BROKERS.filter((broker) => !isLoopback(broker));
  if (protocol === "PLAINTEXT" && remoteBrokers.length > 0 && !env.KAFKA_ALLOW_PLAINTEXT) {
    refuse(
      "KAFKA_SECURITY_PROTOCOL",
      `plaintext to ${remoteBrokers.join(", ")}: use SASL_SSL or SSL, or set KAFKA_ALLOW_PLAINTEXT=true where the network is the deployment's own`,
    );
  }
  const tlsUsed = protocol === "SSL" || protocol === "SASL_SSL";
  const saslUsed = protocol === "SASL_SSL" || protocol === "SASL_PLAINTEXT";
  if (!tlsUsed) unused(tlsVariables, `is a TLS setting, and KAFKA_SECURITY_PROTOCOL is ${protocol}`);
  if (!saslUsed) unused(saslVariables, `is a SASL setting, and KAFKA_SECURITY_PROTOCOL is ${protocol}`);

  let tls: KafkaSecurity["tls"];
  if (tlsUsed) {
    const ca = file("KAFKA_SSL_CA_FILE", { marker: /-----BEGIN CERTIFICATE-----/, what: "PEM certificate" });
    const cert = file("KAFKA_SSL_CERT_FILE", {
      marker: /-----BEGIN CERTIFICATE-----/,
      what: "PEM certificate",
    });
    const key = file("KAFKA_SSL_KEY_FILE", {
      marker: /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
      what: "PEM private key",
    });
    if ((env.KAFKA_SSL_CERT_FILE === undefined) !== (env.KAFKA_SSL_KEY_FILE === undefined)) {
      refuse(
        "KAFKA_SSL_KEY_FILE",
        "a client certificate needs its key: set both KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE",
      );
    }
    tls = {
      ...(ca === undefined ? {} : { ca }),
      ...(cert === undefined ? {} : { cert }),
      ...(key === undefined ? {} : { key }),
      ...(env.KAFKA_SSL_SERVERNAME === undefined ? {} : { servername: env.KAFKA_SSL_SERVERNAME }),
    };
  }

  let sasl: KafkaSasl | undefined;
  if (saslUsed) {
    const mechanism = env.KAFKA_SASL_MECHANISM;
    if (mechanism === undefined) {
      refuse(
        "KAFKA_SASL_MECHANISM",
        `${protocol} needs one: SCRAM-SHA-256, SCRAM-SHA-512, PLAIN or OAUTHBEARER`,
      );
    } else if (mechanism === "OAUTHBEARER") {
      unused(passwordVariables, "is for PLAIN and SCRAM; KAFKA_SASL_MECHANISM is OAUTHBEARER");
      const tokenEndpoint = env.KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL;
      const clientId = env.KAFKA_SASL_OAUTHBEARER_CLIENT_ID;
      if (tokenEndpoint === undefined)
        refuse("KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL", "OAUTHBEARER needs it");
      else if (!tokenEndpoint.startsWith("https://") && !isLoopbackUrl(tokenEndpoint))
        refuse("KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL", "the client's secret goes there: https only");
      if (clientId === undefined) refuse("KAFKA_SASL_OAUTHBEARER_CLIENT_ID", "OAUTHBEARER needs it");
      const clientSecret = secret(
        "KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET",
        "KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET_FILE",
        "OAUTHBEARER needs the client's secret",
      );
      if (tokenEndpoint && clientId && clientSecret) {
        const scope = env.KAFKA_SASL_OAUTHBEARER_SCOPE;
        sasl = {
          mechanism: "oauthbearer",
          tokenEndpoint,
          clientId,
          clientSecret,
          ...(scope ? { scope } : {}),
        };
      }
    } else {
      unused(oauthVariables, `is for OAUTHBEARER; KAFKA_SASL_MECHANISM is ${mechanism}`);
      const username = env.KAFKA_SASL_USERNAME;
      if (username === undefined) refuse("KAFKA_SASL_USERNAME", `${mechanism} needs it`);
      const password = secret(
        "KAFKA_SASL_PASSWORD",
        "KAFKA_SASL_PASSWORD_FILE",
        `${mechanism} needs a password`,
      );
      if (username && password) {
        sasl = {
          mechanism: mechanism.toLowerCase() as "plain" | "scram-sha-256" | "scram-sha-512",
          username,
          password,
        };
      }
    }
    if (protocol === "SASL_PLAINTEXT") {
      if (mechanism === "PLAIN" || mechanism === "OAUTHBEARER") {
        refuse("KAFKA_SECURITY_PROTOCOL", `${mechanism} sends the secret itself: only over TLS (SASL_SSL)`);
      }
      if (remoteBrokers.length > 0) {
        refuse(
          "KAFKA_SECURITY_PROTOCOL",
          `SASL_PLAINTEXT is for brokers on loopback only; ${remoteBrokers.join(", ")} needs SASL_SSL`,
        );
      }
    }
  }
  return tls || sasl ? { ...(tls ? { tls } : {}), ...(sasl ? { sasl } : {}) } : undefined;
}
