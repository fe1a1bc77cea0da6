import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./create-logger";
import { loggableUrl, redactUrlCredentials } from "./redact-url";

function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: createLogger({ service: "test-service", level: "info", destination }), lines };
}

describe("createLogger", () => {
  it("writes JSON records with the service, level label and ids in fields", () => {
    const { logger, lines } = captureLogger();
    logger.child({ component: "intake" }).info({ submissionId: "sub_1" }, "submission accepted");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      service: "test-service",
      component: "intake",
      level: "info",
      submissionId: "sub_1",
      msg: "submission accepted",
    });
  });

  it("redacts secrets at the top level and nested", () => {
    const { logger, lines } = captureLogger();
    logger.info(
      {
        password: "p1",
        client: { clientSecret: "p2" },
        req: { headers: { authorization: "Bearer p3" } },
        oauth: { access_token: "p4" },
      },
      "secrets everywhere",
    );
    const written = JSON.stringify(lines[0]);
    for (const secret of ["p1", "p2", "Bearer p3", "p4"]) expect(written).not.toContain(secret);
    expect(lines[0]).toMatchObject({ password: "[REDACTED]", client: { clientSecret: "[REDACTED]" } });
  });

  it("drops records below the configured level", () => {
    const { logger, lines } = captureLogger();
    logger.debug("noise");
    expect(lines).toHaveLength(0);
  });
});

describe("redactUrlCredentials", () => {
  it("hides the password of a connection URL", () => {
    expect(redactUrlCredentials("postgres://flyt:hunter2@db:5432/flyt")).toBe(
      "postgres://flyt:***@db:5432/flyt",
    );
  });

  it("leaves a URL without credentials alone", () => {
    expect(redactUrlCredentials("http://127.0.0.1:8081/apis/ccompat/v7")).toBe(
      "http://127.0.0.1:8081/apis/ccompat/v7",
    );
  });
});

describe("loggableUrl", () => {
  it("keeps where a URL points, never its user info, query or fragment", () => {
    expect(loggableUrl("https://svc-user:Hunter2-secret@hooks.example:8443/flyt/cb?token=abc#x")).toBe(
      "https://hooks.example:8443/flyt/cb",
    );
    expect(loggableUrl("not a url")).toBe("[unparseable url]");
  });
});
