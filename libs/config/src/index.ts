export {
  booleanFlag,
  brokerList,
  commonServiceEnv,
  durationMs,
  httpHost,
  logLevel,
  port,
  postgresUrl,
} from "./fields";
export { ConfigError, type DeepReadonly, parseConfig } from "./parse-config";
