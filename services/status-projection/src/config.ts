import { parseConfig, pipelineServiceSchema } from "@flyt/config";

export type StatusProjectionConfig = ReturnType<typeof loadConfig>;

/** The service's configuration, parsed once from the environment. See .env.example. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env) {
  return parseConfig(pipelineServiceSchema("status-projection", 8093), env);
}
