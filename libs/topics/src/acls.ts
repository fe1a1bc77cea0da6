import kafkajs, { type AclEntry, type Admin } from "kafkajs";
import {
  type CatalogueOptions,
  type ConsumingService,
  consumingServices,
  type KafkaService,
  serviceTopics,
  topicAccess,
  topicCatalogue,
} from "./catalogue";

// kafkajs is CommonJS and Node cannot see these exports by name from ESM (see provision.ts).
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

/** Who applies the catalogue (`npm run topics:deploy`): creates and configures the topics, reads and writes none. */
export const DEPLOY_PRINCIPAL = "deploy";

export type AclPrincipalName = KafkaService | typeof DEPLOY_PRINCIPAL;

/** One permission a principal is granted; nothing is allowed without one (the brokers deny by default). */
export interface AclRule {
  readonly principal: string;
  readonly resource: "topic" | "group";
  readonly name: string;
  /** A prefixed rule covers every name that starts with `name`. */
  readonly pattern: "literal" | "prefixed";
  readonly operation: "read" | "write" | "create" | "describe" | "describe-configs" | "alter-configs";
}

export interface AclOptions extends CatalogueOptions {
  /**
   * The principal of each service as the brokers see it, when it is not `User:flyt.<service>`: an OAUTHBEARER
   * principal is the token's `sub` (an Entra ID service principal's object id, say). The deployment tool's is
   * `deploy` (default `User:flyt.deploy`).
   */
  readonly principals?: Partial<Readonly<Record<AclPrincipalName, string>>>;
}

/**
 * The ACLs the brokers need for the catalogue: each service may write only the topics it produces (and its
 * own retry and dead-letter topics), read only those it consumes (and its retry topic) in its own consumer
 * groups, and the deployment tool may create and configure the topics. WRITE and READ imply DESCRIBE, and WRITE
 * on a topic lets a producer be idempotent (Kafka 2.8+), so nothing on the cluster is granted.
 */
export function catalogueAcls(options: AclOptions = {}): AclRule[] {
  const topics = topicCatalogue(options);
  const prefix = options.namespace ? `${options.namespace}.` : "";
  const principal = (name: AclPrincipalName) => options.principals?.[name] ?? `User:flyt.${name}`;
  const rules: AclRule[] = [];
  const topic = (who: string, name: string, operation: AclRule["operation"]) =>
    rules.push({ principal: who, resource: "topic", name, pattern: "literal", operation });
  for (const [service, access] of Object.entries(topicAccess) as [
    KafkaService,
    (typeof topicAccess)[KafkaService],
  ][]) {
    const who = principal(service);
    for (const logical of access.produces) topic(who, topics[logical].topic, "write");
    for (const logical of access.consumes) topic(who, topics[logical].topic, "read");
    if (isConsuming(service)) {
      const own = serviceTopics(service, options);
      topic(who, own.retry.topic, "write");
      topic(who, own.retry.topic, "read");
      topic(who, own.deadLetter.topic, "write");
    }
    for (const group of access.groups) {
      rules.push({
        principal: who,
        resource: "group",
        name: `${prefix}${group.name}`,
        pattern: group.prefixed ? "prefixed" : "literal",
        operation: "read",
      });
    }
  }
  const deployer = principal(DEPLOY_PRINCIPAL);
  for (const operation of ["create", "describe", "describe-configs", "alter-configs"] as const) {
    rules.push({
      principal: deployer,
      resource: "topic",
      name: `${prefix}flyt.`,
      pattern: "prefixed",
      operation,
    });
  }
  return rules;
}

const isConsuming = (service: KafkaService): service is ConsumingService =>
  (consumingServices as readonly string[]).includes(service);

/** `KAFKA_ACL_PRINCIPALS`: `gateway=User:abc,validation=User:def`, each for a service or `deploy`. */
export function parsePrincipals(value: string): Partial<Record<AclPrincipalName, string>> {
  const known = new Set<string>([...Object.keys(topicAccess), DEPLOY_PRINCIPAL]);
  const principals: Partial<Record<AclPrincipalName, string>> = {};
  for (const entry of value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const at = entry.indexOf("=");
    const name = entry.slice(0, at);
    const principal = entry.slice(at + 1);
    if (at < 1 || !known.has(name) || !/^[A-Za-z]+:\S+$/.test(principal)) {
      throw new Error(`"${entry}" is not <service or deploy>=<Type:name>, e.g. gateway=User:flyt-gateway`);
    }
    principals[name as AclPrincipalName] = principal;
  }
  return principals;
}

/** One rule in the words of Kafka's own `kafka-acls.sh`, for the people who review or apply them by hand. */
export function describeAcl(rule: AclRule): string {
  const operation = rule.operation.replace(/(?:^|-)(\w)/g, (_, letter: string) => letter.toUpperCase());
  return `--add --allow-principal ${rule.principal} --operation ${operation} --${rule.resource} ${rule.name} --resource-pattern-type ${rule.pattern}`;
}

const operations = {
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  create: AclOperationTypes.CREATE,
  describe: AclOperationTypes.DESCRIBE,
  "describe-configs": AclOperationTypes.DESCRIBE_CONFIGS,
  "alter-configs": AclOperationTypes.ALTER_CONFIGS,
} as const;

/** Creates the rules on the brokers (as a principal allowed to alter the cluster's ACLs). Creating one twice is a no-op. */
export async function applyAcls(admin: Admin, rules: readonly AclRule[]): Promise<void> {
  const acl: AclEntry[] = rules.map((rule) => ({
    principal: rule.principal,
    host: "*",
    resourceType: rule.resource === "topic" ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
    resourceName: rule.name,
    resourcePatternType:
      rule.pattern === "prefixed" ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
    operation: operations[rule.operation],
    permissionType: AclPermissionTypes.ALLOW,
  }));
  await admin.createAcls({ acl });
}
