import { deliveryStates } from "@flyt/callbacks";
import { submissionStatusValues } from "@flyt/schemas";
import { contractBodyShape, ERRORS_CHECKED, LISTED_ERRORS, MAX_DEPTH } from "./body-limits";
import { allowedMimeTypes, schemas } from "./schemas";

export interface OpenApiOptions {
  /** The authorization server's token endpoint, for the client credentials flow. */
  readonly tokenUrl: string;
}

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

const retryAfter = {
  "Retry-After": {
    description: "Seconds to wait before trying again.",
    schema: { type: "integer", minimum: 1 },
  },
};

const common = {
  "401": {
    ...problem(
      "The access token is missing or invalid (see `WWW-Authenticate`): the detail names the claim to look at (`exp`, `nbf`, `iss`/`aud`, `kid`, the algorithm), never the value expected.",
    ),
    headers: { "WWW-Authenticate": { schema: { type: "string" } } },
  },
  "403": problem("The client is not registered for this environment."),
  "429": {
    ...problem(
      "Too many requests, or too many body bytes, from this client: a burst, then a sustained rate of each (a body of any size within the limit goes while the client owes nothing). Send again after `Retry-After` seconds.",
    ),
    headers: retryAfter,
  },
  "503": {
    ...problem(
      "Kafka, the database or the schema registry is unreachable, and Flyt could not complete the request (a submission may or may not have been taken). Send the same request again, with the same Idempotency-Key if it had one, after Retry-After seconds, backing off if this repeats: a submission that was taken answers 202 with its id, never a second one.",
    ),
    headers: retryAfter,
  },
};

const submissionResponses = {
  "202": {
    description: "Accepted: durably written to Kafka (acks=all) before this answer.",
    headers: { Location: { schema: { type: "string" }, description: "The status resource." } },
    content: { "application/json": { schema: { $ref: "#/components/schemas/SubmissionAccepted" } } },
  },
  "400": problem(
    `Malformed JSON (or not UTF-8), a body too complex to read (\`body-too-complex\`: nested deeper than ${MAX_DEPTH} levels, more than ${contractBodyShape.maxValues.toLocaleString("en-US")} values and field names together, or more than ${contractBodyShape.maxNames.toLocaleString("en-US")} different field names; no body the schemas accept comes near), or the body breaks the schema: field errors, each with a JSON pointer. A string with an unpaired UTF-16 surrogate (\`"\\ud800"\` alone) is not text: \`unpaired-surrogate\` at its pointer. At most ${LISTED_ERRORS} errors are listed, \`moreErrors\` counts the rest found; checking stops after ${ERRORS_CHECKED.toLocaleString("en-US")}.`,
  ),
  ...common,
  "404": problem("Unknown integration (or case) for this caller."),
  "409": problem(
    "The sourceInstanceId was used with another body, or an identical request is still in flight.",
  ),
  "413": problem("The body is too large."),
  "415": problem("The body is not application/json."),
  "422": problem("The integration is deactivated."),
};

const statusResponses = {
  "200": {
    description:
      "The submission's status, from the status read model (`RECEIVED` until the pipeline has taken it). `Retry-After` only while it is not terminal.",
    headers: retryAfter,
    content: { "application/json": { schema: { $ref: "#/components/schemas/SubmissionStatus" } } },
  },
  ...common,
  "400": problem(
    "The query lacks integrationId or sourceInstanceId, repeats one, or has percent-escapes that are not UTF-8 (`invalid-encoding`): an id is looked up as sent or not at all.",
  ),
  "404": problem("No such submission for this caller (also another tenant's or source application's)."),
};

/**
 * The source-system API, contract v1, as OpenAPI 3.1: `GET /api/v1/openapi.json` serves it and `/docs`
 * renders it. Its body schemas are the ones requests are validated with.
 */
