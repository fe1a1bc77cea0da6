/**
 * Who is calling: the registered client, and the one tenant, source application and environment it acts for.
 * What it sends (submissions, files, callbacks) is theirs alone.
 */
export interface Caller {
  readonly clientId: string;
  readonly tenantId: string;
  readonly sourceApplicationId: string;
  readonly environment: string;
}

/** Who is calling the admin API: the OAuth client holding the admin role, named in the audit log. */
export interface Administrator {
  readonly clientId: string;
}
