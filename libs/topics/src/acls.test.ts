import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type AclRule, catalogueAcls, describeAcl, parsePrincipals } from "./acls";
import { allTopics, type KafkaService, topicAccess } from "./catalogue";

const services = Object.keys(topicAccess) as KafkaService[];
const rules = catalogueAcls();

const topicsOf = (all: readonly AclRule[], principal: string, operation: AclRule["operation"]) =>
  new Set(
    all
      .filter(
        (rule) => rule.principal === principal && rule.resource === "topic" && rule.operation === operation,
      )
      .map((rule) => rule.name),
  );
const withoutOwnTopics = (names: Set<string>) =>
  new Set([...names].filter((name) => !/\.(retry|dlq)\.v1$/.test(name)));

/** The topic names a service's README lists in its `| consumes |` or `| produces |` row. */
function readmeTopics(service: KafkaService, row: "consumes" | "produces"): Set<string> {
  const readme = readFileSync(new URL(`../../../services/${service}/README.md`, import.meta.url), "utf8");
  const line = readme.split("\n").find((text) => new RegExp(`^\\|\\s*${row}\\s*\\|`).test(text));
  if (!line) throw new Error(`services/${service}/README.md has no ${row} row`);
  return new Set([...line.matchAll(/`(flyt\.[a-z.-]+\.v\d+)`/g)].map((match) => match[1] as string));
}

describe("catalogueAcls", () => {
  it.each(services)(
    "lets %s write and read exactly the topics its README says it produces and consumes",
    (service) => {
      const principal = `User:flyt.${service}`;
      expect(withoutOwnTopics(topicsOf(rules, principal, "write"))).toEqual(
        withoutOwnTopics(readmeTopics(service, "produces")),
      );
      expect(withoutOwnTopics(topicsOf(rules, principal, "read"))).toEqual(
        withoutOwnTopics(readmeTopics(service, "consumes")),
      );
    },
  );

  it("gives every lifecycle topic exactly one writer: only the gateway may publish a submission.received", () => {
    const writers = new Map<string, string[]>();
    for (const rule of rules.filter((candidate) => candidate.operation === "write")) {
      writers.set(rule.name, [...(writers.get(rule.name) ?? []), rule.principal]);
    }
    expect(writers.get("flyt.submission.received.v1")).toEqual(["User:flyt.gateway"]);
    for (const topic of allTopics()) expect(writers.get(topic.topic)).toHaveLength(1);
  });

  it("gives a consuming service its retry and dead-letter topics and its own consumer groups, the gateway none", () => {
    const dispatcher = "User:flyt.callback-dispatcher";
    expect(topicsOf(rules, dispatcher, "write")).toEqual(
      new Set(["flyt.callback-dispatcher.retry.v1", "flyt.callback-dispatcher.dlq.v1"]),
    );
    expect(topicsOf(rules, dispatcher, "read")).toContain("flyt.callback-dispatcher.retry.v1");
    const groups = (principal: string) =>
      rules
        .filter((rule) => rule.principal === principal && rule.resource === "group")
        .map(({ name, pattern, operation }) => ({ name, pattern, operation }));
    expect(groups("User:flyt.gateway")).toEqual([]);
    expect(groups("User:flyt.archive-adapter")).toEqual([
      { name: "flyt.archive-adapter.", pattern: "prefixed", operation: "read" },
    ]);
    expect(groups("User:flyt.status-projection")).toEqual([
      { name: "flyt.status-projection", pattern: "literal", operation: "read" },
      { name: "flyt.status-rebuild.", pattern: "prefixed", operation: "read" },
    ]);
  });

  it("lets the deployment tool create and configure the topics, and read or write none", () => {
    const deploy = rules.filter((rule) => rule.principal === "User:flyt.deploy");
    expect(deploy.map((rule) => `${rule.operation} ${rule.name} ${rule.pattern}`)).toEqual([
      "create flyt. prefixed",
      "describe flyt. prefixed",
      "describe-configs flyt. prefixed",
      "alter-configs flyt. prefixed",
    ]);
  });

  it("follows a namespace and the deployment's own principals", () => {
    const namespaced = catalogueAcls({
      namespace: "test1",
      principals: parsePrincipals("gateway=User:4f1c-entra-object-id, deploy=User:platform-ops"),
    });
    expect(topicsOf(namespaced, "User:4f1c-entra-object-id", "write")).toContain(
      "test1.flyt.submission.received.v1",
    );
    expect(namespaced).toContainEqual(
      expect.objectContaining({
        principal: "User:flyt.validation",
        resource: "group",
        name: "test1.flyt.validation",
      }),
    );
    expect(namespaced).toContainEqual(
      expect.objectContaining({ principal: "User:platform-ops", name: "test1.flyt.", operation: "create" }),
    );
    expect(() => parsePrincipals("gatway=User:x")).toThrow(/gatway=User:x/);
    expect(() => parsePrincipals("gateway=flyt")).toThrow(/gateway=flyt/);
  });

  it("describes each rule as kafka-acls.sh takes it", () => {
    expect(
      describeAcl({
        principal: "User:flyt.deploy",
        resource: "topic",
        name: "flyt.",
        pattern: "prefixed",
        operation: "describe-configs",
      }),
    ).toBe(
      "--add --allow-principal User:flyt.deploy --operation DescribeConfigs --topic flyt. --resource-pattern-type prefixed",
    );
  });
});
