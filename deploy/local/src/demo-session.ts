import type { RegisteredClient } from "@flyt/oauth-server";
import { readJsonField } from "./demo-auth";

/** Marks the session in `npm start`'s output, so a person (and the end-to-end test) can take it as a whole. */
export const DEMO_START = "----- demo: paste into bash, from the repository root -----";
export const DEMO_END = "----- end of demo -----";

export interface DemoOptions {
  readonly gatewayUrl: string;
  readonly tokenEndpoint: string;
  /** eGrunnerverv's demo client: a source system with one-step and two-step integrations. */
  readonly client: RegisteredClient;
  /** The platform team's admin client, for the operator's retry. */
  readonly admin: RegisteredClient;
  /** The local run's database, where the simulated archive's outages are declared. */
  readonly databaseUrl: string;
  /** How long the archive adapter retries before a submission FAILS, in seconds. */
  readonly retryBudgetSeconds: number;
}

const pdf = Buffer.from("%PDF-1.7\n% Flyt demo\n").toString("base64");
const html = Buffer.from("<!doctype html><title>Not a PDF</title>").toString("base64");
const TERMINAL = "ARCHIVED REJECTED FAILED CANCELLED";
/** How many times (a second apart) the demo polls before it gives up: past the local run's retry budget. */
const POLL_TRIES = 300;

const journalPost = (tittel: string, content = pdf, extra: object = {}) => ({
  tittel,
  journalposttype: "I",
  korrespondansepart: [{ korrespondanseparttype: "avsender", navn: "Kari Hansen" }],
  dokumenter: [
    {
      tittel: `${tittel} (signert)`,
      tilknyttetRegistreringSom: "H",
      filnavn: "kontrakt.pdf",
      mimeType: "application/pdf",
      innhold: content,
    },
  ],
  ...extra,
});

/** A JSON body in single quotes, with `$RUN` spliced into it so every paste makes new submissions. */
const body = (value: object) => `'${JSON.stringify(value).replaceAll("RUN_ID", "'$RUN'")}'`;

/**
 * The copy-paste session `npm start` prints: a token, a one-step case and journal posts sent to it before it is
 * archived (two-step), each polled until ARCHIVED; a submission REJECTED with every error at once; an archive
 * outage that ends in FAILED with the archive's words, and an operator's retry that then archives it. Each step
 * prints the status resource it ends with, one JSON line each.
 */
export function demoSession(options: DemoOptions): string {
  const { gatewayUrl } = options;
  const token = (client: RegisteredClient) =>
    `$(curl -s -u ${client.clientId}:${client.clientSecret} -d grant_type=client_credentials ${options.tokenEndpoint} | ${readJsonField("access_token")})`;
  const post = (path: string, json: string) =>
    `curl -s ${gatewayUrl}${path} -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d ${json} | ${readJsonField("id")}`;
  const simulator = (args: string) => `DATABASE_URL=${options.databaseUrl} npm run -s simulator -- ${args}`;
  return [
    "# A token for eGrunnerverv (OAuth 2.0 client credentials), and a poll that waits for a status:",
    `TOKEN=${token(options.client)}`,
    "RUN=$(date +%s)",
    `poll() { local want="\${2:-${TERMINAL}}" tries=0; while [ $((tries+=1)) -le ${POLL_TRIES} ]; do S=$(curl -s ${gatewayUrl}/api/v1/submissions/$1 -H "Authorization: Bearer $TOKEN"); case "$S" in *'"type":"urn:flyt:problem'*) echo "$S"; return 1;; esac; for w in $want; do case "$S" in *"\\"status\\":\\"$w\\""*) echo "$S"; return;; esac; done; sleep 1; done; echo "gave up waiting for $1 to be $want" >&2; return 1; }`,
    "",
    "# One-step: a case with its journal post and document, archived as one unit. Two-step: journal posts sent",
    "# to that case submission before it is archived; they follow it. Both end ARCHIVED with their numbers.",
    `CASE=$(${post(
      "/api/v1/cases",
      body({
        integrationId: "egrunnerverv-sak",
        sourceInstanceId: "GRV-RUN_ID",
        case: {
          tittel: "Erverv av grunn - gnr 12 bnr 4",
          klassering: [{ ordningsprinsipp: "GBNR", ordningsverdi: "12/4" }],
        },
        journalPosts: [journalPost("Kjøpekontrakt")],
      }),
    )})`,
    `POSTS=$(${post(
      "/api/v1/cases/$CASE/journal-posts",
      body({
        integrationId: "egrunnerverv-journalpost",
        sourceInstanceId: "GRV-RUN_ID-DOC-1",
        journalPosts: [journalPost("Skjøte")],
      }),
    )})`,
    "poll $CASE; poll $POSTS",
    "",
    "# REJECTED, every error at once with a pointer to its field: no classification, an unknown journal status,",
    "# an HTML file declared as a PDF, and no correspondent.",
    `BAD=$(${post(
      "/api/v1/cases",
      body({
        integrationId: "egrunnerverv-sak",
        sourceInstanceId: "GRV-RUN_ID-BAD",
        case: { tittel: "Erverv av grunn - gnr 12 bnr 5" },
        journalPosts: [
          journalPost("Kjøpekontrakt", html, { journalstatus: "arkivert", korrespondansepart: [] }),
        ],
      }),
    )})`,
    "poll $BAD",
    "",
    `# The archive goes down: retried for ${options.retryBudgetSeconds} s (the local run's budget), then FAILED with the`,
    "# archive's own words. It comes back, and an operator (admin API) retries: ARCHIVED.",
    simulator('outage --destination demo-simulator --seconds 3600 --reason "planned maintenance"'),
    `DOWN=$(${post(
      "/api/v1/cases",
      body({
        integrationId: "egrunnerverv-sak",
        sourceInstanceId: "GRV-RUN_ID-OUTAGE",
        case: {
          tittel: "Erverv av grunn - gnr 12 bnr 6",
          klassering: [{ ordningsprinsipp: "GBNR", ordningsverdi: "12/6" }],
        },
        journalPosts: [journalPost("Kjøpekontrakt")],
      }),
    )})`,
    "poll $DOWN",
    simulator("outage-end --destination demo-simulator"),
    `ADMIN=${token(options.admin)}`,
    `curl -s -X POST ${gatewayUrl}/admin/v1/tenants/demo/submissions/$DOWN/retry -H "Authorization: Bearer $ADMIN"; echo`,
    "poll $DOWN ARCHIVED",
  ].join("\n");
}
