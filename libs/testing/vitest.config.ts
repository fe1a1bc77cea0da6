import { integrationTestConfig } from "./src/vitest-config";

export default integrationTestConfig();
