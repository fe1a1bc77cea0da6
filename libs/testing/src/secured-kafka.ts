import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { kafkaAnswers, loadSettings, startKafkaBroker, stopManaged } from "@flyt/local-infra";
import type { Logger } from "@flyt/logging";

const run = promisify(execFile);
const NAME = "kafka-secured";

export interface SecuredKafkaOptions {
  /** SCRAM-SHA-512 users (name → password), created with the broker's storage. */
  readonly scramUsers: Readonly<Record<string, string>>;
  /** Principals (`User:<name>`) the ACLs do not apply to: whoever applies them. */
  readonly superUsers: readonly string[];
  /** OAUTHBEARER on the SASL_SSL listener too: JWTs checked against this issuer's keys and audience. */
  readonly oauth?: { readonly issuer: string; readonly jwksUri: string; readonly audience: string };
  readonly logger: Logger;
}

export interface SecuredKafka {
  /** The SASL_SSL listener (SCRAM-SHA-512, and OAUTHBEARER when asked for). */
  readonly brokers: readonly string[];
  /** An SSL listener that requires a client certificate; the principal is its CN. */
  readonly mutualTlsBrokers: readonly string[];
  /** PEM files: the CA that signed the broker's certificate, and a client certificate (CN `flyt.mtls-client`). */
  readonly files: { readonly ca: string; readonly clientCert: string; readonly clientKey: string };
  /** Stops the broker and removes its files. */
  stop(): Promise<void>;
}

/**
 * A Kafka broker of its own (the jars the local run uses, `startKafkaBroker`) that authenticates and authorizes
 * as a production cluster does: a SASL_SSL listener, a mutual-TLS listener, certificates made here with openssl
 * for this run only, SCRAM users made with its storage, and ACLs enforced (nothing is allowed without one).
 * Its plaintext listener (the broker's own, the readiness probe's) is on loopback and not handed out.
 */
export async function startSecuredKafka(options: SecuredKafkaOptions): Promise<SecuredKafka> {
  const dir = await mkdtemp(join(tmpdir(), "flyt-secured-kafka-"));
  const cleanUp = async () => {
    await stopManaged(dir, NAME, 10_000);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const files = await makeCertificates(dir);
    const [secure = 0, mutualTls = 0, internal = 0, controller = 0] = await freePorts(4);
    const settings = loadSettings();
    await startKafkaBroker({
      stateDir: dir,
      name: NAME,
      home: join(dir, "broker"),
      settings,
      properties: (dataDir) =>
        brokerProperties({ ports: { secure, mutualTls, internal, controller }, dir, dataDir, ...options }),
      formatArgs: Object.entries(options.scramUsers).flatMap(([name, password]) => [
        "--add-scram",
        `SCRAM-SHA-512=[name=${name},password=${password}]`,
      ]),
      ready: () => kafkaAnswers([`127.0.0.1:${internal}`]),
      logger: options.logger,
    });
    return {
      brokers: [`127.0.0.1:${secure}`],
      mutualTlsBrokers: [`127.0.0.1:${mutualTls}`],
      files,
      stop: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

function brokerProperties(options: {
  readonly ports: Readonly<Record<"secure" | "mutualTls" | "internal" | "controller", number>>;
  readonly dir: string;
  readonly dataDir: string;
  readonly superUsers: readonly string[];
  readonly oauth?: SecuredKafkaOptions["oauth"];
}): string {
  const { secure, mutualTls, internal, controller } = options.ports;
  const mechanisms = options.oauth ? "SCRAM-SHA-512,OAUTHBEARER" : "SCRAM-SHA-512";
  const oauth = options.oauth
    ? `listener.name.secure.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;
listener.name.secure.oauthbearer.sasl.server.callback.handler.class=org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler
sasl.oauthbearer.jwks.endpoint.url=${options.oauth.jwksUri}
sasl.oauthbearer.expected.issuer=${options.oauth.issuer}
sasl.oauthbearer.expected.audience=${options.oauth.audience}
`
    : "";
  return `# Written by @flyt/testing: a broker that authenticates (TLS, SCRAM, OAUTHBEARER) and enforces ACLs.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${controller}
listeners=SECURE://127.0.0.1:${secure},MTLS://127.0.0.1:${mutualTls},INTERNAL://127.0.0.1:${internal},CONTROLLER://127.0.0.1:${controller}
advertised.listeners=SECURE://127.0.0.1:${secure},MTLS://127.0.0.1:${mutualTls},INTERNAL://127.0.0.1:${internal}
listener.security.protocol.map=SECURE:SASL_SSL,MTLS:SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=INTERNAL
controller.listener.names=CONTROLLER
log.dirs=${options.dataDir}
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
ssl.keystore.type=PEM
ssl.keystore.location=${join(options.dir, "broker-keystore.pem")}
ssl.truststore.type=PEM
ssl.truststore.location=${join(options.dir, "ca.pem")}
listener.name.mtls.ssl.client.auth=required
ssl.principal.mapping.rules=RULE:^CN=([^,]+)$/$1/,DEFAULT
listener.name.secure.sasl.enabled.mechanisms=${mechanisms}
listener.name.secure.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
${oauth}authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
# The broker itself reaches its controller and its own listener unauthenticated, on loopback.
super.users=${["User:ANONYMOUS", ...options.superUsers].join(";")}
`;
}

/** A CA, the broker's certificate for 127.0.0.1 and localhost, and a client certificate, valid for a day. */
async function makeCertificates(dir: string) {
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => run("openssl", args, { cwd: dir });
  await openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    `/CN=flyt-test-ca-${randomBytes(4).toString("hex")}`,
    "-keyout",
    path("ca.key"),
    "-out",
    path("ca.pem"),
  );
  const signed = async (name: string, subject: string, extensions: string) => {
    await writeFile(path(`${name}.ext`), extensions);
    await openssl(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      subject,
      "-keyout",
      path(`${name}.key`),
      "-out",
      path(`${name}.csr`),
    );
    await openssl(
      "x509",
      "-req",
      "-days",
      "1",
      "-in",
      path(`${name}.csr`),
      "-CA",
      path("ca.pem"),
      "-CAkey",
      path("ca.key"),
      "-CAcreateserial",
      "-extfile",
      path(`${name}.ext`),
      "-out",
      path(`${name}.pem`),
    );
  };
  await signed("broker", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  await signed("client", "/CN=flyt.mtls-client", "extendedKeyUsage=clientAuth\n");
  // Kafka's PEM keystore: the private key (PKCS#8), then the certificate chain, in one file.
  await writeFile(
    path("broker-keystore.pem"),
    `${await readFile(path("broker.key"), "utf8")}${await readFile(path("broker.pem"), "utf8")}`,
  );
  return { ca: path("ca.pem"), clientCert: path("client.pem"), clientKey: path("client.key") };
}

/** Ports nothing listens on now (the broker binds them a moment later). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once("error", reject);
          server.listen(0, "127.0.0.1", () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
