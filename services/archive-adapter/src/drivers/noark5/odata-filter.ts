/**
 * OData `$filter` expressions, as the tjenestegrensesnitt uses them for every search (`mappeID eq '2026/123'`,
 * `klasse/klasseID eq '12/4'`, `vnd-flyt-v1:eksternid eq '...'`). Only equality joined by `and`: all the driver
 * asks. Values are string literals, whatever a caller passes, so no value can change the expression's shape.
 */

/** A property path (`tittel`, `klasse/klassifikasjonssystem/tittel`) or a business-specific metadata name. */
const FIELD = /^(?:[A-Za-z][A-Za-z0-9]*(?:\/[A-Za-z][A-Za-z0-9]*)*|[a-z0-9]+(?:-[a-z0-9]+)*:[a-z0-9]+)$/;

/** An OData string literal: in single quotes, a quote inside written twice (OData ABNF `SQUOTE-in-string`). */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `field eq 'value'`. The field is checked, since it is spliced into the expression as it is. */
export function equals(field: string, value: string): string {
  if (!FIELD.test(field)) throw new Error(`not an OData field name: ${field}`);
  return `${field} eq ${odataString(value)}`;
}

/** Every condition must hold. */
export function allOf(conditions: readonly string[]): string {
  if (conditions.length === 0) throw new Error("an OData filter needs at least one condition");
  return conditions.join(" and ");
}
