/** Who is calling: the registered client, and the one tenant and source application it acts for. */
export interface Caller {
  readonly clientId: string;
  readonly tenantId: string;
  readonly sourceApplicationId: string;
}

/** Who is calling the admin API: the OAuth client holding the admin role, named in the audit log. */
export interface Administrator {
  readonly clientId: string;
}
