import { maxValues } from "./bounded-body";
import { schemas } from "./schemas";

// What the gateway takes as a JSON body and says about a wrong one: the bounds that keep the work of any one
// request small, whatever is sent (issue 12). The OpenAPI document and the README state them from here.

/**
 * Nesting of objects and arrays in any JSON body of the gateway: deeper than any it takes (the contract's
 * deepest is 7 levels, an integration's configuration 4), and shallow enough for anything recursive to run.
 */
export const MAX_DEPTH = 32;

/** Field errors a problem lists; `moreErrors` counts the rest, so an answer stays small however wrong a body is. */
export const LISTED_ERRORS = 100;

/**
 * Errors found before the validator stops looking: enough to fix a body by, and a bound on the work a wrong body
 * costs (every error is an object to build; a body of a million wrong values would otherwise cost seconds).
 */
export const ERRORS_CHECKED = 1_000;

const components = schemas as unknown as Record<string, Record<string, unknown>>;

/**
 * What a JSON body of the contract can hold at most, from its schemas: the budget the body is scanned against
 * before it is parsed. A body the contract accepts always fits.
 */
export const contractBodyShape = {
  /** Values and member names of the largest body any schema accepts (every list full, every field present). */
  maxValues: Math.max(
    maxValues(schemas.CaseSubmission, components),
    maxValues(schemas.JournalPostsSubmission, components),
  ),
  /**
   * Different member names: the contract has fewer than fifty; the rest leaves room for every misspelling. V8
   * builds objects of many different names slowly (a million took seconds to parse).
   */
  maxNames: 1_000,
} as const;
