import { integrationTestConfig } from "@flyt/testing/vitest";

const config = integrationTestConfig();
// The deployment script's test lives beside the script.
export default { ...config, test: { ...config.test, include: ["src/**/*.test.ts", "scripts/**/*.test.ts"] } };
