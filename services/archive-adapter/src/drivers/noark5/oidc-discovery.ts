import { ArchiveRefusedError } from "../archive-errors";
import { classifyAnswer, classifyTransportError, notJsonAnswer } from "./failure-classification";
import { findLink, type Noark5Object } from "./links";
import { NOARK5_MEDIA_TYPE } from "./noark5-relations";

/**
 * Finding where to log in, as the standard requires of every server (04-teknologi.rst:14–66 at tag versjon-1.1):
 * OpenID Connect with `.well-known/openid-configuration` relative to the API root; the root, readable without
 * authentication, lists the login mechanisms, `…/api/login/oidc/` (required) pointing at that document. The
 * document's `token_endpoint` is where a client asks for tokens (OpenID Connect Discovery 1.0 §3); Flyt asks with
 * the client credentials grant, so the provider must offer it.
 */
export const LOGIN_OIDC = "https://rel.arkivverket.no/noark5/v5/api/login/oidc/";

export type ClientAuthMethod = "client_secret_basic" | "client_secret_post";

/** Where tokens come from, and how the client authenticates there. */
export interface TokenEndpoint {
  readonly url: string;
  readonly authMethod: ClientAuthMethod;
  /** `discovered` from the archive's OpenID configuration, or `configured` for the destination. */
  readonly source: "discovered" | "configured";
}

interface Http {
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  readonly now: () => number;
}

/** A GET without a token (nothing here needs one), its failures classified as the driver's others. */
async function getOpenly(http: Http, url: string, accept: string, purpose: string): Promise<Noark5Object> {
  const request = { method: "GET", purpose };
  let response: Response;
  let text: string;
  try {
    response = await http.fetch(url, { headers: { accept }, signal: AbortSignal.timeout(http.timeoutMs) });
    text = await response.text();
  } catch (error) {
    throw classifyTransportError(error, request);
  }
  if (!response.ok) {
    throw classifyAnswer(
      { status: response.status, retryAfter: response.headers.get("retry-after"), bodyText: text },
      request,
      http.now(),
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw notJsonAnswer(`the archive's ${purpose}`, response.status, text);
  }
  if (typeof body === "object" && body !== null && !Array.isArray(body)) return body as Noark5Object;
  throw new ArchiveRefusedError(`the archive answered ${purpose} with something not a JSON object`, {
    status: response.status,
  });
}

/** The API root with a trailing slash, so relative URLs resolve under it (`…/api/` + `.well-known/...`). */
function asBase(root: string): string {
  return root.endsWith("/") ? root : `${root}/`;
}

/** The root as anyone sees it: the login mechanisms it offers. The standard lets it answer without a token. */
export async function readOpenRoot(http: Http, root: string): Promise<Noark5Object> {
  try {
    return await getOpenly(
      http,
      root,
      `${NOARK5_MEDIA_TYPE}, application/json;q=0.9`,
      "the API root (without a token)",
    );
  } catch (error) {
    if (error instanceof ArchiveRefusedError && (error.status === 401 || error.status === 403)) {
      throw new ArchiveRefusedError(
        `the archive's root answers ${error.status} without a token, though the standard says it lists its login mechanisms to anyone (04-teknologi.rst); give the destination its token URL`,
        { status: error.status },
      );
    }
    throw error;
  }
}

/** Where the OpenID configuration is: the root's `login/oidc/` link, else where the standard puts it. */
export function oidcConfigurationUrl(openRoot: Noark5Object, root: string): string {
  const link = findLink(openRoot, LOGIN_OIDC);
  return new URL(link?.href ?? ".well-known/openid-configuration", asBase(root)).toString();
}

/**
 * The token endpoint from the OpenID configuration. Client credentials must be among `grant_types_supported`
 * when the provider lists them (some leave the list out, though the spec's default without it excludes client
 * credentials; such a provider is tried, and refuses at the token request if it must). Basic authentication is
 * preferred (the spec's default, and RFC 6749 §2.3.1 requires servers to support it); form fields when the
 * provider lists only those.
 */
export function tokenEndpointOf(configuration: Noark5Object, from: string): TokenEndpoint {
  const url = configuration.token_endpoint;
  if (typeof url !== "string" || url === "") {
    throw new ArchiveRefusedError(`the archive's OpenID configuration (${from}) names no token_endpoint`);
  }
  const grants = configuration.grant_types_supported;
  if (Array.isArray(grants) && !grants.includes("client_credentials")) {
    throw new ArchiveRefusedError(
      `the archive's OpenID provider does not offer the client_credentials grant (it offers ${grants.join(", ")}); ask for a client that may use it`,
    );
  }
  const methods = configuration.token_endpoint_auth_methods_supported;
  const offered = Array.isArray(methods) ? (methods as unknown[]) : ["client_secret_basic"];
  const authMethod: ClientAuthMethod | undefined = offered.includes("client_secret_basic")
    ? "client_secret_basic"
    : offered.includes("client_secret_post")
      ? "client_secret_post"
      : undefined;
  if (!authMethod) {
    throw new ArchiveRefusedError(
      `the archive's OpenID provider takes no client secret (it offers ${offered.join(", ")}); Flyt authenticates with one`,
    );
  }
  return { url: new URL(url, from).toString(), authMethod, source: "discovered" };
}

/** Root without a token → `login/oidc/` → OpenID configuration → token endpoint. */
export async function discoverTokenEndpoint(http: Http, root: string): Promise<TokenEndpoint> {
  const openRoot = await readOpenRoot(http, root);
  const from = oidcConfigurationUrl(openRoot, root);
  const configuration = await getOpenly(http, from, "application/json", "the OpenID configuration");
  return tokenEndpointOf(configuration, from);
}
