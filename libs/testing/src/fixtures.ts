import { randomBytes } from "node:crypto";
import { dropDatabase, ensureDatabase } from "@flyt/local-infra";
import { inject } from "vitest";
import type { TestInfra } from "./context";

export function testInfra(): TestInfra {
  return inject("flytInfra");
}

/** A name no other test, file or run uses: for topics, consumer groups, subjects and databases. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${testInfra().runId}-${randomBytes(4).toString("hex")}`;
}

/** A fresh database of its own for one test file; `drop()` removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const { postgresUrl } = testInfra();
  const name = uniqueName("flyt_test").replaceAll("-", "_");
  const url = await ensureDatabase(postgresUrl, name);
  return { url, drop: () => dropDatabase(postgresUrl, name) };
}
