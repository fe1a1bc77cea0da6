import { createLogger, type Logger } from "@flyt/logging";
import pretty from "pino-pretty";

/** Human-readable logs for the terminal: the CLI is used by people, services log JSON. */
export function createCliLogger(): Logger {
  return createLogger({
    service: "flyt-local",
    level: "info",
    destination: pretty({
      colorize: process.stdout.isTTY,
      ignore: "pid,hostname,service",
      translateTime: "HH:MM:ss",
    }),
  });
}
