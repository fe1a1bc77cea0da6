import { integrationTestConfig } from "@flyt/testing/vitest";

export default integrationTestConfig();
