import { describe, expect, it } from "vitest";
import { FAILURE_REASON_MAX_LENGTH, failureReason } from "./failure-reason";

describe("a failure reason as a source system is told it", () => {
  it("keeps a one-line archive message as it is", () => {
    expect(failureReason("Validering feilet; arkivdel: Arkivdel mangler")).toBe(
      "Validering feilet; arkivdel: Arkivdel mangler",
    );
  });

  it("keeps only the first line of a stack trace or a multi-line body", () => {
    const trace = [
      "java.lang.IllegalStateException: SIF svarte ikke",
      "\tat no.fint.p360.CaseService.createCase(CaseService.java:88)",
      "\tat no.fint.p360.EventHandler.handle(EventHandler.java:41)",
    ].join("\n");
    expect(failureReason(trace)).toBe("SIF svarte ikke");
    expect(failureReason("\r\n  <html>\r\n<body>Bad gateway</body>")).toBe("<html>");
  });

  it("leaves out the Java exception classes before the archive's message", () => {
    expect(failureReason("java.lang.IllegalArgumentException: Ugyldig saksansvarlig")).toBe(
      "Ugyldig saksansvarlig",
    );
    expect(
      failureReason(
        "no.novari.fint.p360.data.exception.IllegalODataFilter: OData property kontaktid is not supported",
      ),
    ).toBe("OData property kontaktid is not supported");
    expect(
      failureReason(
        "org.springframework.web.client.HttpClientErrorException$BadRequest: java.io.IOException: 400 Bad Request",
      ),
    ).toBe("400 Bad Request");
    // Not a class name: kept.
    expect(failureReason("Arkivdel SAK.Eiendom: ukjent")).toBe("Arkivdel SAK.Eiendom: ukjent");
    expect(failureReason("java.lang.NullPointerException")).toBe("java.lang.NullPointerException");
  });

  it("bounds a long line", () => {
    const reason = failureReason("x".repeat(10_000));
    expect(reason).toHaveLength(FAILURE_REASON_MAX_LENGTH);
    expect(reason.endsWith("…")).toBe(true);
  });

  it("says so when there is nothing to say", () => {
    expect(failureReason(" \n ")).toBe("the archive gave no reason");
  });
});
