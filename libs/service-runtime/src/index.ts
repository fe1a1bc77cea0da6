export { type ServiceRuntime, startServiceRuntime } from "./service-runtime";
