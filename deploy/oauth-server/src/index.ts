export {
  type AuthorizationServerOptions,
  newSigningKey,
  type RegisteredClient,
  type RunningAuthorizationServer,
  requestToken,
  startAuthorizationServer,
} from "./authorization-server";
