import { z } from "zod";

const ROLE = /^[A-Za-z0-9._-]+$/;

/**
 * The clients of a local server given as text (`OAUTH_CLIENTS` of docker-compose): `id:secret` entries,
 * comma-separated, each optionally with the app roles its tokens carry: `id:secret:role1+role2`.
 */
export const clientListSchema = z
  .string()
  .min(1)
  .transform((value) =>
    value.split(",").map((entry) => {
      const [clientId = "", clientSecret = "", ...rest] = entry.split(":").map((part) => part.trim());
      // A role with a colon is malformed: keeping it whole lets the role pattern refuse it.
      const roles = rest.length ? rest.join(":").split("+") : [];
      return { clientId, clientSecret, roles };
    }),
  )
  .pipe(
    z
      .array(
        z.object({
          clientId: z.string().min(1),
          clientSecret: z.string().min(8),
          roles: z.array(z.string().regex(ROLE, "a role is letters, digits, dots, dashes and underscores")),
        }),
      )
      .min(1),
  );
