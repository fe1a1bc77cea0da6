import type { Context, Middleware, Next } from "koa";
import type { Administrator } from "../../domain/caller";
import type { VerifyAccessToken } from "./access-token";
import { Problem } from "./problem";

export interface AuthenticateAdminOptions {
  readonly verifyToken: VerifyAccessToken;
  /** The app role an admin token carries in its `roles` claim. */
  readonly role: string;
}

/**
 * The admin API's authentication: the same full token validation as the source-system API (401), then the
 * token must carry the admin role in its `roles` claim, as Entra ID puts app roles into client-credentials
 * tokens (403 otherwise). Being a registered source-system client grants nothing here.
 */
export function authenticateAdmin(options: AuthenticateAdminOptions): Middleware {
  return async function authenticateAdmin(ctx: Context, next: Next) {
    const { clientId, claims } = await options.verifyToken(ctx);
    const roles = Array.isArray(claims.roles) ? claims.roles : [];
    if (!roles.includes(options.role)) {
      throw new Problem(
        403,
        "admin-role-required",
        "Admin role required",
        `The admin API needs an access token with the ${options.role} role.`,
      );
    }
    ctx.state.administrator = { clientId } satisfies Administrator;
    await next();
  };
}
