export {
  checkOutboundUrl,
  isRefusedAddress,
  type Lookup,
  type OutboundCheck,
  type OutboundPolicy,
} from "./outbound-url";
