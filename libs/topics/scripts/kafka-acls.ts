// The brokers' ACLs for the topic catalogue: which principal may write and read which topic, in which consumer
// groups (docs/kafka-security.md).
//   npm run kafka:acls                              prints them, as kafka-acls.sh arguments
//   KAFKA_BROKERS=... KAFKA_SECURITY_PROTOCOL=SASL_SSL ... npm run kafka:acls -- --apply
// --apply creates them, as a principal that may alter the cluster's ACLs (a super user), with the same Kafka
// security settings the services take. KAFKA_ACL_PRINCIPALS names principals that are not User:flyt.<service>,
// e.g. gateway=User:<Entra object id>,deploy=User:platform-ops. FLYT_TOPIC_NAMESPACE as for topics:deploy.
import { brokerList, kafkaSecurityEnv, kafkaSecurityOf, parseConfig } from "@flyt/config";
import { createKafka } from "@flyt/kafka";
import { createLogger } from "@flyt/logging";
import { z } from "zod";
import { applyAcls, catalogueAcls, describeAcl, parsePrincipals } from "../src/index";

const apply = process.argv.includes("--apply");
const config = parseConfig(
  z
    .object({
      KAFKA_BROKERS: apply ? brokerList : brokerList.optional().transform((brokers) => brokers ?? []),
      ...kafkaSecurityEnv,
      FLYT_TOPIC_NAMESPACE: z.string().optional(),
      KAFKA_ACL_PRINCIPALS: z.string().default(""),
    })
    .transform((env, ctx) => {
      let principals = {};
      try {
        principals = parsePrincipals(env.KAFKA_ACL_PRINCIPALS);
      } catch (error) {
        ctx.addIssue({ code: "custom", path: ["KAFKA_ACL_PRINCIPALS"], message: (error as Error).message });
      }
      return { ...env, principals, kafkaSecurity: kafkaSecurityOf(env, ctx) };
    }),
  process.env,
);
const rules = catalogueAcls({
  principals: config.principals,
  ...(config.FLYT_TOPIC_NAMESPACE ? { namespace: config.FLYT_TOPIC_NAMESPACE } : {}),
});

if (!apply) {
  for (const rule of rules) process.stdout.write(`kafka-acls.sh ${describeAcl(rule)}\n`);
} else {
  const logger = createLogger({ service: "kafka-acls", level: "info" });
  const admin = createKafka({
    clientId: "flyt.acls",
    brokers: config.KAFKA_BROKERS,
    security: config.kafkaSecurity,
    logger,
  }).admin();
  await admin.connect();
  try {
    await applyAcls(admin, rules);
    logger.info({ acls: rules.length }, "topic ACLs applied");
  } finally {
    await admin.disconnect();
  }
}
