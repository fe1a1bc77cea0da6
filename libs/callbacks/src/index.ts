export {
  type Attempt,
  type CallbackState,
  type CallbackStateJson,
  callbackStateJson,
  type Delivery,
  type DeliveryFilter,
  DeliveryReader,
  type DeliveryState,
  type DeliveryWithAttempts,
  decodeDeliveryCursor,
  deliveryStates,
  toCallbackState,
} from "./deliveries";
export {
  type CallbackEndpoint,
  CallbackEndpoints,
  type DisabledReason,
  type Owner,
  ownerKey,
  type SigningEndpoint,
} from "./endpoints";
export { migrateCallbacks } from "./migrations";
