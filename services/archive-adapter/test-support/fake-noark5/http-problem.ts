/**
 * How the fake answers a refusal. The standard's body is `{"feil": {"kode": <status>, "beskrivelse": "..."}}`,
 * `beskrivelse` optional and its text not standardised (06-konsepter_og_prinsipper.rst:1607–1641 at tag
 * versjon-1.1). The reference server of 2021 answers its own `{"status", "message", "developerMessage",
 * "stackTrace"}` instead (Nikita webapp/util/error/ApiError.java; built in RestResponseEntityExceptionHandler.java
 * `message(...)`, lines 209–217), and a plain-text "Feil under pålogging" for a 403 (same file, lines 98–104,
 * AccessDenied handler).
 */
export type ErrorBodyStyle = "feil" | "nikita-2021";

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorBody(style: ErrorBodyStyle, status: number, message: string): unknown {
  if (style === "nikita-2021") {
    return {
      status,
      message,
      developerMessage: `NikitaMalformedInputDataException: ${message}`,
      stackTrace: `nikita.common.model.noark5.v5.exceptions.NikitaMalformedInputDataException: ${message}`,
    };
  }
  return { feil: { kode: status, beskrivelse: message } };
}
