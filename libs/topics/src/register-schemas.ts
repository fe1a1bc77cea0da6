import { type SchemaRegistryClient, type TopicDefinition, valueSubject } from "@flyt/kafka";

/**
 * Registers the value schema of every topic that has one under `<topic>-value`, with BACKWARD compatibility.
 * The registry refuses (409) a schema that cannot read what the subject's earlier versions wrote.
 */
export async function registerSchemas(
  registry: SchemaRegistryClient,
  topics: readonly TopicDefinition[],
): Promise<{ subject: string; id: number }[]> {
  const registered: { subject: string; id: number }[] = [];
  for (const topic of topics) {
    if (!topic.valueSchema) continue;
    const subject = valueSubject(topic);
    registered.push({ subject, id: await registry.registerAvro(subject, topic.valueSchema, "BACKWARD") });
  }
  return registered;
}
