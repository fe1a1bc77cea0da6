import type { OAuthClient } from "@flyt/registry";
import type { Context, Middleware, Next } from "koa";
import type { Caller } from "../../domain/caller";
import type { VerifyAccessToken } from "./access-token";
import { Problem } from "./problem";

export interface AuthenticateOptions {
  readonly verifyToken: VerifyAccessToken;
  /** The environment this gateway serves; a client registered for another one is refused. */
  readonly environment: OAuthClient["environment"];
  readonly clients: { clientById(clientId: string): Promise<OAuthClient | undefined> };
}

/**
 * The source-system API's authentication: a fully valid token (401 otherwise), whose client the registry maps
 * to a tenant and source application (403 for a client that is not registered here).
 */
export function authenticate(options: AuthenticateOptions): Middleware {
  return async function authenticate(ctx: Context, next: Next) {
    const { clientId } = await options.verifyToken(ctx);
    const client = await options.clients.clientById(clientId);
    if (!client || client.revokedAt !== null || client.environment !== options.environment) {
      throw new Problem(
        403,
        "client-not-registered",
        "Client not registered",
        "This client is not registered for this environment.",
      );
    }
    ctx.state.caller = {
      clientId,
      tenantId: client.tenantId,
      sourceApplicationId: client.sourceApplicationId,
      environment: client.environment,
    } satisfies Caller;
    await next();
  };
}
