import type { Logger } from "@flyt/logging";
import { Kafka, logLevel as KafkaLogLevel, type LogEntry } from "kafkajs";

export interface KafkaOptions {
  /** `flyt.<service>`: shows up in broker logs and quotas. */
  readonly clientId: string;
  readonly brokers: readonly string[];
  readonly logger: Logger;
}

const levelNames: Record<number, "error" | "warn" | "info" | "debug"> = {
  [KafkaLogLevel.ERROR]: "error",
  [KafkaLogLevel.WARN]: "warn",
  [KafkaLogLevel.INFO]: "info",
  [KafkaLogLevel.DEBUG]: "debug",
};

/** A kafkajs client whose logs go through the process logger, as `component: kafkajs`. */
export function createKafka(options: KafkaOptions): Kafka {
  const logger = options.logger.child({ component: "kafkajs" });
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: KafkaLogLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, ...fields } = log;
        logger[levelNames[level] ?? "info"]({ namespace, ...fields }, message);
      },
  });
}
