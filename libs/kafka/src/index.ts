export { connectionSecurity, createKafka, type KafkaOptions } from "./create-kafka";
export { answerEventId, uuidV8 } from "./event-id";
export {
  childTraceparent,
  type EventHeaders,
  eventHeadersOf,
  headerNames,
  readHeaders,
  routingHeaders,
  toKafkaHeaders,
} from "./headers";
export { kafkaHealthCheck, schemaRegistryHealthCheck } from "./health-checks";
export { type HttpAnswer, httpJson } from "./http-json";
export { clientCredentialsTokens, type OAuthBearerToken, TokenRequestError } from "./oauth-bearer";
export {
  EventProducer,
  type EventProducerOptions,
  type OutgoingEvent,
  PublishTimeoutError,
} from "./producer";
export {
  type ConsumedMessage,
  ConsumerRunner,
  type ConsumerRunnerOptions,
  HandlerTimeoutError,
  handlerFor,
  type MessageHandler,
  retryHeaders,
} from "./runner/consumer-runner";
export { Semaphore } from "./runner/keyed-scheduler";
export { defaultRetryPolicy, type RetryPolicy } from "./runner/retry-policy";
export { RetryWakeups } from "./runner/retry-wakeups";
export {
  type CompatibilityLevel,
  SchemaRegistryClient,
  SchemaRegistryUnavailableError,
  UndecodableMessageError,
} from "./schema-registry";
export { type TopicDefinition, valueSubject } from "./topic";
export { createTopicsAndWait } from "./topics-admin";
