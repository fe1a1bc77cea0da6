import { fileURLToPath } from "node:url";
import { defineConfig, type ViteUserConfig } from "vitest/config";

/**
 * Vitest settings for a package whose tests include integration tests (`*.int.test.ts`) over the real
 * infrastructure: one global setup per run starts or finds it. Unit tests (`*.test.ts`) run beside them.
 */
export function integrationTestConfig(): ViteUserConfig {
  return defineConfig({
    test: {
      include: ["src/**/*.test.ts"],
      globalSetup: [fileURLToPath(new URL("./global-setup.ts", import.meta.url))],
      // Every test by name, so a run shows the integration tests ran rather than were skipped.
      reporters: ["verbose"],
      testTimeout: 60_000,
      hookTimeout: 120_000,
    },
  });
}
