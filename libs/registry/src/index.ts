export {
  demoClients,
  demoIntegrations,
  demoSourceApplications,
  demoTenant,
  seedDemoCounty,
} from "./demo-county";
export { migrateRegistry, rollbackRegistry } from "./migrate";
export * from "./model";
export { RegistryStore } from "./registry-store";
