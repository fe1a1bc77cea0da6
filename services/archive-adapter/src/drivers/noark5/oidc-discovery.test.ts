import { describe, expect, it } from "vitest";
import { ArchiveRefusedError, ArchiveUnavailableError } from "../archive-errors";
import { discoverTokenEndpoint, oidcConfigurationUrl, tokenEndpointOf } from "./oidc-discovery";

const root = "https://n5.example.no/api";

function answering(routes: Record<string, () => Response>) {
  const asked: { url: string; headers: Record<string, string> }[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    asked.push({ url, headers: init.headers as Record<string, string> });
    const route = routes[url];
    return route ? route() : new Response("not here", { status: 404 });
  }) as unknown as typeof fetch;
  return { asked, http: { fetch: fetchFn, timeoutMs: 1000, now: () => 0 } };
}

const json =
  (body: unknown, status = 200) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("OpenID Connect discovery", () => {
  it("follows the root's login/oidc link to the configuration and its token endpoint, without a token", async () => {
    const { asked, http } = answering({
      [root]: json({
        _links: {
          "https://rel.arkivverket.no/noark5/v5/api/login/oidc/": {
            href: "https://login.example.no/realms/arkiv/.well-known/openid-configuration",
          },
        },
      }),
      "https://login.example.no/realms/arkiv/.well-known/openid-configuration": json({
        token_endpoint: "https://login.example.no/realms/arkiv/token",
        grant_types_supported: ["authorization_code", "client_credentials"],
      }),
    });
    expect(await discoverTokenEndpoint(http, root)).toEqual({
      url: "https://login.example.no/realms/arkiv/token",
      authMethod: "client_secret_basic",
      source: "discovered",
    });
    for (const request of asked) expect(request.headers.authorization).toBeUndefined();
  });

  it("looks where the standard puts the configuration when the root has no link to it", () => {
    expect(oidcConfigurationUrl({ _links: {} }, root)).toBe(
      "https://n5.example.no/api/.well-known/openid-configuration",
    );
    expect(oidcConfigurationUrl({}, `${root}/`)).toBe(
      "https://n5.example.no/api/.well-known/openid-configuration",
    );
  });

  it("refuses a provider without client credentials, and one that takes no client secret", () => {
    const from = "https://login.example.no/.well-known/openid-configuration";
    expect(() =>
      tokenEndpointOf(
        { token_endpoint: "/t", grant_types_supported: ["authorization_code", "password"] },
        from,
      ),
    ).toThrow(/client_credentials/);
    expect(() =>
      tokenEndpointOf(
        { token_endpoint: "/t", token_endpoint_auth_methods_supported: ["private_key_jwt"] },
        from,
      ),
    ).toThrow(ArchiveRefusedError);
    expect(() => tokenEndpointOf({ grant_types_supported: ["client_credentials"] }, from)).toThrow(
      /token_endpoint/,
    );
    expect(
      tokenEndpointOf(
        { token_endpoint: "/t", token_endpoint_auth_methods_supported: ["client_secret_post"] },
        from,
      ),
    ).toEqual({ url: "https://login.example.no/t", authMethod: "client_secret_post", source: "discovered" });
  });

  it("says what to do when the root wants a token, and waits when it is down", async () => {
    const locked = answering({ [root]: json({ feil: { kode: 401 } }, 401) });
    const refused = await discoverTokenEndpoint(locked.http, root).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ArchiveRefusedError);
    expect((refused as ArchiveRefusedError).archiveMessage).toMatch(/token URL/);
    const down = answering({ [root]: () => new Response("", { status: 503 }) });
    expect(await discoverTokenEndpoint(down.http, root).catch((error: unknown) => error)).toBeInstanceOf(
      ArchiveUnavailableError,
    );
  });

  it("is transient when a proxy answers an HTML page for the root or the OpenID configuration", async () => {
    const page = () => new Response("<!DOCTYPE html><title>Maintenance</title>", { status: 200 });
    const configuration = "https://n5.example.no/api/.well-known/openid-configuration";
    for (const routes of [{ [root]: page }, { [root]: json({ _links: {} }), [configuration]: page }]) {
      const { http } = answering(routes);
      const error = await discoverTokenEndpoint(http, root).catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(ArchiveUnavailableError);
      expect((error as Error).message).toContain("Maintenance");
    }
  });
});
