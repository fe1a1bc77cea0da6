export type { TestInfra } from "./context";
export { createTestDatabase, testInfra, uniqueName } from "./fixtures";
export { type SecuredKafka, type SecuredKafkaOptions, startSecuredKafka } from "./secured-kafka";
export { describeServiceLifecycle } from "./service-lifecycle";
export {
  runServiceCommand,
  type ServiceProcess,
  type ServiceProcessOptions,
  startServiceProcess,
  waitForReady,
} from "./service-process";
