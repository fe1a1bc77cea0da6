import { HttpProblem } from "./http-problem";

/**
 * OData `$filter` (06-konsepter_og_prinsipper.rst:219–264 at tag versjon-1.1): a small parser, enough for what a
 * client of a Noark 5 archive sends: `eq`, `ne`, `and`, `or`, parentheses, paths (`klasse/klasseID`) and
 * business-specific metadata names (`vnd-flyt-v1:eksternid`). A quote inside a string is written twice (OData
 * `SQUOTE-in-string`). Other operators are 501 ("ikke implementert"), which the standard lists for searches
 * (06…rst:528–548).
 */
export type FilterNode =
  | { readonly op: "eq" | "ne"; readonly path: string; readonly value: string }
  | { readonly op: "and" | "or"; readonly left: FilterNode; readonly right: FilterNode };

function tokenize(filter: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < filter.length) {
    const char = filter[i] as string;
    if (char === " ") {
      i += 1;
    } else if (char === "(" || char === ")") {
      tokens.push(char);
      i += 1;
    } else if (char === "'") {
      let value = "";
      i += 1;
      for (;;) {
        if (i >= filter.length) throw new HttpProblem(400, "ugyldig $filter: uavsluttet streng");
        if (filter[i] === "'") {
          if (filter[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += filter[i];
        i += 1;
      }
      tokens.push(`'${value}`);
    } else {
      const match = /^[A-Za-z0-9_:./-]+/.exec(filter.slice(i));
      if (!match) throw new HttpProblem(400, `ugyldig $filter ved «${filter.slice(i)}»`);
      tokens.push(match[0]);
      i += match[0].length;
    }
  }
  return tokens;
}

export function parseFilter(filter: string): FilterNode {
  const tokens = tokenize(filter);
  let position = 0;
  const peek = () => tokens[position];
  const take = () => {
    const token = tokens[position];
    if (token === undefined) throw new HttpProblem(400, "ugyldig $filter: uventet slutt");
    position += 1;
    return token;
  };
  function comparison(): FilterNode {
    if (peek() === "(") {
      take();
      const inner = disjunction();
      if (take() !== ")") throw new HttpProblem(400, "ugyldig $filter: mangler )");
      return inner;
    }
    const path = take();
    const op = take();
    if (op !== "eq" && op !== "ne") throw new HttpProblem(501, `$filter-operatoren «${op}» støttes ikke`);
    const literal = take();
    // A string literal keeps its quote mark as a tag; a bare number is compared as its text.
    const value = literal.startsWith("'") ? literal.slice(1) : literal;
    return { op, path, value };
  }
  function conjunction(): FilterNode {
    let node = comparison();
    while (peek() === "and") {
      take();
      node = { op: "and", left: node, right: comparison() };
    }
    return node;
  }
  function disjunction(): FilterNode {
    let node = conjunction();
    while (peek() === "or") {
      take();
      node = { op: "or", left: node, right: conjunction() };
    }
    return node;
  }
  const node = disjunction();
  if (position !== tokens.length) throw new HttpProblem(400, `ugyldig $filter ved «${tokens[position]}»`);
  return node;
}

/** Every property path a filter names. */
export function pathsOf(node: FilterNode): string[] {
  switch (node.op) {
    case "and":
    case "or":
      return [...pathsOf(node.left), ...pathsOf(node.right)];
    default:
      return [node.path];
  }
}
