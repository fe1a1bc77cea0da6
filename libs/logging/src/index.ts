export { createLogger, type Logger, type LoggerOptions, REDACTED_KEYS } from "./create-logger";
export { loggableUrl, redactUrlCredentials } from "./redact-url";
