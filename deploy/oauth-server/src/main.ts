// The local authorization server as a process of its own, for docker-compose (npm start runs it in-process).
//   OAUTH_PORT=8090 OAUTH_HOST=0.0.0.0 OAUTH_AUDIENCE=urn:flyt:gateway:test OAUTH_CLIENTS="id:secret,id2:secret2"
//   A client with app roles in its tokens' `roles` claim: OAUTH_CLIENTS="admin-id:secret:flyt.admin+other.role"
// Never part of a deployment: a county's real OAuth server issues the tokens there.
import { parseConfig, port } from "@flyt/config";
import { z } from "zod";
import { startAuthorizationServer } from "./authorization-server";
import { clientListSchema } from "./client-list";

const config = parseConfig(
  z.object({
    OAUTH_HOST: z.string().default("127.0.0.1"),
    OAUTH_PORT: port.default(8090),
    /** The URL clients and the gateway reach it at, when it differs from http://host:port (containers). */
    OAUTH_ISSUER: z.url().optional(),
    OAUTH_AUDIENCE: z.string().default("urn:flyt:gateway:test"),
    OAUTH_CLIENTS: clientListSchema,
  }),
  process.env,
);

const server = await startAuthorizationServer({
  host: config.OAUTH_HOST,
  port: config.OAUTH_PORT,
  audience: config.OAUTH_AUDIENCE,
  clients: config.OAUTH_CLIENTS,
  ...(config.OAUTH_ISSUER ? { issuer: config.OAUTH_ISSUER } : {}),
});
process.stdout.write(`authorization server ${server.issuer} (token endpoint ${server.tokenEndpoint})\n`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void server.stop().then(() => process.exit(0)));
}
