import { describeServiceLifecycle } from "@flyt/testing";

// The authorization server is only asked for keys when a request carries a token; none does here.
describeServiceLifecycle("gateway", {
  FLYT_ENVIRONMENT: "test",
  OAUTH_ISSUER: "http://127.0.0.1:9/issuer",
  OAUTH_AUDIENCE: "urn:flyt:gateway:test",
  OAUTH_JWKS_URI: "http://127.0.0.1:9/issuer/jwks",
});
