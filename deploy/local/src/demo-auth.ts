import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RegisteredClient } from "@flyt/oauth-server";

export const LOCAL_AUDIENCE = "urn:flyt:gateway:test";

/**
 * The platform team's demo client for the gateway's admin API. It is no source system, so it is not in the
 * registry: the authorization server grants it the admin app role, which its tokens carry.
 */
export const DEMO_ADMIN_CLIENT_ID = "flyt-platform-admin";
const ADMIN_ROLE = "flyt.admin";

/**
 * Secrets of the demo clients, made once per checkout and kept in the state folder, so the curl session the
 * run prints keeps working across restarts. Local only: the local authorization server is never deployed.
 */
export async function demoClientSecrets(
  stateDir: string,
  clientIds: readonly string[],
): Promise<RegisteredClient[]> {
  const file = join(stateDir, "oauth-clients.json");
  const known = JSON.parse(await readFile(file, "utf8").catch(() => "{}")) as Record<string, string>;
  const clients = clientIds.map((clientId) => {
    known[clientId] ??= randomBytes(24).toString("base64url");
    return { clientId, clientSecret: known[clientId] as string };
  });
  await writeFile(file, JSON.stringify(known, null, 2), { mode: 0o600 });
  return clients;
}

/** The demo admin client, its secret kept per checkout like the source systems' ones. */
export async function demoAdminClient(stateDir: string): Promise<RegisteredClient> {
  const [client] = await demoClientSecrets(stateDir, [DEMO_ADMIN_CLIENT_ID]);
  return { ...(client as RegisteredClient), roles: [ADMIN_ROLE] };
}

/** One copy-paste line printed by `npm start`: the demo county's integrations, from the admin API. */
export function adminCurl(options: {
  gatewayUrl: string;
  tokenEndpoint: string;
  client: RegisteredClient;
}): string {
  const token = `curl -s -u ${options.client.clientId}:${options.client.clientSecret} -d grant_type=client_credentials ${options.tokenEndpoint} | ${readJsonField("access_token")}`;
  return `curl -s ${options.gatewayUrl}/admin/v1/tenants/demo/integrations -H "Authorization: Bearer $(${token})"`;
}

/** A shell filter printing one field of the JSON on its stdin (node is there wherever npm start runs). */
export function readJsonField(field: string): string {
  return `node -pe 'JSON.parse(require("fs").readFileSync(0)).${field}'`;
}
