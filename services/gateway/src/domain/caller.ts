/** Who is calling: the registered client, and the one tenant and source application it acts for. */
export interface Caller {
  readonly clientId: string;
  readonly tenantId: string;
  readonly sourceApplicationId: string;
}
