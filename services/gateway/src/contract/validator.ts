import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { documentRuleErrors, type FieldError } from "../domain/document-rules";
import { boundedForValidation, contractShape } from "./bounded-body";
import { schemas } from "./schemas";

const CONTRACT_ID = "urn:flyt:source-system-api:v1";

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats.default(ajv, ["date", "email"]);
// The schemas refer to each other as the OpenAPI document does (#/components/schemas/...).
ajv.addVocabulary(["components"]);
ajv.addSchema({ $id: CONTRACT_ID, components: { schemas } });

const compiled = {
  case: ajv.getSchema(`${CONTRACT_ID}#/components/schemas/CaseSubmission`),
  journalPosts: ajv.getSchema(`${CONTRACT_ID}#/components/schemas/JournalPostsSubmission`),
};

export type BodyKind = keyof typeof compiled;

const shape = contractShape(schemas);

/**
 * Every structural problem of a request body at once: the contract's schema, then the document rules the
 * schema cannot express. An empty list means the body may be accepted.
 */
export function validateBody(kind: BodyKind, body: unknown): FieldError[] {
  const validate = compiled[kind];
  if (!validate) throw new Error(`no schema for ${kind}`);
  const bounded = boundedForValidation(body, shape);
  if (!validate(bounded.body) || bounded.errors.length > 0)
    return [...(validate.errors ?? []).map(toFieldError), ...bounded.errors];
  const journalPosts = (body as { journalPosts?: [] }).journalPosts ?? [];
  return documentRuleErrors(journalPosts, "/journalPosts");
}

function toFieldError(error: ErrorObject): FieldError {
  const at = error.instancePath;
  switch (error.keyword) {
    case "required": {
      const field = (error.params as { missingProperty: string }).missingProperty;
      return { code: "missing-field", pointer: `${at}/${field}`, detail: `${field} is required.` };
    }
    case "additionalProperties": {
      const field = (error.params as { additionalProperty: string }).additionalProperty;
      return {
        code: "unknown-field",
        pointer: `${at}/${field}`,
        detail: `${field} is not a field of this object.`,
      };
    }
    case "enum": {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      return {
        code: "invalid-value",
        pointer: at,
        detail: `Must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}.`,
      };
    }
    case "type":
      return {
        code: "invalid-type",
        pointer: at,
        detail: `Must be ${(error.params as { type: string }).type}.`,
      };
    case "minLength":
      return { code: "empty", pointer: at, detail: "Must not be empty." };
    case "maxLength":
      return {
        code: "too-long",
        pointer: at,
        detail: `At most ${(error.params as { limit: number }).limit} characters.`,
      };
    case "minItems":
      return {
        code: "too-few",
        pointer: at,
        detail: `At least ${(error.params as { limit: number }).limit} items.`,
      };
    case "maxItems":
      return {
        code: "too-many",
        pointer: at,
        detail: `At most ${(error.params as { limit: number }).limit} items.`,
      };
    case "format":
      return {
        code: "invalid-format",
        pointer: at,
        detail: `Must be a valid ${(error.params as { format: string }).format}.`,
      };
    case "pattern":
      return { code: "invalid-format", pointer: at, detail: "Has the wrong format." };
    default:
      return { code: "invalid", pointer: at, detail: error.message ?? "Invalid." };
  }
}
