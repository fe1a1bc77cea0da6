export { createLogger, type Logger, type LoggerOptions, REDACTED_KEYS } from "./create-logger";
export { redactUrlCredentials } from "./redact-url";
