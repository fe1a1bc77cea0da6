import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RegisteredClient } from "@flyt/oauth-server";

export const LOCAL_AUDIENCE = "urn:flyt:gateway:test";

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

/** The copy-paste session printed by `npm start`: a token, a case, its status. */
export function curlSession(options: {
  gatewayUrl: string;
  tokenEndpoint: string;
  client: RegisteredClient;
}): string {
  const body = JSON.stringify({
    integrationId: "egrunnerverv-sak",
    sourceInstanceId: "GRV-DEMO-1",
    case: {
      tittel: "Erverv av grunn - gnr 12 bnr 4",
      klassering: [{ ordningsprinsipp: "GBNR", ordningsverdi: "12/4" }],
    },
    journalPosts: [
      {
        tittel: "Kjøpekontrakt",
        journalposttype: "I",
        dokumenter: [
          {
            tittel: "Kjøpekontrakt signert",
            tilknyttetRegistreringSom: "H",
            filnavn: "kontrakt.pdf",
            mimeType: "application/pdf",
            innhold: Buffer.from("%PDF-1.7\n").toString("base64"),
          },
        ],
      },
    ],
  });
  const json = (field: string) => `node -pe 'JSON.parse(require("fs").readFileSync(0)).${field}'`;
  return [
    `TOKEN=$(curl -s -u ${options.client.clientId}:${options.client.clientSecret} -d grant_type=client_credentials ${options.tokenEndpoint} | ${json("access_token")})`,
    `ID=$(curl -s ${options.gatewayUrl}/api/v1/cases -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '${body}' | ${json("id")})`,
    `curl -s ${options.gatewayUrl}/api/v1/submissions/$ID -H "Authorization: Bearer $TOKEN"`,
  ].join("\n");
}
