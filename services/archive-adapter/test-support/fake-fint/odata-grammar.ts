/**
 * FINT's `$filter` grammar as fint-antlr defines it (FINTLabs/fint-antlr `src/main/antlr/no/fint/antlr/OData.g4`):
 *
 *     filter     : (lambda | comparison) (' ' logicalOperator ' ' (lambda | comparison))* | EOF
 *     comparison : (notOperator ' ')? property ' ' comparisonOperator ' ' value
 *     lambda     : (notOperator ' ')? collection '/' lambdaOperator '(' STRING ':' STRING '/' comparison ')'
 *     property   : STRING ('/' STRING)*          STRING : ALPHA+
 *     value      : CHAR                          CHAR   : '\'' CHARS+ '\''
 *     CHARS      : '-' | '_' | ':' | '/' | '$' | '.' | '{' | '}' | ' ' | NUMERIC | ALPHA
 *     ALPHA      : A-Z a-z Æ æ Ø ø Å å Ä ä Ö ö
 *
 * Exactly one space between tokens; `and`/`or` with no parentheses; a value cannot hold a quote (there is no
 * `''` escape: a second quote ends the value). Property names are letters only. A lambda's variable must be
 * followed by `/property` (`any(x:x/prop eq 'v')`), so `noekkelord/any(k:k eq 'v')` does not parse.
 *
 * Written apart from the driver (which builds filters), so the two check each other. Stricter than the real
 * parser in one way, on purpose: its `filter` rule has no EOF after the first alternative, so trailing input
 * after a complete filter is silently ignored there (`tittel eq 'Kari''s sak'` would search for `Kari`); this
 * parser refuses the whole filter, since a driver must never send one.
 */

export interface Comparison {
  readonly kind: "comparison";
  readonly not: boolean;
  readonly property: string;
  readonly operator: string;
  /** The value without its quotes. */
  readonly value: string;
}

export interface Lambda {
  readonly kind: "lambda";
  readonly not: boolean;
  readonly collection: string;
  readonly operator: "any" | "all";
  readonly variable: string;
  readonly comparison: Comparison;
}

export interface ParsedFilter {
  readonly terms: readonly (Comparison | Lambda)[];
  readonly logical: readonly ("and" | "or")[];
}

const COMPARISON_OPERATORS = ["eq", "ne", "gt", "lt", "ge", "le", "startswith", "contains", "endswith"];
/** Literal tokens of the parser rules: the lexer takes them over a STRING of the same text. */
const KEYWORDS = new Set([...COMPARISON_OPERATORS, "and", "or", "not", "any", "all"]);
const ALPHA = "A-Za-zÆæØøÅåÄäÖö";
const STRING = new RegExp(`^[${ALPHA}]+`);
const VALUE = new RegExp(`^'([${ALPHA}0-9\\-_:/$.{} ]+)'`);

/** The parsed filter, or the reason it does not parse. */
export function parseFilter(filter: string): ParsedFilter | { readonly error: string } {
  const terms: (Comparison | Lambda)[] = [];
  const logical: ("and" | "or")[] = [];
  if (filter === "") return { terms, logical };
  let rest = filter;
  for (;;) {
    const term = parseTerm(rest);
    if ("error" in term) return term;
    terms.push(term.term);
    rest = term.rest;
    if (rest === "") return { terms, logical };
    const joined = /^ (and|or) /.exec(rest);
    if (!joined) return { error: `unexpected input at "${rest}"` };
    logical.push(joined[1] as "and" | "or");
    rest = rest.slice(joined[0].length);
  }
}

function parseTerm(input: string): { term: Comparison | Lambda; rest: string } | { error: string } {
  let rest = input;
  const not = rest.startsWith("not ");
  if (not) rest = rest.slice(4);
  const path = parseProperty(rest);
  if ("error" in path) return path;
  rest = path.rest;
  const lambda = /^\/(any|all)\(/.exec(rest);
  if (lambda) {
    rest = rest.slice(lambda[0].length);
    const variable = STRING.exec(rest)?.[0];
    if (!variable || KEYWORDS.has(variable)) return { error: `a lambda needs a variable at "${rest}"` };
    rest = rest.slice(variable.length);
    if (!rest.startsWith(":")) return { error: `expected ':' at "${rest}"` };
    rest = rest.slice(1);
    const again = STRING.exec(rest)?.[0];
    if (!again || KEYWORDS.has(again)) return { error: `expected the lambda variable at "${rest}"` };
    rest = rest.slice(again.length);
    if (!rest.startsWith("/"))
      return { error: `expected '/' and a property after the lambda variable at "${rest}"` };
    const inner = parseComparison(rest.slice(1), false);
    if ("error" in inner) return inner;
    if (!inner.rest.startsWith(")")) return { error: `expected ')' at "${inner.rest}"` };
    return {
      term: {
        kind: "lambda",
        not,
        collection: path.property,
        operator: lambda[1] as "any" | "all",
        variable,
        comparison: inner.term,
      },
      rest: inner.rest.slice(1),
    };
  }
  return parseComparison(input, true);
}

function parseComparison(
  input: string,
  notAllowed: boolean,
): { term: Comparison; rest: string } | { error: string } {
  let rest = input;
  const not = notAllowed && rest.startsWith("not ");
  if (not) rest = rest.slice(4);
  const path = parseProperty(rest);
  if ("error" in path) return path;
  rest = path.rest;
  const operator = new RegExp(`^ (${COMPARISON_OPERATORS.join("|")}) `).exec(rest);
  if (!operator) return { error: `expected ' <operator> ' at "${rest}"` };
  rest = rest.slice(operator[0].length);
  const value = VALUE.exec(rest);
  if (!value)
    return { error: `expected a quoted value of letters, digits, space or - _ : / $ . { } at "${rest}"` };
  return {
    term: {
      kind: "comparison",
      not,
      property: path.property,
      operator: operator[1] ?? "",
      value: value[1] ?? "",
    },
    rest: rest.slice(value[0].length),
  };
}

function parseProperty(input: string): { property: string; rest: string } | { error: string } {
  const segments: string[] = [];
  let rest = input;
  for (;;) {
    const segment = STRING.exec(rest)?.[0];
    if (!segment || KEYWORDS.has(segment)) return { error: `expected a property at "${rest}"` };
    segments.push(segment);
    rest = rest.slice(segment.length);
    // `/any(` or `/all(` ends the collection of a lambda.
    if (!rest.startsWith("/") || /^\/(any|all)\(/.test(rest)) return { property: segments.join("/"), rest };
    rest = rest.slice(1);
  }
}
