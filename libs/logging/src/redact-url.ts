/** Removes the password (and user) from a connection URL so it can be logged or printed. */
export function redactUrlCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "[unparseable url]";
  }
}

/**
 * A URL someone else chose (a callback URL), as it may be logged: scheme, host, port and path only. User info,
 * query and fragment are where such URLs carry credentials and tokens.
 */
export function loggableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return "[unparseable url]";
  }
}
