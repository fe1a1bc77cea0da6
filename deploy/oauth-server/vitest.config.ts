import { defineConfig } from "vitest/config";

// The authorization server needs no Kafka or Postgres: its tests start it on a free port.
export default defineConfig({ test: { include: ["src/**/*.test.ts"], testTimeout: 30_000 } });
