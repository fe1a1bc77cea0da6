export {
  type ConsumingOptions,
  consumingCheck,
  type ServiceRuntime,
  startConsuming,
  startServiceRuntime,
} from "./service-runtime";
