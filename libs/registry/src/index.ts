export {
  type CaseMode,
  type ConfigurationIssue,
  caseSearchCriteria,
  convertibleFields,
  type IntegrationConfiguration,
  integrationConfigurationSchema,
  parseConfiguration,
} from "./configuration";
export {
  type CompleteDraftOutcome,
  ConfigurationStore,
  type ConfigurationVersion,
  type SaveDraftOutcome,
} from "./configuration-store";
export { seedDemoConfigurations } from "./demo-configurations";
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
