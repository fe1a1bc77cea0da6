import { defineConfig } from "vitest/config";

// Unit tests of the resolver and process control; they need no running infrastructure.
export default defineConfig({ test: { include: ["src/**/*.test.ts"], testTimeout: 30_000 } });
