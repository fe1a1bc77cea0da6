export { createKafka, type KafkaOptions } from "./create-kafka";
export { kafkaHealthCheck, schemaRegistryHealthCheck } from "./health-checks";
export { type CompatibilityLevel, SchemaRegistryClient } from "./schema-registry";
