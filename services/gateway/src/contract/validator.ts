import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { documentRuleErrors, type FieldError } from "../domain/document-rules";
import { ERRORS_CHECKED } from "./body-limits";
import { boundedPart, escapePointer, type ValidationPart, validationParts } from "./bounded-body";
import { schemas } from "./schemas";

const CONTRACT_ID = "urn:flyt:source-system-api:v1";

const ajvOptions = { strict: true, strictRequired: false } as const;
// Whether a body is valid: stops at its first error, so a valid body costs one pass and a wrong one less.
const firstError = new Ajv2020({ ...ajvOptions, allErrors: false });
// What is wrong with it, part by part: every error of a part at once.
const everyError = new Ajv2020({ ...ajvOptions, allErrors: true });
for (const ajv of [firstError, everyError]) {
  addFormats.default(ajv, ["date", "email"]);
  // The schemas refer to each other as the OpenAPI document does (#/components/schemas/...).
  ajv.addVocabulary(["components"]);
}
firstError.addSchema({ $id: CONTRACT_ID, components: { schemas } });

const rootSchemas = {
  case: schemas.CaseSubmission,
  journalPosts: schemas.JournalPostsSubmission,
} as const;

export type BodyKind = keyof typeof rootSchemas;

const components = schemas as unknown as Record<string, Record<string, unknown>>;
const isValid = {
  case: compiled(`${CONTRACT_ID}#/components/schemas/CaseSubmission`),
  journalPosts: compiled(`${CONTRACT_ID}#/components/schemas/JournalPostsSubmission`),
};
const partValidators = new Map<ValidationPart, ValidateFunction>();
const parts = {
  case: validationParts(rootSchemas.case, components),
  journalPosts: validationParts(rootSchemas.journalPosts, components),
};

/**
 * Every structural problem of a request body at once (up to `ERRORS_CHECKED`): the contract's schema, then the
 * document rules the schema cannot express. An empty list means the body may be accepted.
 */
export function validateBody(kind: BodyKind, body: unknown): FieldError[] {
  const validate = isValid[kind];
  if (validate(body)) {
    const journalPosts = (body as { journalPosts?: [] }).journalPosts ?? [];
    return documentRuleErrors(journalPosts, "/journalPosts");
  }
  const found: FieldError[] = [];
  checkPart(parts[kind], body, "", found);
  // The parts say together what the whole schema says; should they ever not, the whole schema's first error.
  if (found.length === 0) found.push(...(validate.errors ?? []).map((error) => toFieldError(error, "")));
  return found;
}

/** Validates one part of a body, then its lists' items (each list one past its limit), until enough is found. */
function checkPart(part: ValidationPart, value: unknown, pointer: string, found: FieldError[]): void {
  const bounded = boundedPart(value, part, components);
  const validate = partValidator(part);
  if (!validate(bounded.value))
    for (const error of validate.errors ?? []) found.push(toFieldError(error, pointer));
  for (const error of bounded.errors) found.push({ ...error, pointer: `${pointer}${error.pointer}` });
  for (const list of part.lists) {
    const items = valueAt(value, list.path);
    if (!Array.isArray(items)) continue;
    const listPointer = `${pointer}/${list.path.map(escapePointer).join("/")}`;
    const checked = Math.min(items.length, list.maxItems + 1);
    for (let index = 0; index < checked; index += 1) {
      if (found.length >= ERRORS_CHECKED) return;
      checkPart(list.item, items[index], `${listPointer}/${index}`, found);
    }
  }
}

function partValidator(part: ValidationPart): ValidateFunction {
  let validate = partValidators.get(part);
  if (!validate) {
    validate = everyError.compile(part.schema);
    partValidators.set(part, validate);
  }
  return validate;
}

function compiled(ref: string): ValidateFunction {
  const validate = firstError.getSchema(ref);
  if (!validate) throw new Error(`no schema ${ref}`);
  return validate;
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let at = value;
  for (const name of path) {
    if (typeof at !== "object" || at === null || Array.isArray(at) || !Object.hasOwn(at, name)) return;
    at = (at as Record<string, unknown>)[name];
  }
  return at;
}

function toFieldError(error: ErrorObject, pointer: string): FieldError {
  const at = `${pointer}${error.instancePath}`;
  switch (error.keyword) {
    case "required": {
      const field = (error.params as { missingProperty: string }).missingProperty;
      return {
        code: "missing-field",
        pointer: `${at}/${escapePointer(field)}`,
        detail: `${field} is required.`,
      };
    }
    case "additionalProperties": {
      const field = (error.params as { additionalProperty: string }).additionalProperty;
      return {
        code: "unknown-field",
        pointer: `${at}/${escapePointer(field)}`,
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
