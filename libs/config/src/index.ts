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
export { ConfigError, type DeepReadonly, parseConfig } from "./parse-config";
