import { parseConfig, pipelineServiceSchema } from "@flyt/config";

export type CallbackDispatcherConfig = ReturnType<typeof loadConfig>;

/** The service's configuration, parsed once from the environment. See .env.example. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env) {
  return parseConfig(pipelineServiceSchema("callback-dispatcher", 8094), env);
}
