import { integrationTestConfig } from "@flyt/testing/vitest";

const config = integrationTestConfig();
// The admin CLI's test lives beside the script.
export default { ...config, test: { ...config.test, include: ["src/**/*.test.ts", "scripts/**/*.test.ts"] } };