export function openApiDocument(options: OpenApiOptions) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Flyt source-system API",
      version: "1.0.0",
      description:
        "Submit cases and journal posts for archiving, follow their status. Archive fields use Noark 5 / FINT arkiv names. Every error is an RFC 9457 problem; validation errors list every field at once with a JSON pointer.",
    },
    servers: [{ url: "/" }],
    security: [{ clientCredentials: [] }],
    paths: {
      "/api/v1/cases": {
        post: {
          operationId: "submitCase",
          summary: "Submit a new case (one-step with journal posts, or the first step of two)",
          parameters: [{ $ref: "#/components/parameters/IdempotencyKey" }],
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/CaseSubmission" } } },
          },
          responses: submissionResponses,
        },
      },
      "/api/v1/cases/{caseRef}/journal-posts": {
        post: {
          operationId: "submitJournalPosts",
          summary: "Add journal posts to an existing case (the second step)",
          parameters: [
            {
              name: "caseRef",
              in: "path",
              required: true,
              description:
                "An archive case number as the archive writes it (`2026/123`, or `19/00094` in Public 360; URL-encoded `2026%2F123`) of a case the integration may reach (by default one this source application created or was filed into through Flyt; an unreachable number fails as `unknown-case`, exactly as one that does not exist), or the id of an earlier case submission of the same source application, archived or not yet.",
              schema: { type: "string" },
            },
            { $ref: "#/components/parameters/IdempotencyKey" },
          ],
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: { $ref: "#/components/schemas/JournalPostsSubmission" } },
            },
          },
          responses: submissionResponses,
        },
      },
      "/api/v1/files": {
        post: {
          operationId: "uploadFile",
          summary: "Upload a document's content (streamed), to refer to it by fileId",
          parameters: [
            {
              name: "Content-Disposition",
              in: "header",
              description: "`attachment; filename*=UTF-8''<percent-encoded name>` (or `?filename=`).",
              schema: { type: "string" },
            },
            { name: "filename", in: "query", schema: { type: "string" } },
          ],
          requestBody: {
            required: true,
            content: Object.fromEntries(
              allowedMimeTypes.map((type) => [type, { schema: { type: "string", contentMediaType: type } }]),
            ),
          },
          responses: {
            "201": {
              description: "Stored.",
              content: { "application/json": { schema: { $ref: "#/components/schemas/FileReference" } } },
            },
            "400": problem(
              "No usable file name, or no content. The name is kept as sent (UTF-8) less directories, control characters and bidirectional text controls (U+202A-202E, U+2066-2069, U+200E, U+200F, U+061C).",
            ),
            ...common,
            "413": problem("The file is too large."),
            "415": problem("The type is not an allowed document type."),
          },
        },
      },
      "/api/v1/submissions/{id}": {
        get: {
          operationId: "getSubmission",
          summary: "The status of a submission",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: statusResponses,
        },
      },
      "/api/v1/submissions": {
        get: {
          operationId: "findSubmission",
          summary: "The status of a submission, by integrationId and sourceInstanceId",
          parameters: [
            { name: "integrationId", in: "query", required: true, schema: { type: "string" } },
            { name: "sourceInstanceId", in: "query", required: true, schema: { type: "string" } },
          ],
          responses: statusResponses,
        },
      },
      "/api/v1/callback": {
        put: {
          operationId: "registerCallback",
          summary:
            "Register (or replace) the callback endpoint of the caller's tenant and source application",
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["url"],
                  properties: {
                    url: {
                      type: "string",
                      format: "uri",
                      examples: ["https://fagsystem.example/flyt-callback"],
                    },
                  },
                },
              },
            },
          },
          responses: {
            "200": {
              description: "Registered. The secret (Standard Webhooks, `whsec_...`) is shown only now.",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["url", "secret"],
                    properties: { url: { type: "string" }, secret: { type: "string", pattern: "^whsec_" } },
                  },
                },
              },
            },
            "400": problem(
              "The URL is refused: not https, or it resolves to a private, loopback or metadata address.",
            ),
            ...common,
            "415": problem("The body is not application/json."),
          },
        },
        get: {
          operationId: "getCallback",
          summary: "The registered callback endpoint (without its secret)",
          responses: {
            "200": {
              description: "The endpoint.",
              content: { "application/json": { schema: { $ref: "#/components/schemas/CallbackEndpoint" } } },
            },
            ...common,
            "404": problem("No callback is registered."),
          },
        },
        delete: {
          operationId: "deleteCallback",
          summary: "Remove the callback endpoint",
          responses: {
            "204": { description: "Removed." },
            ...common,
            "404": problem("No callback is registered."),
          },
        },
      },
      "/api/v1/callback/rotate-secret": {
        post: {
          operationId: "rotateCallbackSecret",
          summary: "A new signing secret; the previous one keeps signing too until previousSecretExpiresAt",
          responses: {
            "200": {
              description: "Rotated. The new secret is shown only now.",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["url", "secret", "previousSecretExpiresAt"],
                    properties: {
                      url: { type: "string" },
                      secret: { type: "string" },
                      previousSecretExpiresAt: { type: "string", format: "date-time" },
                    },
                  },
                },
              },
            },
            ...common,
            "404": problem("No callback is registered."),
          },
        },
      },
      "/api/v1/callback/ping": {
        post: {
          operationId: "pingCallback",
          summary: "Send a signed test event (`type: callback.ping`) to the callback endpoint, tried once",
          responses: {
            "202": {
              description:
                "Asked for: the dispatcher sends it shortly. Its delivery, with the attempt, is at `Location`.",
              headers: { Location: { schema: { type: "string" }, description: "The delivery." } },
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["deliveryId"],
                    properties: { deliveryId: { type: "string", format: "uuid" } },
                  },
                },
              },
            },
            ...common,
            "404": problem("No callback is registered."),
          },
        },
      },
      "/api/v1/callback/deliveries": {
        get: {
          operationId: "listCallbackDeliveries",
          summary: "The caller's callback deliveries, newest first, each with every attempt",
          parameters: [
            {
              name: "state",
              in: "query",
              schema: { type: "string", enum: [...deliveryStates] },
              description: "Only deliveries in this state.",
            },
            {
              name: "limit",
              in: "query",
              schema: { type: "integer", minimum: 1, maximum: 200, default: 50 },
            },
            {
              name: "cursor",
              in: "query",
              schema: { type: "string" },
              description: "`next` of the previous page.",
            },
          ],
          responses: {
            "200": {
              description: "A page of deliveries; `next` continues the list when there are more.",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["deliveries"],
                    properties: {
                      deliveries: { type: "array", items: { $ref: "#/components/schemas/CallbackDelivery" } },
                      next: { type: "string" },
                    },
                  },
                },
              },
            },
            "400": problem("A query parameter is invalid or repeated: every one named at once."),
            ...common,
          },
        },
      },
      "/api/v1/callback/deliveries/{deliveryId}": {
        get: {
          operationId: "getCallbackDelivery",
          summary: "One callback delivery (its id is the `webhook-id`), with every attempt",
          parameters: [{ $ref: "#/components/parameters/DeliveryId" }],
          responses: {
            "200": {
              description: "The delivery.",
              content: { "application/json": { schema: { $ref: "#/components/schemas/CallbackDelivery" } } },
            },
            ...common,
            "404": problem(
              "No such delivery for this caller (also another tenant's or source application's).",
            ),
          },
        },
      },
      "/api/v1/callback/deliveries/{deliveryId}/resend": {
        post: {
          operationId: "resendCallbackDelivery",
          summary: "Send a delivery again: the same `webhook-id`, its retry schedule started over",
          parameters: [{ $ref: "#/components/parameters/DeliveryId" }],
          responses: {
            "202": {
              description: "Asked for: the dispatcher sends it shortly.",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["deliveryId"],
                    properties: { deliveryId: { type: "string" } },
                  },
                },
              },
            },
            ...common,
            "404": problem("No such delivery for this caller."),
          },
        },
      },
      "/api/v1/callback/replay": {
        post: {
          operationId: "replayParkedCallbacks",
          summary:
            "Send again every delivery parked (its retries spent, or its endpoint disabled) since a time",
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["since"],
                  properties: {
                    since: { type: "string", format: "date-time", examples: ["2026-11-23T00:00:00Z"] },
                  },
                },
              },
            },
          },
          responses: {
            "202": {
              description:
                "Asked for: the dispatcher sends them again shortly, each under its own `webhook-id`.",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["since"],
                    properties: { since: { type: "string", format: "date-time" } },
                  },
                },
              },
            },
            "400": problem("`since` is missing or not an ISO 8601 instant with a time zone."),
            ...common,
            "404": problem("No callback is registered."),
            "415": problem("The body is not application/json."),
          },
        },
      },
      "/api/v1/openapi.json": {
        get: {
          operationId: "openApi",
          summary: "This document",
          security: [],
          responses: { "200": { description: "OpenAPI 3.1", content: { "application/json": {} } } },
        },
      },
    },
    webhooks: {
      submissionCompleted: {
        post: {
          operationId: "submissionCompletedCallback",
          summary: "Posted to the registered endpoint when a submission reaches a terminal status",
          description:
            "Signed per Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>` with the secret's bytes after `whsec_`; during a rotation's overlap two signatures, space-separated. Any 2xx is success; otherwise retried with backoff and jitter for about three days (`Retry-After` honoured); 410 disables the endpoint. Redirects are not followed.",
          security: [],
          parameters: [
            {
              name: "webhook-id",
              in: "header",
              required: true,
              description: "The delivery's id: the same at every retry and resend (deduplicate by it).",
              schema: { type: "string" },
            },
            {
              name: "webhook-timestamp",
              in: "header",
              required: true,
              description: "Seconds since the epoch, when this attempt was signed.",
              schema: { type: "string" },
            },
            { name: "webhook-signature", in: "header", required: true, schema: { type: "string" } },
          ],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  description: "The status resource (without `callback`), with the event's type.",
                  allOf: [
                    { $ref: "#/components/schemas/SubmissionStatus" },
                    {
                      type: "object",
                      required: ["type"],
                      properties: {
                        type: {
                          type: "string",
                          enum: [
                            "submission.archived",
                            "submission.rejected",
                            "submission.failed",
                            "submission.cancelled",
                          ],
                        },
                      },
                    },
                  ],
                },
              },
            },
          },
          responses: { "200": { description: "Taken (any 2xx; 202 is fine too)." } },
        },
      },
    },
    components: {
      securitySchemes: {
        clientCredentials: {
          type: "oauth2",
          description: "OAuth 2.0 client credentials; JWT access tokens issued for this gateway's audience.",
          flows: { clientCredentials: { tokenUrl: options.tokenUrl, scopes: {} } },
        },
      },
      parameters: {
        DeliveryId: {
          name: "deliveryId",
          in: "path",
          required: true,
          description: "The delivery's id: the `webhook-id` its callbacks carry.",
          schema: { type: "string" },
        },
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          description:
            "Optional (draft-ietf-httpapi-idempotency-key-header), scoped to the client: the same key with the same body answers the stored response; with another body 422; while the first is in flight 409. Kept at least 24 h.",
          schema: { type: "string", minLength: 1, maxLength: 255 },
        },
      },
      schemas: {
        ...schemas,
        SubmissionAccepted: {
          type: "object",
          required: ["id", "status", "statusUrl"],
          properties: {
            id: { type: "string", examples: ["sub_01JD8Z6ZQ8W3J1T5VZ7Y2M4K9C"] },
            status: { const: "RECEIVED" },
            statusUrl: { type: "string" },
          },
        },
        SubmissionStatus: {
          type: "object",
          required: [
            "id",
            "integrationId",
            "sourceInstanceId",
            "kind",
            "status",
            "journalPostNumbers",
            "errors",
            "history",
            "createdAt",
            "updatedAt",
          ],
          properties: {
            id: { type: "string" },
            integrationId: { type: "string" },
            sourceInstanceId: { type: "string" },
            kind: { type: "string", enum: ["case", "journal-posts"] },
            status: {
              type: "string",
              enum: [...submissionStatusValues],
            },
            caseNumber: { type: ["string", "null"], examples: ["2026/123"] },
            journalPostNumbers: { type: "array", items: { type: "string" } },
            errors: { type: "array", items: { $ref: "#/components/schemas/FieldError" } },
            history: {
              description:
                "The statuses the submission went through, in the order Flyt recorded them: a history only grows at its end (a step never moves or disappears), and a terminal status is listed only with every step before it. The callback of a terminal status carries the same history.",
              type: "array",
              items: {
                type: "object",
                required: ["status", "at"],
                properties: {
                  status: { type: "string", enum: [...submissionStatusValues] },
                  at: { type: "string", format: "date-time" },
                },
              },
            },
            createdAt: { type: "string", format: "date-time" },
            updatedAt: { type: "string", format: "date-time" },
            callback: {
              description:
                "How the callback of a terminal status fares; null when no endpoint applied (none was registered when the submission ended) or the status is not terminal. Not part of the callback's own body.",
              oneOf: [{ type: "null" }, { $ref: "#/components/schemas/CallbackState" }],
            },
          },
        },
        CallbackState: {
          type: "object",
          required: ["state", "attempts", "lastAttemptAt", "lastStatusCode", "nextAttemptAt"],
          properties: {
            state: {
              type: "string",
              enum: [...deliveryStates, "disabled"],
              description:
                "`pending`: not attempted yet; `retrying`: failed, tried again at `nextAttemptAt`; `delivered`: a 2xx came back; `parked`: retries spent (replayable); `disabled`: the endpoint is disabled (410, or failing for 5 days).",
            },
            attempts: { type: "integer", minimum: 0 },
            lastAttemptAt: { type: ["string", "null"], format: "date-time" },
            lastStatusCode: { type: ["integer", "null"] },
            nextAttemptAt: { type: ["string", "null"], format: "date-time" },
          },
        },
        CallbackDelivery: {
          type: "object",
          required: ["id", "type", "submissionId", "state", "attempts", "createdAt", "attemptLog"],
          properties: {
            id: { type: "string", description: "The `webhook-id`, the same at every attempt and resend." },
            type: {
              type: "string",
              examples: ["submission.archived", "submission.rejected", "submission.failed", "callback.ping"],
            },
            submissionId: { type: ["string", "null"] },
            state: { type: "string", enum: [...deliveryStates] },
            attempts: { type: "integer", minimum: 0 },
            nextAttemptAt: { type: ["string", "null"], format: "date-time" },
            lastAttemptAt: { type: ["string", "null"], format: "date-time" },
            lastStatusCode: { type: ["integer", "null"] },
            lastError: { type: ["string", "null"] },
            deliveredAt: { type: ["string", "null"], format: "date-time" },
            parkedAt: { type: ["string", "null"], format: "date-time" },
            parkedReason: {
              type: ["string", "null"],
              examples: ["retries-exhausted", "endpoint-gone", "endpoint-disabled", "no-endpoint"],
            },
            createdAt: { type: "string", format: "date-time" },
            attemptLog: {
              type: "array",
              items: {
                type: "object",
                required: ["attempt", "at", "durationMs", "statusCode", "error"],
                properties: {
                  attempt: { type: "integer", minimum: 1 },
                  at: { type: "string", format: "date-time" },
                  durationMs: { type: "integer", minimum: 0 },
                  statusCode: { type: ["integer", "null"] },
                  error: { type: ["string", "null"] },
                },
              },
            },
          },
        },
        CallbackEndpoint: {
          type: "object",
          required: ["url", "createdAt", "updatedAt", "previousSecretExpiresAt"],
          properties: {
            url: { type: "string" },
            createdAt: { type: "string", format: "date-time" },
            updatedAt: { type: "string", format: "date-time" },
            previousSecretExpiresAt: { type: ["string", "null"], format: "date-time" },
          },
        },
        FileReference: {
          type: "object",
          required: ["fileId", "filename", "mimeType", "sizeBytes", "sha256"],
          properties: {
            fileId: { type: "string" },
            filename: { type: "string" },
            mimeType: { type: "string" },
            sizeBytes: { type: "integer" },
            sha256: { type: "string", pattern: "^[0-9a-f]{64}$" },
          },
        },
        FieldError: {
          type: "object",
          required: ["code", "pointer", "detail"],
          properties: {
            code: { type: "string", description: "Stable identifier to switch on." },
            pointer: { type: "string", description: "JSON pointer into the submitted body." },
            detail: { type: "string" },
          },
        },
        Problem: {
          type: "object",
          description: "RFC 9457 problem details.",
          required: ["type", "title", "status", "detail", "instance"],
          properties: {
            type: { type: "string", examples: ["urn:flyt:problem:invalid-request"] },
            title: { type: "string" },
            status: { type: "integer" },
            detail: { type: "string" },
            instance: { type: "string" },
            errors: {
              type: "array",
              maxItems: LISTED_ERRORS,
              items: { $ref: "#/components/schemas/FieldError" },
              description: `Every problem found, at once; at most the first ${LISTED_ERRORS}.`,
            },
            moreErrors: {
              type: "integer",
              minimum: 1,
              description: `How many more errors were found and not listed (present only then). The gateway stops looking after ${ERRORS_CHECKED.toLocaleString("en-US")} errors, so a body wrong in more places has more still.`,
            },
          },
        },
      },
    },
  };
}
