import { testInfra } from "@flyt/testing";
import { describe, expect, it } from "vitest";
import { createDatabase, postgresHealthCheck } from "./database";

describe("createDatabase", () => {
  it("connects to the real server and names itself in pg_stat_activity", async () => {
    const db = createDatabase({ url: testInfra().databaseUrl, applicationName: "flyt.test-probe" });
    try {
      const { rows } = await db.raw<{ rows: { application_name: string }[] }>(
        "select application_name from pg_stat_activity where pid = pg_backend_pid()",
      );
      expect(rows[0]?.application_name).toBe("flyt.test-probe");
    } finally {
      await db.destroy();
    }
  });
});

describe("postgresHealthCheck", () => {
  it("passes when select 1 answers", async () => {
    const db = createDatabase({ url: testInfra().databaseUrl, applicationName: "flyt.test-probe" });
    try {
      await expect(postgresHealthCheck(db).check(AbortSignal.timeout(5_000))).resolves.toBeUndefined();
    } finally {
      await db.destroy();
    }
  });

  it("fails when nothing listens", async () => {
    const db = createDatabase({
      url: "postgres://nobody@127.0.0.1:1/none",
      applicationName: "flyt.test-probe",
    });
    try {
      await expect(postgresHealthCheck(db).check(AbortSignal.timeout(5_000))).rejects.toThrow();
    } finally {
      await db.destroy();
    }
  });
});
