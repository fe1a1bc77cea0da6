export {
  booleanFlag,
  brokerList,
  commonServiceEnv,
  durationMs,
  httpHost,
  logLevel,
  type PipelineServiceConfig,
  pipelineServiceConfig,
  pipelineServiceEnv,
  pipelineServiceSchema,
  port,
  postgresUrl,
} from "./fields";
export { type KafkaSasl, type KafkaSecurity, kafkaSecurityEnv, kafkaSecurityOf } from "./kafka-security";
export { ConfigError, type DeepReadonly, parseConfig } from "./parse-config";
