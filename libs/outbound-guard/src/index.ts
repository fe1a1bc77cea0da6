export {
  checkOutboundUrl,
  isRefusedAddress,
  type Lookup,
  type OutboundCheck,
  type OutboundPolicy,
  PUBLIC_ADDRESSES_ONLY,
} from "./outbound-url";
