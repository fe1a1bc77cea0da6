import { parseConfig, pipelineServiceSchema } from "@flyt/config";

export type ArchiveAdapterConfig = ReturnType<typeof loadConfig>;

/** The service's configuration, parsed once from the environment. See .env.example. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env) {
  return parseConfig(pipelineServiceSchema("archive-adapter", 8092), env);
}
